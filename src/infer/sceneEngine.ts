/**
 * The scene engine: owns the current point cloud and its per-point features, and answers text
 * queries, PCA and point-similarity requests. It runs inside the scene worker (and under Node for
 * the CLI and tests). Features never leave it as arrays — only per-point scalars, labels and
 * colours do, and, on an explicit export, a feature PLY's bytes.
 *
 * Invariant: `cloud` is replaced only after a new one has been fully parsed and lifted, so a bad
 * drop never destroys the scene already loaded. Features are keyed by the cloud they belong to.
 */
import { encodeFeaturePly, type FeatureProvenance } from '../core/export/featurePly.ts';
import type { ClusteredInstances, InferenceStage, StageProgress } from './queryTypes.ts';
import type { PointCloud } from '../core/lift/pointCloud.ts';
import type { PointFeatures, RgbdView } from '../core/units.ts';
import { featureAgreement, type FeatureAgreement } from '../core/query/agreement.ts';
import { connectedComponentsOnVoxelGrid } from '../core/query/clustering.ts';
import { inverseNorms, negativePhrases, pointSimilarity, relevancyLayers } from '../core/query/formulas.ts';
import { cachedNegativeTerms } from '../core/query/negativeTerms.ts';
import { formulaSpec, LABEL_SET_NEGATIVES_OF } from '../core/query/formulaTable.ts';
import { pcaProject, pcaToRgbGlobal } from '../core/query/pca.ts';
import { ensembleEmbedding, expandPrompts, parseLabelSet, parseQuery, splitPositives, templatesOf } from '../core/query/prompts.ts';
import { scalarRange } from '../core/query/relevancy.ts';
import { float32Rows } from '../core/segments/segmentFeatures.ts';
import { labelSegmentation, thresholdMask } from '../core/query/segmentation.ts';
import { ClipImageEncoder, ClipTextEncoder, Student3d, type ModelSource } from './loadedModels.ts';
import type { FeatureSetId, FeatureSetInfo, QueryOutcome, QueryRequest } from './queryTypes.ts';
import { runTeacher, type TeacherOptions, type TeacherProgress, type TeacherResult, type TeacherView } from '../core/teacher/runTeacher.ts';

export type { QueryOutcome, QueryRequest, QueryTimings } from './queryTypes.ts';

/** Voxel size for instance extraction: objects closer than this merge. */
const INSTANCE_VOXEL_METRES = 0.02;
const INSTANCE_MIN_POINTS = 30;
/**
 * Extra per-point properties narrower than this (intensity, labels, curvature…) are attributes,
 * not an embedding: such clouds are queried through the student. Wider ones are the user's own
 * features and are checked against the text model's dimension.
 */
export const MIN_EMBEDDING_DIM = 16;

interface FeatureField {
  readonly cloud: PointCloud;
  readonly values: Float32Array;
  readonly dim: number;
  readonly inverseNorms: Float32Array;
  readonly source: FeatureSetId;
  readonly studentMs: number;
}

/** What the teacher computed for a cloud, kept beside the student's features. */
interface TeacherField {
  readonly cloud: PointCloud;
  readonly values: Float32Array;
  readonly dim: number;
  readonly space: string;
  readonly description: string;
}

/** Teacher options the caller chooses; the pre-processing comes from the image model's manifest entry. */
export type TeacherRunOptions = Omit<TeacherOptions, 'preprocess' | 'now'> & { readonly imageModelId?: string };

export interface TeacherSummary {
  readonly points: number;
  readonly dim: number;
  readonly space: string;
  readonly imageModel: string;
  readonly backend: string;
  readonly views: number;
  readonly objects: number;
  readonly crops: number;
  readonly timings: TeacherResult['timings'];
}

