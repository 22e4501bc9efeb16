/**
 * The whole ingestion pipeline on dropped files, shared by the scene worker and the CLI:
 * expand zips → detect the format and parse (the CaptureRegistry) → back-project every view into the world
 * frame → fuse → depth range → voxel down-sampling → statistical outlier removal. The point
 * budget is checked twice: on the count to lift, before lifting, and on the final count.
 *
 * Pure and synchronous; `onProgress` lets the worker drive a progress bar for long sequences.
 */
import { backProjectDepth } from '../lift/backProjectDepth.ts';
import { concatPointClouds, type PointCloud } from '../lift/pointCloud.ts';
import { voxelDownsample, voxelDownsampleFeatures } from '../lift/voxelDownsample.ts';
import { removeStatisticalOutliers } from '../lift/outlierFilter.ts';
import { depthRangeMask, filterPoints } from '../lift/depthRange.ts';
import type { RestoredResult } from '../export/resultPly.ts';
import { asDepthScale, asWorldPoints, type HalfPointFeatures, type PointFeatures, type PointSet, type RgbdView } from '../units.ts';
import { expandArchives, type CaptureFile } from './captureFiles.ts';
import { CAPTURE_FORMATS } from './captureFormats.ts';
import type { CaptureRegistry } from './captureRegistry.ts';
import type { CaptureSettings } from './captureSettings.ts';
import type { AssembledCapture } from './captureTypes.ts';
import { FormatError } from '../formats/formatError.ts';

/** The lifting half of the capture settings. */
export type LiftOptions = Pick<CaptureSettings, 'voxelSize' | 'minDepth' | 'maxDepth' | 'removeOutliers'>;

