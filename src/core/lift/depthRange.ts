/**
 * Point selection: a generic keep-mask filter, and a depth range applied to a cloud that is
 * already lifted.
 *
 * For RGB-D views the range belongs at back-projection time: `backProjectDepth`'s `minDepth` /
 * `maxDepth` test the raw depth exactly and never allocate the dropped points. `filterByDepthRange`
 * is for clouds that are already in the world frame (a fused cloud, a point file): it measures each
 * point from its own camera, the pose of its `viewIndex`. Measured as 'depth' (along the camera's
 * optical axis, z in the OpenCV camera frame) it is the same test as backProjectDepth's, up to
 * float32 rounding of the stored positions; as 'distance' it is the Euclidean range from the
 * camera centre. Both bounds are inclusive.
 *
 * Ownership: inputs are only read; every returned array is fresh.
 */
import { asWorldPoints, type CameraToWorld } from '../units.ts';
import type { PointCloud } from './pointCloud.ts';

export interface FilteredCloud {
  readonly cloud: PointCloud;
  /** Input index of each kept point, ascending; length cloud.count. */
  readonly keptIndex: Uint32Array;
}

/** Keeps the points i with keep[i] ≠ 0, in input order. `keep` has one entry per point. */
export function filterPoints(cloud: PointCloud, keep: Uint8Array): FilteredCloud {
  const n = cloud.count;
  if (keep.length !== n) throw new RangeError(`filterPoints: the mask has ${keep.length} entries for ${n} points`);
  let kept = 0;
  for (let i = 0; i < n; i++) if (keep[i] !== 0) kept++;
  const keptIndex = new Uint32Array(kept);
  const positions = new Float32Array(kept * 3);
  const colors = new Uint8Array(kept * 3);
  const viewIndex = new Uint16Array(kept);
  const pixelIndex = new Uint32Array(kept);
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    keptIndex[o] = i;
    positions[o * 3] = cloud.positions[i * 3]!;
    positions[o * 3 + 1] = cloud.positions[i * 3 + 1]!;
    positions[o * 3 + 2] = cloud.positions[i * 3 + 2]!;
    colors[o * 3] = cloud.colors[i * 3]!;
    colors[o * 3 + 1] = cloud.colors[i * 3 + 1]!;
    colors[o * 3 + 2] = cloud.colors[i * 3 + 2]!;
    viewIndex[o] = cloud.viewIndex[i]!;
    pixelIndex[o] = cloud.pixelIndex[i]!;
    o++;
  }
  return { cloud: { count: kept, positions: asWorldPoints(positions), colors, viewIndex, pixelIndex }, keptIndex };
}

/** 'depth': along the camera's optical axis (camera-frame z); 'distance': Euclidean from its centre. */
export type RangeMeasure = 'depth' | 'distance';

/**
 * 1 for each point whose depth (or distance) from its own camera lies in [minMetres, maxMetres].
 *
 * @param cameras camera-to-world pose per view, indexed by the points' viewIndex; when omitted,
 *   every point is measured from an identity camera at the world origin looking along +z
 * @param maxMetres Infinity for no upper bound
 */
export function depthRangeMask(
  cloud: PointCloud,
  cameras: readonly CameraToWorld[] | undefined,
  minMetres: number,
  maxMetres: number,
  measure: RangeMeasure = 'depth',
): Uint8Array {
  if (Number.isNaN(minMetres) || Number.isNaN(maxMetres)) throw new RangeError(`depth range: bounds must be numbers, found [${minMetres}, ${maxMetres}]`);
  const n = cloud.count;
  const { positions, viewIndex } = cloud;
  // Per view: centre t and optical axis (third column of R), 6 numbers.
  const views = cameras ?? [];
  const frames = new Float64Array(Math.max(1, views.length) * 6);
  frames[5] = 1; // identity camera when none are given
  views.forEach((m, v) => {
    frames.set([m[3]!, m[7]!, m[11]!, m[2]!, m[6]!, m[10]!], v * 6);
  });
  const viewCount = cameras ? views.length : 1;
  const keep = new Uint8Array(n);
  const euclidean = measure === 'distance';
  for (let i = 0; i < n; i++) {
    const v = cameras ? viewIndex[i]! : 0;
    if (v >= viewCount) throw new RangeError(`depth range: point ${i} comes from view ${v}, but only ${viewCount} camera poses were given`);
    const f = v * 6;
    const dx = positions[i * 3]! - frames[f]!;
    const dy = positions[i * 3 + 1]! - frames[f + 1]!;
    const dz = positions[i * 3 + 2]! - frames[f + 2]!;
    const r = euclidean ? Math.sqrt(dx * dx + dy * dy + dz * dz) : dx * frames[f + 3]! + dy * frames[f + 4]! + dz * frames[f + 5]!;
    keep[i] = r >= minMetres && r <= maxMetres ? 1 : 0;
  }
  return keep;
}

/** The points within [minMetres, maxMetres] of their own camera; see depthRangeMask. */
export function filterByDepthRange(
  cloud: PointCloud,
  cameras: readonly CameraToWorld[] | undefined,
  minMetres: number,
  maxMetres: number,
  measure: RangeMeasure = 'depth',
): FilteredCloud {
  return filterPoints(cloud, depthRangeMask(cloud, cameras, minMetres, maxMetres, measure));
}
