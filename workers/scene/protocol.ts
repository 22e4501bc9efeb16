/**
 * The typed protocol of the scene worker (comlink). The worker owns the lifted cloud and its
 * per-point features; only what is drawn crosses back (positions and colours once per scene,
 * one float per point per query), always as transferred buffers.
 */
import type { Bounds3 } from '../../src/core/lift/pointCloud.ts';
import type { ClusteredInstances, QueryOutcome, QueryRequest, StageProgress } from '../../src/infer/queryTypes.ts';
import type { LoadProgress } from '../../src/infer/modelLoader.ts';
import type { BackendPreference } from '../../src/infer/ortRuntime.ts';
import type { PinholeIntrinsics } from '../../src/core/units.ts';
import type { TypedIntrinsics } from '../../src/core/capture/captureTypes.ts';
import type { FeatureAgreement } from '../../src/core/query/agreement.ts';
import type { RgbaImage } from '../../src/core/views/viewImages.ts';
import type { PointSources } from '../../src/core/views/overlayPoints.ts';
import type { RestoredResult } from '../../src/core/export/resultPly.ts';
import type { FeatureSetId, FeatureSetInfo } from '../../src/infer/queryTypes.ts';
import type { TeacherRunOptions, TeacherSummary } from '../../src/infer/sceneEngine.ts';
import type { TeacherProgress } from '../../src/core/teacher/runTeacher.ts';

export type { FeatureSetId, FeatureSetInfo, TeacherProgress, TeacherRunOptions, TeacherSummary };

export interface SceneWorkerConfig {
  /** Absolute URL of models/manifest.json; model paths resolve relative to it. */
  readonly manifestUrl: string;
  readonly backend: BackendPreference;
}

/** A dropped file; `bytes` is transferred to the worker (the caller loses it). */
export interface TransferredFile {
  /** Path relative to the dropped folder ('/'-separated), or the file name. */
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export interface IngestOptions {
  /** Depth units per metre for integer depth; 'auto' = the format's convention (TUM 5000, else 1000). */
  readonly depthScale: number | 'auto';
  /** Used when the capture has no intrinsics: typed values (for the depth image) win over a preset. */
  readonly intrinsics?: TypedIntrinsics | undefined;
  readonly intrinsicsPresetId?: string | undefined;
  /** Voxel size in metres for down-sampling the fused cloud; 0 = off. */
  readonly voxelSize: number;
  /** Depth range in metres (from each camera); points outside are dropped. */
  readonly minDepth: number;
  readonly maxDepth: number;
  /** Statistical outlier removal (k = 20 neighbours, 2 standard deviations). */
  readonly removeOutliers: boolean;
  /** Sequences longer than this are sub-sampled uniformly. */
  readonly maxFrames: number;
}

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
  readonly cameraToWorld: readonly number[];
}

/** What the page needs to draw a cloud; the buffers are transferred to the caller. */
export interface DrawableCloud {
  readonly count: number;
  /** xyz metres, world frame. */
  readonly positions: Float32Array;
  /** rgb 0..255. */
  readonly colors: Uint8Array;
  readonly bounds: Bounds3;
  readonly liftMs: number;
  /** Where the viewer starts: the first input camera (camera-to-world, row-major) and world up. */
  readonly viewpoint: { readonly cameraToWorld: readonly number[]; readonly up: readonly [number, number, number] };
  /** What was recognised, for the UI: e.g. "RGB-D frame (color.png + depth.png, intrinsics from camera.json)". */
  readonly description: string;
  /** Non-fatal notes (NaN pixels ignored, frames sub-sampled, …). */
  readonly warnings: readonly string[];
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

export interface SceneWorkerApi {
  configure(config: SceneWorkerConfig): Promise<void>;
  /** Runs the models on another backend from the next task on: the open sessions are released. */
  setBackend(backend: BackendPreference): Promise<void>;
  /** Fetches a fieldlens-scene@1 description and its images, lifts and fuses all views; or a .ply / .pcd point cloud. */
  loadSceneUrl(sceneUrl: string): Promise<DrawableCloud>;
  /**
   * Detects the capture format of dropped files (loose files, a folder's files with relative paths,
   * zips), parses, lifts, fuses and filters. On error the current scene is unchanged.
   */
  loadDroppedFiles(files: TransferredFile[], options: IngestOptions, onProgress?: (progress: IngestProgress) => void): Promise<DrawableCloud>;
  /**
   * Lifts the last dropped capture again with new options (depth scale, intrinsics, filters) —
   * the worker keeps its files, so nothing is re-read or re-sent.
   */
  reloadWithOptions(options: IngestOptions, onProgress?: (progress: IngestProgress) => void): Promise<DrawableCloud>;
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
  /** The selected feature set as a feature PLY (x y z rgb feat_*), transferred. */
  exportFeaturePly(onProgress?: (event: LoadProgress) => void): Promise<Uint8Array>;
  /** Full-resolution RGBA of input view `index` of the current scene (transferred). */
  viewImage(index: number): Promise<ViewImage>;
  /**
   * Runs the multi-view object-centric CLIP teacher on the current capture's posed views; its features
   * stay here as the feature set "teacher", which becomes the selected one. `onProgress` (comlink
   * proxy) reports per view and per object.
   */
  runTeacher(options: TeacherRunOptions, onProgress?: (progress: TeacherProgress) => void): Promise<TeacherSummary>;
  /** The feature sets of the current scene (student, teacher once run, the file's own). */
  featureSets(): Promise<FeatureSetInfo[]>;
  /** Which set queries, PCA, similarity and export use. */
  useFeatureSet(id: FeatureSetId): Promise<void>;
}

/** What a running task reports: model downloads (bytes) and inference stages. */
export type TaskProgress = LoadProgress | StageProgress;
