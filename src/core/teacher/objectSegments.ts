/**
 * Object-centric priors without a model (DROP-CLIP's teacher needs objects): peel off the large planes
 * (floor, then the table top: RANSAC on what is left, while a plane holds at least `minPlaneFraction`
 * of all points), then split the rest into objects by connected components on a voxel grid
 * (src/core/query/clustering.ts). The planes are segments too, so every point of a tabletop gets a
 * feature (the floor's and the table's own), as DROP-CLIP's background does.
 */
import { connectedComponentsOnVoxelGrid } from '../query/clustering.ts';
import { fitDominantPlane, type Plane, type PlaneRansacOptions } from './planeRansac.ts';

export interface SegmentationOptions {
  readonly maxPlanes?: number;
  readonly minPlaneFraction?: number;
  /** Gap that separates objects (metres). */
  readonly voxelSize?: number;
  readonly minObjectPoints?: number;
  readonly ransac?: PlaneRansacOptions;
}

export const DEFAULT_SEGMENTATION: Required<Omit<SegmentationOptions, 'ransac'>> = {
  maxPlanes: 2,
  minPlaneFraction: 0.08,
  voxelSize: 0.01,
  minObjectPoints: 50,
};

export interface SceneSegment {
  readonly id: number;
  readonly kind: 'plane' | 'object';
  readonly count: number;
  /** Set for planes. */
  readonly plane?: Plane;
}

export interface SceneSegments {
  /** Segment id per point; −1 = in no segment (a cluster too small to be an object). */
  readonly segmentOfPoint: Int32Array;
  /** Planes first (largest first), then objects (largest first). */
  readonly segments: readonly SceneSegment[];
}

export function segmentScene(positions: Float32Array, options: SegmentationOptions = {}): SceneSegments {
  const o = { ...DEFAULT_SEGMENTATION, ...options };
  const count = positions.length / 3;
  const segmentOfPoint = new Int32Array(count).fill(-1);
  const remaining = new Uint8Array(count).fill(1);
  const segments: SceneSegment[] = [];
  for (let p = 0; p < o.maxPlanes; p++) {
    const fit = fitDominantPlane(positions, remaining, { ...options.ransac, seed: (options.ransac?.seed ?? 0x91a4e) + p });
    if (!fit || fit.inlierCount < o.minPlaneFraction * count) break;
    const id = segments.length;
    for (let i = 0; i < count; i++) {
      if (fit.inliers[i]) {
        segmentOfPoint[i] = id;
        remaining[i] = 0;
      }
    }
    segments.push({ id, kind: 'plane', count: fit.inlierCount, plane: fit.plane });
  }
  const components = connectedComponentsOnVoxelGrid(positions, remaining, o.voxelSize, { minPoints: o.minObjectPoints });
  const first = segments.length;
  for (let i = 0; i < count; i++) {
    const c = components.instanceIds[i]!;
    if (c >= 0) segmentOfPoint[i] = first + c;
  }
  for (const instance of components.instances) segments.push({ id: first + instance.id, kind: 'object', count: instance.count });
  return { segmentOfPoint, segments };
}
