/**
 * The typed protocol of the scene worker (comlink). The worker owns the lifted cloud and its
 * per-point features; only what is drawn crosses back (positions and colours once per scene,
 * one float per point per query), always as transferred buffers.
 */
import type { Bounds3 } from '../../src/core/lift/pointCloud.ts';
import type { QueryTimings } from '../../src/infer/sceneEngine.ts';
import type { LoadProgress } from '../../src/infer/modelLoader.ts';
import type { BackendPreference, ExecutionBackend } from '../../src/infer/ortRuntime.ts';
import type { ScalarRange } from '../../src/core/query/relevancy.ts';

export interface SceneWorkerConfig {
  /** Absolute URL of models/manifest.json; model paths resolve relative to it. */
  readonly manifestUrl: string;
  readonly backend: BackendPreference;
}

/** A dropped file; `bytes` is transferred to the worker (the caller loses it). */
export interface TransferredFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export interface IngestOptions {
  /** Depth units per metre. */
  readonly depthScale: number;
  /** Used when no intrinsics JSON is dropped. */
  readonly intrinsicsPresetId?: string | undefined;
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
}

export interface QueryResult {
  /** Cosine relevancy per point (transferred). */
  readonly relevancy: Float32Array;
  readonly range: ScalarRange;
  readonly backend: ExecutionBackend;
  readonly timings: QueryTimings;
  readonly modelIds: { readonly text: string; readonly student: string };
}

export interface SceneWorkerApi {
  configure(config: SceneWorkerConfig): Promise<void>;
  /** Fetches a fieldlens-scene@1 description and its images, lifts and fuses all views. */
  loadSceneUrl(sceneUrl: string): Promise<DrawableCloud>;
  /** Parses and lifts dropped files; on error the current scene is unchanged. */
  loadDroppedFiles(files: TransferredFile[], options: IngestOptions): Promise<DrawableCloud>;
  /** Encodes the phrase, runs the student if needed, returns relevancy. `onProgress` is a comlink proxy. */
  query(text: string, onProgress?: (event: LoadProgress) => void): Promise<QueryResult>;
}