export class SceneEngine {
  private cloud: PointCloud | null = null;
  private fileFeatures: PointFeatures | null = null;
  private features: FeatureField | null = null;
  private textModel: Promise<ClipTextEncoder> | null = null;
  private studentModel: Promise<Student3d> | null = null;
  /** Feature sets by id besides the active field ('student', 'file', teacher runs…), for comparisons. */
  private namedSets = new Map<string, FeatureField>();
  private imageModel: Promise<ClipImageEncoder> | null = null;
  private views: readonly RgbdView[] = [];
  private teacher: TeacherField | null = null;
  /** The feature set queries, PCA and similarity use; null = the file's own when it has them, else the student's. */
  private selectedSet: FeatureSetId | null = null;

  /** `source` is asked for lazily, on the first query, so a scene can load before any model. */
  constructor(private readonly source: () => Promise<ModelSource>) {}

  /** `features`: per-point features brought with the cloud (PLY extra properties, N×D .npy). */
  setCloud(cloud: PointCloud, features?: PointFeatures, views: readonly RgbdView[] = []): void {
    if (features && features.values.length !== cloud.count * features.dim) {
      throw new Error(`features: ${features.values.length / features.dim} rows for ${cloud.count} points`);
    }
    this.cloud = cloud;
    this.fileFeatures = features ?? null;
    this.features = null;
    this.namedSets = new Map();
    this.views = views;
    this.teacher = null;
    this.selectedSet = null;
  }

  /**
   * Forget loaded models (the model source or backend changed, e.g. local model files were
   * dropped); their sessions are released, the next query opens new ones.
   */
  resetModels(): void {
    for (const model of [this.textModel, this.studentModel, this.imageModel]) void model?.then((m) => m.release()).catch(() => undefined);
    this.textModel = null;
    this.studentModel = null;
    this.imageModel = null;
    if (this.features?.source === 'student') this.features = null;
    this.namedSets.delete('student');
  }

  get pointCount(): number {
    return this.cloud?.count ?? 0;
  }

  /**
   * Instances of a relevancy layer of the current cloud at another threshold: only the
   * clustering runs again (the slider's release), never the models.
   */
  clusterInstances(values: Float32Array, threshold: number): ClusteredInstances {
    const cloud = this.requireCloud('instances');
    if (values.length !== cloud.count)
      throw new Error(`instances: the relevancy layer has ${values.length} values for ${cloud.count} points (run the query again)`);
    const t0 = performance.now();
    const found = this.instancesOf(cloud, values, threshold);
    return { instances: found.instances, instanceIds: found.instanceIds, clusteringMs: performance.now() - t0 };
  }

  private instancesOf(cloud: PointCloud, values: Float32Array, threshold: number) {
    const mask = thresholdMask(values, threshold, { normalise: 'min-max' });
    return connectedComponentsOnVoxelGrid(cloud.positions, mask, INSTANCE_VOXEL_METRES, { minPoints: INSTANCE_MIN_POINTS });
  }

  private loadText(): Promise<ClipTextEncoder> {
    this.textModel ??= this.source().then((s) => ClipTextEncoder.load(s));
    // A failed load (404, bad hash) must not stick: the next query tries again.
    this.textModel.catch(() => (this.textModel = null));
    return this.textModel;
  }

  private loadStudent(): Promise<Student3d> {
    this.studentModel ??= this.source().then((s) => Student3d.load(s));
    this.studentModel.catch(() => (this.studentModel = null));
    return this.studentModel;
  }

  private requireCloud(what: string): PointCloud {
    if (!this.cloud || this.cloud.count === 0) throw new Error(`${what}: no point cloud is loaded`);
    return this.cloud;
  }

