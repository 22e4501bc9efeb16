/**
 * `fieldlens query`: lift a capture, run the 3D student and the text encoder (onnxruntime-web's
 * WASM backend under Node, through the same SceneEngine the worker uses) and write a PLY with
 * xyz, rgb, relevancy, label and instance per point.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { encodeResultPly } from '../core/export/resultPly.ts';
import type { RelevancyKind } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { findModel, resolveModelSet, type ModelManifest } from '../core/models/manifest.ts';
import { SceneEngine } from '../infer/sceneEngine.ts';
import { MIN_EMBEDDING_DIM } from '../core/units.ts';
import { nodeModelSource, readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { DEFAULT_FORMULA } from '../core/query/formulaTable.ts';
import { segmentQueryJson, type MasksJson, type RelationJson } from './segmentQueryCommand.ts';
import type { SegmentQuerySettings } from './segmentOptions.ts';

export interface QueryCommandOptions {
  readonly files: readonly CaptureFile[];
  readonly capture: CaptureSettings;
  readonly text: string;
  readonly labels: boolean;
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  readonly negatives: string;
  readonly threshold: number;
  readonly modelId?: string | undefined;
  /** A model set of the manifest (default: its default set). */
  readonly modelSetId?: string | undefined;
  readonly manifestPath: string;
  /** The result PLY; absent = none written (`--json` alone). */
  readonly out?: string | undefined;
  /** Mask mode and relations (segmentOptions.ts); absent = neither. */
  readonly segmentQuery?: SegmentQuerySettings | undefined;
}

export interface QueryCommandResult {
  readonly points: number;
  readonly instances: number;
  readonly relevancyRange: { readonly min: number; readonly max: number } | null;
  readonly labels: readonly string[];
  readonly featureSource: string;
  /** Dimension of the features queried, and the model set and text model that answered. */
  readonly featureDim: number;
  readonly modelSet: string;
  readonly textModel: string;
  readonly space: string;
  readonly out: string | null;
  /** Present when the text names a spatial relation ("red ball left of green box"). */
  readonly relation?: RelationJson;
  /** Present with --masks: segments best first. */
  readonly masks?: MasksJson;
}

/** What `fieldlens query` uses when an option is not given (the help text states the same). */
export const QUERY_DEFAULTS = {
  labels: false,
  formula: DEFAULT_FORMULA,
  template: 'single',
  negatives: '',
  threshold: 0.7,
  manifestPath: defaultManifestFile,
} as const satisfies Partial<QueryCommandOptions>;

/** An engine with the chosen models; `fieldlens batch` keeps one per shard so models load once. */
export function queryEngine(o: Pick<QueryCommandOptions, 'manifestPath' | 'modelId' | 'modelSetId'>): SceneEngine {
  const manifestUrl = pathToFileURL(o.manifestPath);
  const manifest = readModelManifest(o.manifestPath);
  const { models } = chooseQueryModels(manifest, o.manifestPath, o.modelSetId, o.modelId);
  return new SceneEngine(() => Promise.resolve(nodeModelSource(manifest, manifestUrl, models)));
}

export async function runQueryCommand(o: QueryCommandOptions, engine = queryEngine(o)): Promise<QueryCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
  const manifest = readModelManifest(o.manifestPath);
  const { set, models } = chooseQueryModels(manifest, o.manifestPath, o.modelSetId, o.modelId);
  const own = loaded.halfFeatures ?? loaded.features;
  const ownFeatures = own && own.dim >= MIN_EMBEDDING_DIM ? own : null;
  if (!models.student && !ownFeatures) {
    throw new Error(
      `model set "${set.set.id}" has no 3D student: give a capture that carries its own ${set.text.embeddingDim}-d features (PLY feat_* properties or an N×D .npy), e.g. written by fieldlens teacher`,
    );
  }
  engine.setCloud(loaded.cloud, own);
  const outcome = await engine.query({
    text: o.text,
    mode: o.labels ? 'labels' : 'relevancy',
    formula: o.formula,
    template: o.template,
    negatives: o.negatives,
    ...(o.labels ? {} : { threshold: o.threshold }),
  });
  const n = loaded.cloud.count;
  // The same writer as the studio's export: the file loads back into FieldLens with its result.
  if (o.out !== undefined) {
    const ply = encodeResultPly(loaded.cloud, {
      query: { text: o.text, mode: outcome.mode, formula: o.formula, template: o.template, negatives: o.negatives, threshold: o.labels ? null : o.threshold },
      layers: outcome.layers,
      labels: outcome.labels,
      instanceIds: outcome.instanceIds,
    });
    writeFileSync(o.out, ply);
  }
  const segments = o.segmentQuery ? await segmentQueryJson(engine, loaded, o, o.segmentQuery) : {};
  return {
    points: n,
    instances: outcome.instances.length,
    relevancyRange: outcome.layers[0]?.range ?? null,
    labels: outcome.labels?.names ?? [],
    featureSource: outcome.featureSource,
    featureDim: outcome.featureSource === 'file' ? ownFeatures!.dim : findModel(manifest, 'student3d', models.student).embeddingDim,
    modelSet: set.set.id,
    textModel: models.text,
    space: findModel(manifest, 'clip-text', models.text).space,
    out: o.out ?? null,
    ...segments,
  };
}

/** The set's text model and student; `--model ID` replaces the one of its kind. */
export function chooseQueryModels(manifest: ModelManifest, manifestPath: string, modelSetId?: string, modelId?: string) {
  const set = resolveModelSet(manifest, modelSetId, manifestPath);
  const chosen = modelId ? manifest.models.find((m) => m.id === modelId) : undefined;
  if (modelId && !chosen) throw new Error(`--model: "${modelId}" is not in ${manifestPath} (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  const text = chosen?.kind === 'clip-text' ? chosen.id : set.text.id;
  const student = chosen?.kind === 'student3d' ? chosen.id : set.student?.id;
  return { set, models: { text, student } };
}
