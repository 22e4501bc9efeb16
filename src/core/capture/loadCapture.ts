/**
 * The whole ingestion pipeline on dropped files, shared by the scene worker and the CLI:
 * expand zips → detect format and parse (assembleCapture) → back-project every view into the world
 * frame → fuse → depth range → voxel down-sampling → statistical outlier removal.
 *
 * Pure and synchronous; `onProgress` lets the worker drive a progress bar for long sequences.
 */
import { backProjectDepth } from '../lift/backProjectDepth.ts';
import { concatPointClouds, type PointCloud } from '../lift/pointCloud.ts';
import { voxelDownsample, voxelDownsampleFeatures } from '../lift/voxelDownsample.ts';
import { removeStatisticalOutliers } from '../lift/outlierFilter.ts';
import { depthRangeMask, filterPoints } from '../lift/depthRange.ts';
import { asDepthScale, type Metres, type PointFeatures, type PointSet, type RgbdView } from '../units.ts';
import { expandArchives, type CaptureFile } from './captureFiles.ts';
import { assembleCapture } from './assembleCapture.ts';
import type { AssembledCapture, CaptureOptions } from './captureTypes.ts';

export interface LiftOptions {
  /** Metres; 0 = keep every point. */
  readonly voxelSize: number;
  /** Metres along each camera's z; 0 / Infinity = no limit. */
  readonly minDepth: number;
  readonly maxDepth: number;
  readonly removeOutliers: boolean;
}

export const DEFAULT_LIFT_OPTIONS: LiftOptions = { voxelSize: 0, minDepth: 0, maxDepth: Infinity, removeOutliers: false };

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
  readonly counts: { readonly lifted: number; readonly afterRange: number; readonly afterVoxel: number; readonly afterOutliers: number };
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
        ...(lift.minDepth > 0 ? { minDepth: lift.minDepth as Metres } : {}),
        ...(Number.isFinite(lift.maxDepth) ? { maxDepth: lift.maxDepth as Metres } : {}),
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
    positions: points.positions,
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

function selectFeatures(features: PointFeatures, index: Uint32Array): PointFeatures {
  const values = new Float32Array(index.length * features.dim);
  for (let i = 0; i < index.length; i++) values.set(features.values.subarray(index[i]! * features.dim, (index[i]! + 1) * features.dim), i * features.dim);
  return { ...features, values };
}

export function loadCapture(files: readonly CaptureFile[], options: CaptureOptions & LiftOptions, onProgress?: (p: LoadProgressReport) => void): LoadedCapture {
  onProgress?.({ stage: 'Reading files', done: 0, total: 1 });
  const capture = assembleCapture(expandArchives(files), options);
  let cloud: PointCloud;
  let features: PointFeatures | undefined;
  let lifted: number;
  if (capture.views) {
    cloud = liftViews(capture.views, options, onProgress);
    lifted = capture.views.reduce((n, v) => n + countValid(v.depth.metres), 0);
  } else {
    const points = capture.points!;
    lifted = points.count;
    const result = cloudFromPointSet(points, options);
    cloud = result.cloud;
    features = points.features && (result.keptIndex ? selectFeatures(points.features, result.keptIndex) : points.features);
  }
  const afterRange = cloud.count;
  if (options.voxelSize > 0) {
    onProgress?.({ stage: 'Voxel down-sampling', done: 0, total: 1 });
    const down = voxelDownsample(cloud, options.voxelSize);
    if (features) features = { ...features, values: voxelDownsampleFeatures(features.values, features.dim, down.assignment, down.cloud.count) };
    cloud = down.cloud;
  }
  const afterVoxel = cloud.count;
  if (options.removeOutliers && cloud.count > 0) {
    onProgress?.({ stage: 'Removing outliers', done: 0, total: 1 });
    const { keep } = removeStatisticalOutliers(cloud.positions, cloud.count, { neighbours: 20, stdRatio: 2 });
    const result = filterPoints(cloud, keep);
    cloud = result.cloud;
    if (features) features = selectFeatures(features, result.keptIndex);
  }
  return { capture, cloud, ...(features ? { features } : {}), counts: { lifted, afterRange, afterVoxel, afterOutliers: cloud.count } };
}

function countValid(metres: Float32Array): number {
  let n = 0;
  for (let i = 0; i < metres.length; i++) if (metres[i]! > 0 && metres[i]! !== Infinity) n++;
  return n;
}
