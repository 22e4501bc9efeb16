/**
 * The scene engine: owns the current point cloud and answers text queries, PCA, point-similarity,
 * agreement and export requests over its feature sets. It runs inside the scene worker (and under
 * Node for the CLI and tests). Features never leave it as arrays — only per-point scalars, labels
 * and colours do, and, on an explicit export, a feature PLY built part by part.
 *
 * It composes one piece per responsibility: the model cache (modelCache.ts), the feature sets
 * (featureSets.ts: the one path that builds a feature field, compact forms only), the query service
 * (queryService.ts) and the teacher service (teacherService.ts).
 *
 * Invariant: the cloud is replaced only after a new one has been fully parsed and lifted, so a bad
 * drop never destroys the scene already loaded. Features are keyed by the cloud they belong to.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import type { HalfPointFeatures, PointFeatures, RgbdView } from '../core/units.ts';
import type { FeatureAgreement } from '../core/query/agreement.ts';
import { pcaToRgbGlobal } from '../core/query/pca.ts';
import { storeAgreement, storePca, storePointSimilarity } from '../core/features/storeKernels.ts';
import type { CompactFeatures } from '../core/features/featureStores.ts';
import { writeFeaturePly, type StreamedFeaturePly } from '../core/features/featurePlyStream.ts';
import type { ModelSource } from './loadedModels.ts';
import { ModelCache } from './modelCache.ts';
import { FeatureSets, type FeatureSetsSnapshot } from './featureSets.ts';
import { refineStore, type RefinementSummary } from './refineService.ts';
import type { LinearRefineOptions } from '../core/match/linearRefine.ts';
import { instancesOf, runQuery, segmentQueryInputs } from './queryService.ts';
import { runTeacherOn, type TeacherRunOptions, type TeacherSummary } from './teacherService.ts';
import type { ClusteredInstances, FeatureSetId, FeatureSetInfo, QueryOutcome, QueryRequest, StageProgress } from './queryTypes.ts';
import type { TeacherProgress } from '../core/teacher/runTeacher.ts';
import { prepareFeatures, warmModels, type PreparedFeatures, type WarmModels } from './featureWarmup.ts';

export type { QueryOutcome, QueryRequest, QueryTimings } from './queryTypes.ts';
export type { TeacherRunOptions, TeacherSummary } from './teacherService.ts';
export type { FeatureField } from './featureSets.ts';
export type { PreparedFeatures, WarmModels } from './featureWarmup.ts';

export class SceneEngine {
  private cloud: PointCloud | null = null;
  private views: readonly RgbdView[] = [];
  private readonly models: ModelCache;
  private readonly sets: FeatureSets;
  /** The set the 'refined' set was refined from. */
  private refinedFrom: FeatureSetId | null = null;

  /** `source` is asked for lazily, on the first query, so a scene can load before any model. */
  constructor(source: () => Promise<ModelSource>) {
    this.models = new ModelCache(source);
    this.sets = new FeatureSets(this.models);
  }

  /** `features`: per-point features brought with the cloud (PLY extra properties, N×D .npy). */
  setCloud(cloud: PointCloud, features?: PointFeatures | HalfPointFeatures, views: readonly RgbdView[] = []): void {
    this.sets.setCloud(cloud, features);
    this.cloud = cloud;
    this.views = views;
  }

  /**
   * The current cloud's feature sets with the selected one computed (the student's runs when
   * needed), as a snapshot to restore or take a subset of (point pruning).
   */
  async featureSnapshot(): Promise<FeatureSetsSnapshot> {
    await this.sets.field(this.activeFor('feature snapshot'));
    return this.sets.snapshot();
  }

  /** Installs `cloud` (the snapshot's, or with `kept` a subset of it) with the snapshot's feature sets. */
  restoreFeatures(snapshot: FeatureSetsSnapshot, cloud: PointCloud, views: readonly RgbdView[], kept?: Uint32Array): void {
    this.sets.restore(snapshot, kept ? { cloud, kept } : undefined);
    this.cloud = cloud;
    this.views = views;
  }

  /**
   * Forget loaded models (the model source or backend changed, e.g. local model files were
   * dropped); their sessions are released, the next query opens new ones.
   */
  resetModels(): void {
    this.models.reset();
    this.sets.forgetStudent();
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
    const found = instancesOf(cloud, values, threshold);
    return { instances: found.instances, instanceIds: found.instanceIds, clusteringMs: performance.now() - t0 };
  }

  /** `onStage`: told when each inference stage starts and ends (progress bars, status bar). */
  async query(request: QueryRequest, onStage?: (event: StageProgress) => void): Promise<QueryOutcome> {
    return runQuery(request, this.cloud, this.models, this.sets, onStage);
  }

  /** What a segment-level query needs: the cloud, the active set's compact store, encoded phrases (queryService.ts). */
  segmentQueryInputs(phrases: readonly string[], negatives: readonly string[], template: QueryRequest['template']) {
    return segmentQueryInputs(this.cloud, this.models, this.sets, phrases, negatives, template);
  }

  /** Opens ONNX Runtime and the text encoder ahead of the first query (featureWarmup.ts). */
  warmModels(): Promise<WarmModels> {
    return warmModels(this.models);
  }

  /** Computes the selected feature set of the current cloud ahead of the first query, or says it needs the teacher. */
  prepareFeatures(): Promise<PreparedFeatures> {
    this.requireCloud('features');
    return prepareFeatures(
      this.models,
      this.sets,
      this.views.some((v) => v.color !== undefined),
    );
  }

  /**
   * Runs the multi-view object-centric CLIP teacher on the current capture's posed views and keeps its
   * features (one row per segment) as the "teacher" feature set, which it then selects.
   */
  async runTeacher(options: TeacherRunOptions, onProgress?: (progress: TeacherProgress) => void): Promise<TeacherSummary> {
    const cloud = this.requireCloud('teacher');
    const teacher = await runTeacherOn(cloud, this.views, this.models, options, onProgress);
    if (this.cloud !== cloud) throw new Error('teacher: the scene changed while the teacher ran');
    this.sets.setTeacher(cloud, teacher.store, teacher.space, teacher.description, teacher.provenance);
    this.sets.select('teacher');
    return teacher.summary;
  }

  /**
   * Trains the linear refinement on the selected set (or, when the refined set is selected, on the
   * set it came from) and selects the result as the 'refined' set.
   */
  async refineFeatures(options: LinearRefineOptions = {}): Promise<RefinementSummary> {
    const cloud = this.requireCloud('refine');
    let from = await this.sets.field(this.sets.activeId());
    if (from.id === 'refined') from = await this.sets.field(this.refinedFrom ?? 'student');
    const { store, summary } = refineStore(cloud, from.store, from.id, options);
    this.sets.setRefined(cloud, store, from);
    if (this.cloud === cloud) {
      this.refinedFrom = from.id;
      this.sets.select('refined');
    }
    return summary;
  }

  /** The feature sets the current scene offers (the student's is always offered: it is computed on demand). */
  featureSets(): Promise<FeatureSetInfo[]> {
    return this.sets.infos();
  }

  /** Selects the feature set queries, PCA, similarity and export use. */
  useFeatureSet(id: FeatureSetId): void {
    this.sets.select(id);
  }

  /**
   * Feature set `id` (the selected one by default) of the current cloud as a feature PLY's input
   * (x y z rgb feat_*; the student's features are computed first when needed), for
   * `writeFeaturePly` to expand part by part: `fieldlens teacher` writes the parts to a file,
   * `exportFeaturePly` into a Blob.
   */
  async featurePly(id: string = this.sets.activeId()): Promise<StreamedFeaturePly> {
    const cloud = this.requireCloud('feature export');
    const field = await this.sets.field(id);
    return { positions: cloud.positions, colors: cloud.colors, features: field.store, provenance: field.provenance };
  }

  /**
   * The selected feature set as a feature PLY, expanded part by part into a Blob (which a browser
   * may keep on disk): the features never exist expanded, and never leave the worker as an array.
   */
  async exportFeaturePly(): Promise<Blob> {
    let blob = new Blob([]);
    writeFeaturePly(await this.featurePly(), (part) => {
      blob = new Blob([blob, part as Uint8Array<ArrayBuffer>]);
    });
    return blob;
  }

  /** Feature set `id` (the selected one by default) of the current cloud in its compact stored form. */
  async featureStore(id: string = this.sets.activeId()): Promise<CompactFeatures> {
    this.requireCloud(`feature set "${id}"`);
    return (await this.sets.field(id)).store;
  }

  /** PCA of the feature field: 3 components, one global min–max → RGB (DROP-CLIP's view). */
  async pcaColors(): Promise<Uint8Array> {
    const field = await this.sets.field(this.activeFor('PCA'));
    return pcaToRgbGlobal(storePca(field.store, { components: 3 }).projected);
  }

  /** Cosine similarity of every point's feature to the feature of point `index`. */
  async similarityTo(index: number): Promise<Float32Array> {
    const field = await this.sets.field(this.activeFor('similarity'));
    return storePointSimilarity(field.store, index);
  }

  /** Per-point cosine between two feature sets of the current cloud, and its mean. */
  async agreement(a: string, b: string): Promise<FeatureAgreement> {
    const first = await this.sets.field(a);
    const second = await this.sets.field(b);
    if (first.store.dim !== second.store.dim) throw new Error(`agreement: feature set "${a}" is ${first.store.dim}-d but "${b}" is ${second.store.dim}-d`);
    return storeAgreement(first.store, second.store);
  }

  private activeFor(what: string): FeatureSetId {
    this.requireCloud(what);
    return this.sets.activeId();
  }

  private requireCloud(what: string): PointCloud {
    if (!this.cloud || this.cloud.count === 0) throw new Error(`${what}: no point cloud is loaded`);
    return this.cloud;
  }
}
