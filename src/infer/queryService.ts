/**
 * The query service: a text query (relevancy layers or a label set, optional instances) over a
 * feature set of the current cloud, read in its compact stored form (core/features kernels).
 * Encodes the phrases with the model cache's text encoder; the feature sets compute the student's
 * features on first use.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { connectedComponentsOnVoxelGrid } from '../core/query/clustering.ts';
import { negativePhrases } from '../core/query/formulas.ts';
import { formulaSpec, LABEL_SET_NEGATIVES_OF } from '../core/query/formulaTable.ts';
import { ensembleEmbedding, expandPrompts, parseLabelSet, parseQuery, splitPositives, templatesOf } from '../core/query/prompts.ts';
import { scalarRange } from '../core/query/relevancy.ts';
import { thresholdMask } from '../core/query/segmentation.ts';
import { storeLabelSegmentation, storeNegativeTerms, storeRelevancyLayers } from '../core/features/storeKernels.ts';
import type { ModelEntry } from '../core/models/manifest.ts';
import type { ClipTextEncoder } from './loadedModels.ts';
import type { ModelCache } from './modelCache.ts';
import type { FeatureField, FeatureSets } from './featureSets.ts';
import type { InferenceStage, QueryOutcome, QueryRequest, StageProgress } from './queryTypes.ts';

/** Voxel size for instance extraction: objects closer than this merge. */
const INSTANCE_VOXEL_METRES = 0.02;
const INSTANCE_MIN_POINTS = 30;

/** Connected components (2 cm voxels) of the points whose min–max normalised `values` exceed `threshold`. */
export function instancesOf(cloud: PointCloud, values: Float32Array, threshold: number) {
  const mask = thresholdMask(values, threshold, { normalise: 'min-max' });
  return connectedComponentsOnVoxelGrid(cloud.positions, mask, INSTANCE_VOXEL_METRES, { minPoints: INSTANCE_MIN_POINTS });
}

/** Refuses features and text of different spaces or dimensions, naming both. */
function checkComparable(text: ModelEntry, features: { readonly space: string; readonly dim: number; readonly what: string }): void {
  // Bring-your-own features have no declared space: only their dimension can be checked.
  if (features.space === 'file') {
    if (features.dim !== text.embeddingDim) {
      throw new Error(
        `the loaded per-point features are ${features.dim}-dimensional but text model "${text.id}" embeds in ${text.embeddingDim} dimensions (${text.space}); load a text model of the features' space`,
      );
    }
    return;
  }
  if (text.space !== features.space || text.embeddingDim !== features.dim) {
    throw new Error(
      `text model "${text.id}" lives in ${text.space} (${text.embeddingDim}-d) but ${features.what} in ${features.space} (${features.dim}-d); they cannot be compared`,
    );
  }
}

/** One embedding per phrase: the phrase in every template of the set, averaged and renormalised. */
async function encodePhrases(encoder: ClipTextEncoder, phrases: readonly string[], template: QueryRequest['template']): Promise<Float32Array[]> {
  const templates = templatesOf(template);
  const prompts = phrases.map((p) => expandPrompts(p, templates));
  const embeddings = await encoder.encode(prompts.flat());
  let offset = 0;
  return prompts.map((group) => {
    const slice = embeddings.slice(offset, offset + group.length);
    offset += group.length;
    return slice.length === 1 ? slice[0]! : ensembleEmbedding(slice);
  });
}

/**
 * What a segment-level query (src/infer/segmentQueries.ts) needs: the current cloud, its active
 * feature set in its compact stored form (the caller pools it per segment, chunk by chunk; it is
 * never expanded), and the phrases and negatives encoded with the template.
 */
export async function segmentQueryInputs(
  cloud: PointCloud | null,
  models: ModelCache,
  sets: FeatureSets,
  phrases: readonly string[],
  negatives: readonly string[],
  template: QueryRequest['template'],
) {
  if (!cloud || cloud.count === 0) throw new Error('query: no point cloud is loaded');
  const encoder = await models.text();
  const field = await sets.field(sets.activeId());
  checkComparable(encoder.entry, {
    space: field.space,
    dim: field.store.dim,
    what: field.id === 'teacher' ? "the teacher's features" : `feature set "${field.id}"`,
  });
  const positives = await encodePhrases(encoder, phrases, template);
  const negativeEmbeddings = negatives.length > 0 ? await encoder.encode([...negatives]) : [];
  return { cloud, field: { rows: field.store, source: field.id }, positives, negatives: negativeEmbeddings };
}