export interface LoadProgressReport {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

export interface LoadedCapture {
  readonly capture: AssembledCapture;
  readonly cloud: PointCloud;
  /** Bring-your-own per-point features (PLY extra properties, N×D .npy), aligned with `cloud`. */
  readonly features?: PointFeatures;
  /** Instead of `features` when they are an embedding (≥ MIN_EMBEDDING_DIM channels): binary16, never float32. */
  readonly halfFeatures?: HalfPointFeatures;
  readonly counts: { readonly lifted: number; readonly afterRange: number; readonly afterVoxel: number; readonly afterOutliers: number };
  /** A FieldLens result PLY's saved query result, aligned with `cloud` (absent when filters dropped points). */
  readonly restoredResult?: RestoredResult;
}

export function liftViews(views: readonly RgbdView[], lift: LiftOptions, onProgress?: (p: LoadProgressReport) => void): PointCloud {
  const clouds = views.map((view, viewIndex) => {
    onProgress?.({ stage: `Lifting ${view.name}`, done: viewIndex, total: views.length });
    return backProjectDepth(
      { width: view.depth.width, height: view.depth.height, units: view.depth.metres },
      {
        intrinsics: view.intrinsics,
        depthScale: asDepthScale(1),
        cameraToWorld: view.cameraToWorld,
        ...(view.color ? { color: view.color } : {}),
        viewIndex,
        ...(lift.minDepth > 0 ? { minDepth: lift.minDepth } : {}),
        ...(Number.isFinite(lift.maxDepth) ? { maxDepth: lift.maxDepth } : {}),
      },
    );
  });
  onProgress?.({ stage: 'Fusing views', done: views.length, total: views.length });
  return concatPointClouds(clouds);
}

const GREY = 160;

/** A point file as a cloud: colourless files are drawn grey; (view, pixel) = (0, point index). */
export function cloudFromPointSet(points: PointSet, lift: LiftOptions): { cloud: PointCloud; keptIndex: Uint32Array | null } {
  const cloud: PointCloud = {
    count: points.count,
    // A point file's own frame is the scene's world frame.
    positions: asWorldPoints(points.positions),
    colors: points.colors ?? new Uint8Array(points.count * 3).fill(GREY),
    viewIndex: new Uint16Array(points.count),
    pixelIndex: Uint32Array.from({ length: points.count }, (_, i) => i),
  };
  // A depth range on a point file is a range of distance from the origin (its sensor, usually).
  if (lift.minDepth <= 0 && !Number.isFinite(lift.maxDepth)) return { cloud, keptIndex: null };
  const keep = depthRangeMask(cloud, undefined, lift.minDepth, lift.maxDepth, 'distance');
  const { cloud: kept, keptIndex } = filterPoints(cloud, keep);
  return { cloud: kept, keptIndex };
}

/** The rows of the kept points, in the stored form (float32 values or halves). */
function selectFeatures(features: PointFeatures | HalfPointFeatures, index: Uint32Array): PointFeatures | HalfPointFeatures {
  const select = <Rows extends Float32Array | Uint16Array>(rows: Rows, dim: number): Rows => {
    const out = new (rows.constructor as new (length: number) => Rows)(index.length * dim);
    for (let i = 0; i < index.length; i++) out.set(rows.subarray(index[i]! * dim, (index[i]! + 1) * dim), i * dim);
    return out;
  };
  return 'halves' in features ? { ...features, halves: select(features.halves, features.dim) } : { ...features, values: select(features.values, features.dim) };
}

export function loadCapture(
  files: readonly CaptureFile[],
  options: CaptureSettings,
  onProgress?: (p: LoadProgressReport) => void,
  formats: CaptureRegistry = CAPTURE_FORMATS,
  limits: PointLimits = POINT_LIMITS,
): LoadedCapture {
  onProgress?.({ stage: 'Reading files', done: 0, total: 1 });
  const assembled = formats.assemble(expandArchives(files), options);
  let cloud: PointCloud;
  let features: PointFeatures | HalfPointFeatures | undefined;
  let lifted: number;
  if (assembled.views) {
    lifted = assembled.views.reduce((n, v) => n + countValid(v.depth.metres), 0);
    // Counted before any point is made: a capture too big to hold is refused before lifting.
    checkLiftBudget(
      assembled.views.reduce((n, v) => n + countInRange(v.depth.metres, options), 0),
      options,
      limits,
    );
    cloud = liftViews(assembled.views, options, onProgress);
  } else {
    const points = assembled.points!;
    lifted = points.count;
    checkLiftBudget(points.count, options, limits);
    const result = cloudFromPointSet(points, options);
    cloud = result.cloud;
    const own = points.halfFeatures ?? points.features;
    features = own && (result.keptIndex ? selectFeatures(own, result.keptIndex) : own);
  }
  const afterRange = cloud.count;
  if (options.voxelSize > 0) {
    onProgress?.({ stage: 'Voxel down-sampling', done: 0, total: 1 });
    const down = voxelDownsample(cloud, options.voxelSize);
    if (features) {
      features =
        'halves' in features
          ? { ...features, halves: voxelDownsampleFeatures(features.halves, features.dim, down.assignment, down.cloud.count) }
          : { ...features, values: voxelDownsampleFeatures(features.values, features.dim, down.assignment, down.cloud.count) };
    }
    cloud = down.cloud;
  }
  const afterVoxel = cloud.count;
  if (options.removeOutliers && cloud.count > 0) {
    const report = (done: number, total: number) => onProgress?.({ stage: 'Removing outliers', done, total });
    report(0, cloud.count);
    const { keep } = removeStatisticalOutliers(cloud.positions, cloud.count, { neighbours: 20, stdRatio: 2, onProgress: report });
    const result = filterPoints(cloud, keep);
    cloud = result.cloud;
    if (features) features = selectFeatures(features, result.keptIndex);
  }
  checkPointBudget(cloud.count, limits.maxScenePoints);
  const counts = { lifted, afterRange, afterVoxel, afterOutliers: cloud.count };
  // A saved result is per point of the file: restorable only when no filter dropped or merged points.
  const saved = assembled.savedResult;
  const restorable = saved && cloud.count === lifted;
  const capture: AssembledCapture = saved && !restorable ? { ...assembled, warnings: [...assembled.warnings, SAVED_RESULT_FILTERED] } : assembled;
  const kept = features ? ('halves' in features ? { halfFeatures: features } : { features }) : {};
  return { capture, cloud, ...kept, counts, ...(restorable ? { restoredResult: saved } : {}) };
}

/**
 * The most points a scene may have once lifted and filtered: the studio holds about 100 bytes per
 * point (positions, colours, provenance, fp16 features, display buffers; a 10 M-point PLY measured
 * +1.0 GiB in Chromium), so 30 M points are ~3 GiB. Larger is refused with the figure before any
 * model, feature or drawing work starts; the voxel size brings a capture under it.
 */
export const MAX_SCENE_POINTS = 30_000_000;

/**
 * The point limits of one load. Lifting alone costs ~25 bytes per point (positions, colours,
 * provenance, the voxel assignment) and the lifted cloud exists only until the voxel grid merges
 * it, so with a voxel size set up to 4× the scene budget may be lifted; without one, the lifted
 * cloud is the scene and the scene budget applies before lifting.
 */
export interface PointLimits {
  readonly maxScenePoints: number;
  readonly maxLiftedPoints: number;
}
export const POINT_LIMITS: PointLimits = { maxScenePoints: MAX_SCENE_POINTS, maxLiftedPoints: 4 * MAX_SCENE_POINTS };

/** Refuses, before any point is made, a capture whose lifting alone would exceed the limits. */
export function checkLiftBudget(pointsToLift: number, lift: Pick<LiftOptions, 'voxelSize'>, limits: PointLimits = POINT_LIMITS): void {
  if (lift.voxelSize <= 0) return checkPointBudget(pointsToLift, limits.maxScenePoints);
  if (pointsToLift > limits.maxLiftedPoints) {
    throw new FormatError(
      `the capture has ${pointsToLift.toLocaleString('en')} points to lift; FieldLens lifts at most ${limits.maxLiftedPoints.toLocaleString('en')} at once, even with a voxel size (the lifted cloud exists before the voxel grid merges it) — load fewer frames or down-sample it first`,
    );
  }
}

export function checkPointBudget(points: number, max = MAX_SCENE_POINTS): void {
  if (points > max) {
    throw new FormatError(
      `the capture lifts to ${points.toLocaleString('en')} points; FieldLens holds at most ${max.toLocaleString('en')} in a browser tab (about 100 bytes each) — set a voxel size in the capture settings (e.g. 0.01 m) or down-sample it first`,
    );
  }
}

const SAVED_RESULT_FILTERED = 'the saved query result was not restored: the capture settings filtered points out (turn the filters off to see it)';

/** The pixels that will become points: valid depth within the depth range (backProjectDepth's rule). */
function countInRange(metres: Float32Array, lift: Pick<LiftOptions, 'minDepth' | 'maxDepth'>): number {
  const lo = Math.max(lift.minDepth, 0);
  const hi = Math.min(lift.maxDepth, Number.MAX_VALUE);
  let n = 0;
  for (let i = 0; i < metres.length; i++) {
    const d = metres[i]!;
    if (d > 0 && d >= lo && d <= hi) n++;
  }
  return n;
}

function countValid(metres: Float32Array): number {
  let n = 0;
  for (let i = 0; i < metres.length; i++) if (metres[i]! > 0 && metres[i]! !== Infinity) n++;
  return n;
}
