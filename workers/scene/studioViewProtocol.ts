/**
 * The scene worker's calls for views of the scene beyond the 3D view: images rendered from any
 * camera (DistillNeRF-style files), the semantic occupancy grid, and a second scene to compare
 * features with (SparseDFF). Part of the one typed protocol (SceneWorkerApi extends it); results'
 * arrays are transferred.
 */
import type { Bounds3 } from '../../src/core/lift/pointCloud.ts';
import type { OccupancyGrid } from '../../src/core/occupancy/semanticOccupancy.ts';
import type { CompareSide, CrossSceneMatches } from '../../src/infer/compareScene.ts';
import type { PinholeIntrinsics } from '../../src/core/units.ts';
import type { CaptureSettings } from '../../src/core/capture/captureSettings.ts';
import type { LoadProgress } from '../../src/infer/modelLoader.ts';

export type { CompareSide, CrossSceneMatches };

/** A pinhole camera to render from (an input camera, or the 3D view's). */
export interface RenderCamera {
  readonly intrinsics: PinholeIntrinsics;
  /** Row-major camera-to-world, OpenCV frame (x right, y down, z forward), metres. */
  readonly cameraToWorld: readonly number[];
}

export interface RenderViewRequest {
  readonly camera: RenderCamera;
  /** Also render the D-channel image of the selected feature set (the student runs first if needed). */
  readonly features: boolean;
}

/** Images of the current cloud seen from `camera`; every array is row-major and transferred. */
export interface RenderedView {
  readonly width: number;
  readonly height: number;
  /** rgb 0..255; 0 where uncovered. */
  readonly rgb: Uint8Array;
  /** Metres along the optical axis; 0 where uncovered. */
  readonly depthMetres: Float32Array;
  /** The point drawn at each pixel, −1 where uncovered: per-point results (relevancy, labels, PCA) are read through it. */
  readonly pointIndex: Int32Array;
  /** [height·width, featureDim] when asked for; zeros where uncovered. */
  readonly features: Float32Array | null;
  readonly featureDim: number;
  /** The features' embedding space, when rendered. */
  readonly featureSpace: string | null;
  /** Splat size used (the cloud's typical point spacing). */
  readonly pointSpacingMetres: number;
  readonly renderMs: number;
}

/** The page sends the per-point labels and relevancy it shows (copies, transferred). */
export interface OccupancyRequest {
  readonly voxelMetres: number;
  readonly labels: Int32Array | null;
  readonly relevancy: Float32Array | null;
}

export type OccupancyResult = OccupancyGrid & { readonly ms: number };

/** The second scene as the page draws it (buffers transferred). */
export interface ComparedScene {
  readonly count: number;
  /** xyz metres, its own world frame. */
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
  readonly bounds: Bounds3;
  readonly description: string;
  readonly featureDim: number;
  readonly featureSpace: string;
  readonly featureSource: string;
  readonly warnings: readonly string[];
}

export interface StudioViewWorkerApi {
  renderView(request: RenderViewRequest, onProgress?: (event: LoadProgress) => void): Promise<RenderedView>;
  occupancy(request: OccupancyRequest): Promise<OccupancyResult>;
  /**
   * Lifts dropped files as the second scene and computes its features; refused (the shown scene
   * and any earlier compared one stay) unless its features share the shown scene's space and dimension.
   */
  openCompareScene(
    files: { readonly name: string; readonly bytes: ArrayBuffer }[],
    settings: CaptureSettings,
    name: string,
    onProgress?: (event: LoadProgress) => void,
  ): Promise<ComparedScene>;
  /** Point `index` of side `from`: similarity to its feature in both scenes and its k best matches in the other. */
  compareMatch(from: CompareSide, index: number, k: number, onProgress?: (event: LoadProgress) => void): Promise<CrossSceneMatches>;
  closeCompareScene(): Promise<void>;
}
