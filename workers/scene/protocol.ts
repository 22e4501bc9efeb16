/**
 * The typed protocol of the scene worker (comlink). The worker owns the lifted cloud and its
 * per-point features; only what is drawn crosses back (positions and colours once per scene,
 * one float per point per query), always as transferred buffers.
 */
import type { Bounds3 } from '../../src/core/lift/pointCloud.ts';
import type { DrawOrder } from '../../src/core/lift/drawOrder.ts';
import type { ClusteredInstances, QueryOutcome, QueryRequest, StageProgress } from '../../src/infer/queryTypes.ts';
import type { LoadProgress } from '../../src/infer/modelLoader.ts';
import type { BackendPreference } from '../../src/infer/ortRuntime.ts';
import type { CameraToWorld, PinholeIntrinsics, WorldPoints } from '../../src/core/units.ts';
import type { CaptureSettings } from '../../src/core/capture/captureSettings.ts';
import type { DepthScaleWarning } from '../../src/core/capture/depthUnitsCheck.ts';
import type { FeatureAgreement } from '../../src/core/query/agreement.ts';
import type { RgbaImage } from '../../src/core/views/viewImages.ts';
import type { PointSources } from '../../src/core/views/overlayPoints.ts';
import type { RestoredResult } from '../../src/core/export/resultPly.ts';
import type { FeatureSetId, FeatureSetInfo } from '../../src/infer/queryTypes.ts';
import type { PreparedFeatures, TeacherRunOptions, TeacherSummary, WarmModels } from '../../src/infer/sceneEngine.ts';
import type { TeacherProgress } from '../../src/core/teacher/runTeacher.ts';
import type { MaskQueryOutcome, MaskQueryRequest, RelationOutcome, SegmentSource } from '../../src/infer/segmentQueries.ts';
import type { RelevancyKind } from '../../src/core/query/formulaTable.ts';
import type { PromptTemplateSet } from '../../src/core/query/prompts.ts';
import type { StudioViewWorkerApi } from './studioViewProtocol.ts';
import type { VoxelWorkerApi } from './voxelProtocol.ts';
import type { FeatureToolsWorkerApi } from './featureToolsProtocol.ts';

export type { FeatureSetId, FeatureSetInfo, PreparedFeatures, TeacherProgress, TeacherRunOptions, TeacherSummary, WarmModels };

export interface SceneWorkerConfig {
  /** Absolute URL of models/manifest.json; model paths resolve relative to it. */
  readonly manifestUrl: string;
  readonly backend: BackendPreference;
  /** The model set of the manifest to use (its default set when absent). */
  readonly modelSet?: string;
  /** No byte for this long ends a model download as stalled (`?stall=<seconds>`; the loader's default when absent). */
  readonly stallTimeoutMs?: number;
}

/** A model set of the manifest, as the studio's picker lists it. */
export interface ModelSetInfo {
  readonly id: string;
  readonly label: string;
  readonly space: string;
  /** What a first use downloads (fp32 files + tokenizer), from the manifest. */
  readonly totalBytes: number;
  /** What choosing it would download now on this device: 0 when bundled with the page or already cached. */
  readonly downloadBytes: number;
  /** Every file is served with the page (nothing to download or re-verify before use). */
  readonly bundled: boolean;
  readonly hasStudent: boolean;
  /** The manifest's default set. */
  readonly isDefault: boolean;
}

export interface ModelSetDownloadReport {
  readonly files: number;
  readonly bytes: number;
  /** Cached copies whose hash no longer matched: evicted and downloaded again. */
  readonly evicted: readonly string[];
}

