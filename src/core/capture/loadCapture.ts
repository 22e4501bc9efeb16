/**
 * The whole ingestion pipeline on dropped files, shared by the scene worker and the CLI:
 * expand zips → detect the format and parse (the CaptureRegistry) → back-project every view into the world
 * frame → fuse → depth range → voxel down-sampling → statistical outlier removal.
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
): LoadedCapture {
  onProgress?.({ stage: 'Reading files', done: 0, total: 1 });
  const assembled = formats.assemble(expandArchives(files), options);
  let cloud: PointCloud;
  let features: PointFeatures | HalfPointFeatures | undefined;
  let lifted: number;
  if (assembled.views) {
    cloud = liftViews(assembled.views, options, onProgress);
    lifted = assembled.views.reduce((n, v) => n + countValid(v.depth.metres), 0);
  } else {
    const points = assembled.points!;
    lifted = points.count;
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
  const counts = { lifted, afterRange, afterVoxel, afterOutliers: cloud.count };
  // A saved result is per point of the file: restorable only when no filter dropped or merged points.
  const saved = assembled.savedResult;
  const restorable = saved && cloud.count === lifted;
  const capture: AssembledCapture = saved && !restorable ? { ...assembled, warnings: [...assembled.warnings, SAVED_RESULT_FILTERED] } : assembled;
  const kept = features ? ('halves' in features ? { halfFeatures: features } : { features }) : {};
  return { capture, cloud, ...kept, counts, ...(restorable ? { restoredResult: saved } : {}) };
}

const SAVED_RESULT_FILTERED = 'the saved query result was not restored: the capture settings filtered points out (turn the filters off to see it)';

function countValid(metres: Float32Array): number {
  let n = 0;
  for (let i = 0; i < metres.length; i++) if (metres[i]! > 0 && metres[i]! !== Infinity) n++;
  return n;
}