  /** The feature field of the current cloud: the selected set; by default the file's own features, else the student's. */
  private async featureField(cloud: PointCloud, text: ClipTextEncoder | null): Promise<FeatureField> {
    if (this.features?.cloud === cloud && (this.selectedSet === null || this.features.source === this.selectedSet)) return this.features;
    let field: FeatureField;
    const own = this.selectedSet !== 'student' && this.fileFeatures && this.fileFeatures.dim >= MIN_EMBEDDING_DIM ? this.fileFeatures : null;
    if (this.selectedSet === 'file' && !own) throw new Error('feature set "file": the loaded cloud brought no per-point features');
    if (this.selectedSet === 'teacher') {
      const teacher = this.teacher;
      if (!teacher || teacher.cloud !== cloud) throw new Error('feature set "teacher": run the teacher on this scene first');
      if (text && (text.entry.space !== teacher.space || text.entry.embeddingDim !== teacher.dim)) {
        throw new Error(
          `text model "${text.entry.id}" lives in ${text.entry.space} (${text.entry.embeddingDim}-d) but the teacher's features in ${teacher.space} (${teacher.dim}-d); they cannot be compared`,
        );
      }
      field = { cloud, values: teacher.values, dim: teacher.dim, inverseNorms: inverseNorms(teacher.values, teacher.dim), source: 'teacher', studentMs: 0 };
    } else if (own) {
      field = { cloud, values: own.values, dim: own.dim, inverseNorms: inverseNorms(own.values, own.dim), source: 'file', studentMs: 0 };
    } else {
      const student = await this.loadStudent();
      if (text && (text.entry.space !== student.entry.space || text.entry.embeddingDim !== student.entry.embeddingDim)) {
        throw new Error(
          `text model "${text.entry.id}" lives in ${text.entry.space} (${text.entry.embeddingDim}-d) but student "${student.entry.id}" in ${student.entry.space} (${student.entry.embeddingDim}-d); they cannot be compared`,
        );
      }
      const t0 = performance.now();
      const values = await student.infer(cloud.positions, cloud.colors, cloud.count);
      const dim = student.entry.embeddingDim;
      field = { cloud, values, dim, inverseNorms: inverseNorms(values, dim), source: 'student', studentMs: performance.now() - t0 };
    }
    // A drop may have replaced the cloud while the student ran: cache only if still current.
    if (this.cloud === cloud) this.features = field;
    return field;
  }