/** `onStage`: told when each inference stage starts and ends (progress bars, status bar). */
export async function runQuery(
  request: QueryRequest,
  cloud: PointCloud | null,
  models: ModelCache,
  sets: FeatureSets,
  onStage?: (event: StageProgress) => void,
): Promise<QueryOutcome> {
  if (request.text.trim() === '') throw new Error('query: type a phrase, e.g. "yellow dice"');
  // An unknown formula (a message from outside the type system) is refused before any model loads.
  const formula = request.mode === 'labels' ? null : formulaSpec(request.formula);
  if (!cloud || cloud.count === 0) throw new Error('query: no point cloud is loaded');
  const stage = stageReporter(onStage);
  const t0 = performance.now();
  const encoder = await models.text();
  const setId = request.featureSet ?? sets.activeId();
  const wasReady = sets.isReady(setId);
  // Per-point features are computed (by the student, unless the set is given) on first use.
  if (!wasReady) stage.start('student');
  const t1 = performance.now();
  // The student's space is checked before it runs: a mismatch is refused without the inference.
  const student = setId === 'student' ? await models.student() : null;
  if (student) checkComparable(encoder.entry, { space: student.entry.space, dim: student.entry.embeddingDim, what: `student "${student.entry.id}"` });
  const field: FeatureField = await sets.field(setId);
  checkComparable(encoder.entry, {
    space: field.space,
    dim: field.store.dim,
    what: field.id === 'teacher' ? "the teacher's features" : `feature set "${field.id}"`,
  });
  const t2 = performance.now();
  stage.end('student');

  const parsed = request.mode === 'labels' ? { positives: parseLabelSet(request.text), negatives: [] as string[] } : parseQuery(request.text);
  if (parsed.positives.length === 0) throw new Error(`query: "${request.text}" names no positive phrase (only negatives)`);
  const userNegatives = [...parsed.negatives, ...splitPositives((request.negatives ?? '').replace(/,/g, ';'))];
  stage.start('text-encode');
  const negatives = negativePhrases(formula ? formula.defaults.kind : LABEL_SET_NEGATIVES_OF, userNegatives);
  const positives = await encodePhrases(encoder, parsed.positives, request.template);
  const negativeEmbeddings = negatives.length > 0 ? await encoder.encode(negatives) : [];
  const t3 = performance.now();
  stage.end('text-encode');
  stage.start('relevancy');

  let layers: QueryOutcome['layers'] = [];
  let labels: QueryOutcome['labels'] = null;
  if (formula === null) {
    labels = { names: parsed.positives, perPoint: storeLabelSegmentation(field.store, positives, negativeEmbeddings).labels };
  } else {
    // The table's empty canonical set marks a formula that ignores negatives (raw cosine).
    const terms = formula.negatives.length === 0 ? undefined : storeNegativeTerms(field.store, negatives, negativeEmbeddings, formula.defaults);
    const values = storeRelevancyLayers(field.store, positives, negativeEmbeddings, formula.defaults, terms);
    layers = values.map((v, i) => ({ label: parsed.positives[i]!, values: v, range: scalarRange(v) }));
  }
  const t4 = performance.now();
  stage.end('relevancy');

  let instances: QueryOutcome['instances'] = [];
  let instanceIds: Int32Array | null = null;
  const first = layers[0];
  if (request.threshold !== undefined && first) {
    stage.start('clustering');
    const found = instancesOf(cloud, first.values, request.threshold);
    instances = found.instances;
    instanceIds = found.instanceIds;
    stage.end('clustering');
  }
  const t5 = performance.now();
  // The badge names where the models ran: a model that left WebGPU (lost device, no adapter) is
  // reported with its reason, even when the other one still reports the backend it opened on.
  const moved = [encoder, student].find((m) => m?.backendNote);
  const reported = moved ?? student ?? encoder;
  return {
    mode: request.mode,
    layers,
    labels,
    instances,
    instanceIds,
    negatives,
    backend: reported.backend,
    backendNote: reported.backendNote,
    precision: encoder.precision,
    timings: {
      modelLoadMs: t1 - t0,
      studentMs: wasReady ? 0 : field.computeMs,
      textMs: t3 - t2,
      relevancyMs: t4 - t3,
      segmentationMs: t5 - t4,
      totalMs: t5 - t0,
    },
    modelIds: { text: encoder.entry.id, student: student?.entry.id ?? null },
    featureSource: field.id,
  };
}

/** Times each stage and tells the listener when it starts and ends. */
function stageReporter(onStage: ((event: StageProgress) => void) | undefined) {
  const started = new Map<InferenceStage, number>();
  return {
    start(stage: InferenceStage) {
      started.set(stage, performance.now());
      onStage?.({ status: 'stage', stage, ms: null });
    },
    /** A stage that did not start (features already computed) reports nothing. */
    end(stage: InferenceStage) {
      const t0 = started.get(stage);
      if (t0 !== undefined) onStage?.({ status: 'stage', stage, ms: performance.now() - t0 });
    },
  };
}