/** A dropped file; `bytes` is transferred to the worker (the caller loses it). */
export interface TransferredFile {
  /** Path relative to the dropped folder ('/'-separated), or the file name. */
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

/** How dropped files are read and lifted: the core's capture settings, branded units and all. */
export type IngestOptions = CaptureSettings;

/** Progress of a multi-step load, rendered as a progress bar. */
export interface IngestProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

/** One input camera, for drawing its frustum and looking through it. */
export interface CameraView {
  readonly name: string;
  readonly intrinsics: PinholeIntrinsics;
  /** Row-major camera-to-world, OpenCV frame. */
  readonly cameraToWorld: CameraToWorld;
}

/** The first input camera (identity for bare clouds) and the detected world up, with why. */
export interface SceneViewpoint {
  readonly cameraToWorld: CameraToWorld;
  readonly up: readonly [number, number, number];
  /** e.g. "the capture's world up", "support plane at the bottom". */
  readonly upReason: string;
}

/** What the page needs to draw a cloud; the buffers are transferred to the caller. */
export interface DrawableCloud {
  readonly count: number;
  /** xyz metres, world frame. */
  readonly positions: WorldPoints;
  /** rgb 0..255. */
  readonly colors: Uint8Array;
  /** Which points to draw first under the point budget (an index order; the buffers keep their order), or null (drawn whole). Transferred. */
  readonly drawOrder: DrawOrder | null;
  readonly bounds: Bounds3;
  /** 1st–99th percentile box (centroid: per-axis median): what the viewer frames. */
  readonly robustBounds: Bounds3;
  readonly liftMs: number;
  /** Where the viewer starts: the first input camera (camera-to-world, row-major) and world up. */
  readonly viewpoint: SceneViewpoint;
  /** What was recognised, for the UI: e.g. "RGB-D frame (color.png + depth.png, intrinsics from camera.json)". */
  readonly description: string;
  /** Non-fatal notes (NaN pixels ignored, frames sub-sampled, …). */
  readonly warnings: readonly string[];
  /** A frame's median depth is implausible for the depth scale it was read with (shown beside that setting). */
  readonly depthScaleWarning?: DepthScaleWarning;
  /** Points after lifting and after each filter, for the UI's before/after counts. */
  readonly counts: { readonly lifted: number; readonly afterRange: number; readonly afterVoxel: number; readonly afterOutliers: number };
  /** Input cameras (empty for point-cloud files). */
  readonly cameras: readonly CameraView[];
  /** One small RGBA image per input camera (long side ≤ 160 px), for the frusta; transferred. */
  readonly thumbnails: readonly RgbaImage[];
  /**
   * For each point, the input view and depth pixel it came from (after voxel averaging: its
   * representative point's); null when the scene has no views (point-cloud files). Transferred.
   */
  readonly sources: PointSources | null;
  /** The query result saved in a FieldLens result PLY, shown without running a model (buffers transferred). */
  readonly restoredResult?: RestoredResult;
}

/** A full-resolution input view, with the size of the depth image that point sources index. */
export interface ViewImage {
  readonly image: RgbaImage;
  readonly depthWidth: number;
  readonly depthHeight: number;
}

/** The query outcome; its per-point arrays are transferred. */
export type QueryResult = QueryOutcome;

export interface SceneWorkerApi extends SegmentWorkerApi, StudioViewWorkerApi, VoxelWorkerApi, FeatureToolsWorkerApi {
  configure(config: SceneWorkerConfig): Promise<void>;
  /** Runs the models on another backend from the next task on: the open sessions are released. */
  setBackend(backend: BackendPreference): Promise<void>;
  /** Fetches a fieldlens-scene@1 description and its images, lifts and fuses all views; or a .ply / .pcd point cloud. */
  loadSceneUrl(sceneUrl: string): Promise<DrawableCloud>;
  /**
   * Detects the capture format of dropped files (loose files, a folder's files with relative paths,
   * zips), parses, lifts, fuses and filters. On error the current scene is unchanged.
   */
  /** The file picker's `accept`: every registered capture format's extensions (the registry lives here, not in the page bundle). */
  acceptedFileTypes(): Promise<string>;
  loadDroppedFiles(files: TransferredFile[], options: IngestOptions, onProgress?: (progress: IngestProgress) => void): Promise<DrawableCloud>;
  /**
   * Lifts the last dropped capture again with new options (depth scale, intrinsics, filters) —
   * the worker keeps its files, so nothing is re-read or re-sent.
   */
  reloadWithOptions(options: IngestOptions, onProgress?: (progress: IngestProgress) => void): Promise<DrawableCloud>;
  /**
   * Multiplies every length of the current scene (points, camera centres, depth) by `factor` — a unit
   * fix such as mm → m (0.001) — and returns it again, with new bounds.
   */
  rescale(factor: number): Promise<DrawableCloud>;
  /**
   * Encodes the phrases, runs the student if needed, returns relevancy / labels / instances.
   * `onProgress` (a comlink proxy) hears model downloads and the start / end of each stage.
   */
  query(request: QueryRequest, onProgress?: (event: TaskProgress) => void): Promise<QueryResult>;
  /**
   * Uses dropped .onnx files (+ tokenizer.json) as the text encoder and/or student instead of the
   * manifest's defaults; returns what was recognised. The bytes are transferred.
   */
  useLocalModels(files: TransferredFile[]): Promise<string>;
  /** PCA of the feature field → 8-bit RGB per point (transferred). */
  pcaColors(onProgress?: (event: LoadProgress) => void): Promise<Uint8Array>;
  /** Cosine similarity of every point's feature to point `index`'s (transferred). */
  similarityTo(index: number, onProgress?: (event: LoadProgress) => void): Promise<Float32Array>;
  /**
   * Instances of relevancy layer `layer` of the last query at a new min–max normalised threshold:
   * the worker kept the layer, so only the clustering runs (no model, nothing sent back and forth
   * but the instance ids, transferred).
   */
  clusterInstances(layer: number, threshold: number): Promise<ClusteredInstances>;
  /**
   * Per-point cosine between feature sets `a` and `b` ('student', 'file', a teacher run) of the
   * current cloud, and its mean; `perPoint` is transferred.
   */
  agreement(a: string, b: string, onProgress?: (event: LoadProgress) => void): Promise<FeatureAgreement>;
  /** The selected feature set as a feature PLY (x y z rgb feat_*), built part by part into a Blob. */
  exportFeaturePly(onProgress?: (event: LoadProgress) => void): Promise<Blob>;
  /** Full-resolution RGBA of input view `index` of the current scene (transferred). */
  viewImage(index: number): Promise<ViewImage>;
  /**
   * Runs the multi-view object-centric CLIP teacher on the current capture's posed views; its features
   * stay here as the feature set "teacher", which becomes the selected one. `onProgress` (comlink
   * proxy) reports per view and per object.
   */
  runTeacher(options: TeacherRunOptions, onProgress?: (progress: TeacherProgress) => void): Promise<TeacherSummary>;
  /**
   * Opens ONNX Runtime and the text encoder of the model set in use, ahead of the first query;
   * `onProgress` hears its model downloads, as a query's would.
   */
  warmModels(onProgress?: (event: TaskProgress) => void): Promise<WarmModels>;
  /**
   * Computes the selected feature set of the current scene ahead of the first query (a query then
   * shares the run), or says that it needs the teacher (no student in the model set).
   */
  prepareFeatures(onProgress?: (event: TaskProgress) => void): Promise<PreparedFeatures>;
  /** The feature sets of the current scene (student, teacher once run, the file's own). */
  featureSets(): Promise<FeatureSetInfo[]>;
  /** Which set queries, PCA, similarity and export use. */
  useFeatureSet(id: FeatureSetId): Promise<void>;
  /** The manifest's model sets, with what each would download now. */
  modelSets(): Promise<ModelSetInfo[]>;
  /**
   * Downloads every file of set `id` into Cache Storage (verified), reporting progress per file.
   * Rejects on a failed, stalled or cancelled download; nothing in use changes.
   */
  downloadModelSet(id: string, onProgress?: (event: LoadProgress) => void): Promise<ModelSetDownloadReport>;
  /** Cancels a running downloadModelSet (it rejects with "download cancelled"). */
  cancelModelDownload(): Promise<void>;
  /** Uses set `id` from the next task on: the open sessions are released. */
  useModelSet(id: string): Promise<void>;
  /**
   * Keeps `layers` as the last query's relevancy layers of the current cloud (for clusterInstances):
   * the bridge gives a restarted worker the layers the page shows.
   */
  restoreLayers(layers: Float32Array[]): Promise<void>;
  /**
   * Takes the Web Lock `name` for the worker's whole life and resolves once it holds it: the page
   * asks for the same lock, which it gets when the worker ends in any way — also one that closes
   * itself or is killed without an `error` event.
   */
  holdLifeLock(name: string): Promise<void>;
}

/**
 * Fault injection, present only outside production builds (the worker adds it in dev and bench
 * builds; e2e/bundle.spec.ts checks the production bundle has none of it).
 */
export interface SceneWorkerFaultHooks {
  /**
   * The next query, once its first inference stage has started, crashes the worker with an uncaught
   * error and never answers — as a worker that died mid-query would.
   */
  crashOnNextQueryStage(): Promise<void>;
  /** Closes the worker from inside (`self.close()`) right after answering: no `error` event, no answer to anything after. */
  closeSilently(): Promise<void>;
  /**
   * The bench build's synthetic cloud (src/core/synth, drawn by the page without the worker):
   * voxel-view calls for a cloud of `count` points voxelise syntheticCloud(count) until the next
   * scene load (0: stop).
   */
  useSyntheticCloud(count: number): Promise<void>;
  /** Destroys ONNX Runtime's WebGPU device (a lost device); false when no WebGPU session was opened. */
  loseWebGpuDevice(): Promise<boolean>;
}

/** A relation query from the studio; `viewer` null = input camera 0 (else the current 3D view, camera-to-world row-major). */
export interface StudioRelationRequest {
  readonly text: string;
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  readonly source: SegmentSource;
  readonly viewer: readonly number[] | null;
}

export type { MaskQueryOutcome, MaskQueryRequest, RelationOutcome, SegmentSource };

/** Segment-level queries (src/infer/segmentQueries.ts); segment ids per point are transferred copies. */
export interface SegmentWorkerApi {
  /** Mask mode: segments ranked by the phrase (or labelled by a label set). */
  maskQuery(request: MaskQueryRequest, onProgress?: (event: TaskProgress) => void): Promise<MaskQueryOutcome>;
  /** The relation answer, or null when the text names no relation. */
  relationQuery(request: StudioRelationRequest, onProgress?: (event: TaskProgress) => void): Promise<RelationOutcome | null>;
}

/** What a running task reports: model downloads (bytes) and inference stages. */
export type TaskProgress = LoadProgress | StageProgress;