  /** One embedding per phrase: the phrase in every template of the set, averaged and renormalised. */
  private async encodePhrases(encoder: ClipTextEncoder, phrases: readonly string[], template: QueryRequest['template']): Promise<Float32Array[]> {
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
   * What a segment-level query (src/infer/segmentQueries.ts) needs from the engine: the current
   * cloud, its active feature set as rows (the features stay here: the caller pools them per segment,
   * chunk by chunk), and the phrases and negatives encoded with the template.
   */
  async segmentQueryInputs(phrases: readonly string[], negatives: readonly string[], template: QueryRequest['template']) {
    const cloud = this.requireCloud('query');
    const encoder = await this.loadText();
    const field = await this.featureField(cloud, encoder);
    if (field.dim !== encoder.entry.embeddingDim)
      throw new Error(
        `the loaded per-point features are ${field.dim}-dimensional but text model "${encoder.entry.id}" embeds in ${encoder.entry.embeddingDim}`,
      );
    const positives = await this.encodePhrases(encoder, phrases, template);
    const negativeEmbeddings = negatives.length > 0 ? await encoder.encode([...negatives]) : [];
    return { cloud, field: { rows: float32Rows(field.values, field.dim), source: field.source }, positives, negatives: negativeEmbeddings };
  }

  /** `onStage`: told when each inference stage starts and ends (progress bars, status bar). */
  async query(request: QueryRequest, onStage?: (event: StageProgress) => void): Promise<QueryOutcome> {
    if (request.text.trim() === '') throw new Error('query: type a phrase, e.g. "yellow dice"');
    // An unknown formula (a message from outside the type system) is refused before any model loads.
    const formula = request.mode === 'labels' ? null : formulaSpec(request.formula);
    const cloud = this.requireCloud('query');
    const stage = stageReporter(onStage);
    const t0 = performance.now();
    const encoder = await this.loadText();
    // Per-point features are computed (by the student, unless the file brought its own) on first use.
    if (this.features?.cloud !== cloud) stage.start('student');
    const t1 = performance.now();
    const featuresWereCached = request.featureSet !== undefined || this.features?.cloud === cloud;
    const field = request.featureSet !== undefined ? await this.namedFeatureSet(request.featureSet) : await this.featureField(cloud, encoder);
    if (field.dim !== encoder.entry.embeddingDim) {
      throw new Error(
        `the loaded per-point features are ${field.dim}-dimensional but text model "${encoder.entry.id}" embeds in ${encoder.entry.embeddingDim} dimensions (${encoder.entry.space}); load a text model of the features' space`,
      );
    }
    const t2 = performance.now();
    stage.end('student');

    const parsed = request.mode === 'labels' ? { positives: parseLabelSet(request.text), negatives: [] as string[] } : parseQuery(request.text);
    if (parsed.positives.length === 0) throw new Error(`query: "${request.text}" names no positive phrase (only negatives)`);
    const userNegatives = [...parsed.negatives, ...splitPositives((request.negatives ?? '').replace(/,/g, ';'))];
    stage.start('text-encode');
    const negatives = negativePhrases(formula ? formula.defaults.kind : LABEL_SET_NEGATIVES_OF, userNegatives);
    const positives = await this.encodePhrases(encoder, parsed.positives, request.template);
    const negativeEmbeddings = negatives.length > 0 ? await encoder.encode(negatives) : [];
    const t3 = performance.now();
    stage.end('text-encode');
    stage.start('relevancy');

    let layers: QueryOutcome['layers'] = [];
    let labels: QueryOutcome['labels'] = null;
    if (formula === null) {
      const map = labelSegmentation(field.values, field.dim, positives, negativeEmbeddings);
      labels = { names: parsed.positives, perPoint: map.labels };
    } else {
      // The table's empty canonical set marks a formula that ignores negatives (raw cosine).
      const terms = formula.negatives.length === 0 ? undefined : cachedNegativeTerms(field, negatives, negativeEmbeddings, formula.defaults);
      const values = relevancyLayers(field.values, field.dim, positives, negativeEmbeddings, formula.defaults, {
        inverseNorms: field.inverseNorms,
        negativeTerms: terms,
      });
      layers = values.map((v, i) => ({ label: parsed.positives[i]!, values: v, range: scalarRange(v) }));
    }
    const t4 = performance.now();
    stage.end('relevancy');

    let instances: QueryOutcome['instances'] = [];
    let instanceIds: Int32Array | null = null;
    const first = layers[0];
    if (request.threshold !== undefined && first) {
      stage.start('clustering');
      const found = this.instancesOf(cloud, first.values, request.threshold);
      instances = found.instances;
      instanceIds = found.instanceIds;
      stage.end('clustering');
    }
    const t5 = performance.now();
    const student = field.source === 'student' ? await this.loadStudent() : null;
    return {
      mode: request.mode,
      layers,
      labels,
      instances,
      instanceIds,
      negatives,
      backend: student?.backend ?? encoder.backend,
      backendNote: student?.backendNote ?? encoder.backendNote,
      precision: encoder.precision,
      timings: {
        modelLoadMs: t1 - t0,
        studentMs: featuresWereCached ? 0 : field.studentMs,
        textMs: t3 - t2,
        relevancyMs: t4 - t3,
        segmentationMs: t5 - t4,
        totalMs: t5 - t0,
      },
      modelIds: { text: encoder.entry.id, student: student?.entry.id ?? null },
      featureSource: field.source,
    };
  }

  private loadImage(id?: string): Promise<ClipImageEncoder> {
    if (id !== undefined) return this.source().then((s) => ClipImageEncoder.load(s, id));
    this.imageModel ??= this.source().then((s) => ClipImageEncoder.load(s));
    this.imageModel.catch(() => (this.imageModel = null));
    return this.imageModel;
  }

  /**
   * Runs the multi-view object-centric CLIP teacher on the current capture's posed views and keeps its
   * per-point features as the "teacher" feature set, which it then selects.
   */
  async runTeacher(options: TeacherRunOptions, onProgress?: (progress: TeacherProgress) => void): Promise<TeacherSummary> {
    const cloud = this.requireCloud('teacher');
    const views: TeacherView[] = this.views.map((v) => {
      if (!v.color) throw new Error(`teacher: view ${v.name} has no colour image`);
      return { name: v.name, intrinsics: v.intrinsics, cameraToWorld: v.cameraToWorld, depth: v.depth, color: v.color };
    });
    const encoder = await this.loadImage(options.imageModelId);
    const spec = encoder.entry.imagePreprocess!;
    const result = await runTeacher(
      cloud.positions.subarray(0, cloud.count * 3),
      views,
      { ...options, preprocess: spec, now: () => performance.now() },
      (pixels, batch) => encoder.encode(pixels, batch),
      onProgress,
    );
    if (this.cloud !== cloud) throw new Error('teacher: the scene changed while the teacher ran');
    this.teacher = {
      cloud,
      values: result.features,
      dim: result.dim,
      space: encoder.entry.space,
      description: `teacher (${encoder.entry.id}, ${options.method ?? 'objects'}, fusion ${options.fusion})`,
    };
    this.namedSets.delete('teacher');
    this.useFeatureSet('teacher');
    return {
      points: cloud.count,
      dim: result.dim,
      space: encoder.entry.space,
      imageModel: encoder.entry.id,
      backend: encoder.backend,
      views: result.viewCount,
      objects: result.objectCount,
      crops: result.cropCount,
      timings: result.timings,
    };
  }

  /** The teacher's per-point features of the current cloud ([N, dim], the engine's own array), or null. */
  teacherFeatures(): { values: Float32Array; dim: number; space: string } | null {
    const t = this.teacher;
    return t && t.cloud === this.cloud ? { values: t.values, dim: t.dim, space: t.space } : null;
  }

  /** The feature sets the current scene offers (the student's is always offered: it is computed on demand). */
  async featureSets(): Promise<FeatureSetInfo[]> {
    const sets: FeatureSetInfo[] = [];
    const source = await this.source();
    const student = source.manifest.models.find((m) => m.id === (source.modelIds?.student ?? source.manifest.defaults.student3d));
    if (student) sets.push({ id: 'student', dim: student.embeddingDim, space: student.space, source: student.id });
    if (this.teacher && this.teacher.cloud === this.cloud)
      sets.push({ id: 'teacher', dim: this.teacher.dim, space: this.teacher.space, source: this.teacher.description });
    const own = this.fileFeatures;
    if (own && own.dim >= MIN_EMBEDDING_DIM)
      sets.push({
        id: 'file',
        dim: own.dim,
        space: 'file',
        source: own.names.length > 0 ? `${own.names[0]}…${own.names[own.names.length - 1]}` : `${own.dim} columns`,
      });
    return sets;
  }

  /**
   * The selected feature set of the current cloud as a feature PLY (x y z rgb feat_*; the student's
   * features are computed first when needed). The features never leave the worker as an array:
   * only these bytes do, on request.
   */
  async exportFeaturePly(): Promise<Uint8Array> {
    const cloud = this.requireCloud('feature export');
    const field = await this.featureField(cloud, null);
    const student = field.source === 'student' ? (await this.loadStudent()).entry : null;
    const provenance: FeatureProvenance = student
      ? { space: student.space, source: 'student', model: student.id }
      : field.source === 'teacher'
        ? { space: this.teacher!.space, source: 'teacher' }
        : { space: 'file', source: 'file' };
    return encodeFeaturePly({ count: cloud.count, positions: cloud.positions, colors: cloud.colors, features: field.values, dim: field.dim, provenance });
  }

  /** Selects the feature set queries, PCA and similarity use. */
  useFeatureSet(id: FeatureSetId): void {
    if (id === 'teacher' && !(this.teacher && this.teacher.cloud === this.cloud)) throw new Error('feature set "teacher": run the teacher on this scene first');
    if (id === 'file' && !(this.fileFeatures && this.fileFeatures.dim >= MIN_EMBEDDING_DIM))
      throw new Error('feature set "file": the loaded cloud brought no per-point features');
    this.selectedSet = id;
  }

  /** PCA of the feature field: 3 components, one global min–max → RGB (DROP-CLIP's view). */
  async pcaColors(): Promise<Uint8Array> {
    const cloud = this.requireCloud('PCA');
    const field = await this.featureField(cloud, null);
    return pcaToRgbGlobal(pcaProject(field.values, field.dim, { components: 3 }).projected);
  }

  /** Cosine similarity of every point's feature to the feature of point `index`. */
  async similarityTo(index: number): Promise<Float32Array> {
    const cloud = this.requireCloud('similarity');
    const field = await this.featureField(cloud, null);
    return pointSimilarity(field.values, field.dim, index);
  }

  /** Adds (or replaces) a feature set of the current cloud under `id`, e.g. a teacher run. */
  addFeatureSet(id: string, values: Float32Array, dim: number): void {
    const cloud = this.requireCloud('feature set');
    if (values.length !== cloud.count * dim) throw new Error(`feature set "${id}": ${values.length / dim} rows of ${dim} for ${cloud.count} points`);
    this.namedSets.set(id, { cloud, values, dim, inverseNorms: inverseNorms(values, dim), source: 'file', studentMs: 0 });
  }

  /**
   * A feature set of the current cloud by id: 'student' (the student's features, even when the
   * file brought its own), 'file' (the file's own features), or one added with addFeatureSet.
   */
  async namedFeatureSet(id: string): Promise<FeatureField> {
    const cloud = this.requireCloud(`feature set "${id}"`);
    const known = this.namedSets.get(id);
    if (known?.cloud === cloud) return known;
    let field: FeatureField;
    if (id === 'student') {
      if (this.features?.cloud === cloud && this.features.source === 'student') {
        field = this.features;
      } else {
        const student = await this.loadStudent();
        const t0 = performance.now();
        const values = await student.infer(cloud.positions, cloud.colors, cloud.count);
        const dim = student.entry.embeddingDim;
        field = { cloud, values, dim, inverseNorms: inverseNorms(values, dim), source: 'student', studentMs: performance.now() - t0 };
      }
    } else if (id === 'teacher' && this.teacher?.cloud === cloud) {
      const t = this.teacher;
      field = { cloud, values: t.values, dim: t.dim, inverseNorms: inverseNorms(t.values, t.dim), source: 'teacher', studentMs: 0 };
    } else if (id === 'file' && this.fileFeatures) {
      const own = this.fileFeatures;
      field = { cloud, values: own.values, dim: own.dim, inverseNorms: inverseNorms(own.values, own.dim), source: 'file', studentMs: 0 };
    } else {
      throw new Error(
        `feature set "${id}" is not available for this scene (known: ${['student', ...(this.teacher?.cloud === cloud ? ['teacher'] : []), ...(this.fileFeatures ? ['file'] : []), ...this.namedSets.keys()].join(', ')})`,
      );
    }
    if (this.cloud === cloud) this.namedSets.set(id, field);
    return field;
  }

  /** Per-point cosine between two feature sets of the current cloud, and its mean. */
  async agreement(a: string, b: string): Promise<FeatureAgreement> {
    const first = await this.namedFeatureSet(a);
    const second = await this.namedFeatureSet(b);
    if (first.dim !== second.dim) throw new Error(`agreement: feature set "${a}" is ${first.dim}-d but "${b}" is ${second.dim}-d`);
    return featureAgreement(first.values, second.values, first.dim);
  }
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
