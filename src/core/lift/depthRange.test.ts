import { describe, expect, it } from 'vitest';
import { asCameraToWorld, asDepthScale, type Metres } from '../units.ts';
import { backProjectDepth } from './backProjectDepth.ts';
import { depthRangeMask, filterByDepthRange, filterPoints } from './depthRange.ts';
import { concatPointClouds, type PointCloud } from './pointCloud.ts';
import { asWorldPoints } from '../units.ts';

function cloudAt(points: [number, number, number][], views: number[] = points.map(() => 0)): PointCloud {
  return {
    count: points.length,
    positions: asWorldPoints(Float32Array.from(points.flat())),
    colors: Uint8Array.from(points.flatMap((_, i) => [i, 2 * i, 3 * i])),
    viewIndex: Uint16Array.from(views),
    pixelIndex: Uint32Array.from(points.map((_, i) => 100 + i)),
  };
}

describe('filterPoints', () => {
  it('keeps the masked points with all their attributes, in order, and returns their indices', () => {
    const cloud = cloudAt(
      [
        [0, 0, 1],
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
      ],
      [0, 1, 2, 3],
    );
    const { cloud: kept, keptIndex } = filterPoints(cloud, Uint8Array.from([1, 0, 255, 0]));
    expect(kept.count).toBe(2);
    expect(Array.from(keptIndex)).toEqual([0, 2]);
    expect(Array.from(kept.positions)).toEqual([0, 0, 1, 2, 2, 2]);
    expect(Array.from(kept.colors)).toEqual([0, 0, 0, 2, 4, 6]);
    expect(Array.from(kept.viewIndex)).toEqual([0, 2]);
    expect(Array.from(kept.pixelIndex)).toEqual([100, 102]);
    // Fresh arrays, not views of the input.
    kept.positions[0] = 42;
    expect(cloud.positions[0]).toBe(0);
  });

  it('refuses a mask of the wrong length', () => {
    expect(() => filterPoints(cloudAt([[0, 0, 0]]), new Uint8Array(2))).toThrow(/mask has 2 entries for 1 points/);
  });
});

describe('filterByDepthRange', () => {
  // A camera at (1, 2, 3) looking along world −x (camera x = world y, camera y = world −z).
  const turned = asCameraToWorld([0, 0, -1, 1, 1, 0, 0, 2, 0, -1, 0, 3, 0, 0, 0, 1]);

  it('measures depth along each point’s own camera axis (hand-computed)', () => {
    const identity = asCameraToWorld([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    // View 0 (identity): depth = z. View 1 (turned): depth = −(x − 1).
    const cloud = cloudAt(
      [
        [5, 5, 0.5],
        [0, 0, 2],
        [-1, 7, 3],
        [-3, 2, 3],
        [0.9, 2, 3],
      ],
      [0, 0, 1, 1, 1],
    );
    // Depths: 0.5, 2, 2, 4, 0.1.
    expect(Array.from(depthRangeMask(cloud, [identity, turned], 1, 3))).toEqual([0, 1, 1, 0, 0]);
    expect(Array.from(depthRangeMask(cloud, [identity, turned], 0, 4))).toEqual([1, 1, 1, 1, 1]);
    // Distances from the centres: |(5, 5, 0.5)| = 7.09, 2, |(−2, 5, 0)| = 5.39, 4, 0.1.
    expect(Array.from(depthRangeMask(cloud, [identity, turned], 1.5, 5, 'distance'))).toEqual([0, 1, 0, 1, 0]);
    const { keptIndex } = filterByDepthRange(cloud, [identity, turned], 1, 3);
    expect(Array.from(keptIndex)).toEqual([1, 2]);
  });

  it('measures from the world origin along +z when no cameras are given', () => {
    const cloud = cloudAt([
      [3, 4, 1],
      [0, 0, 6],
      [0, 0, -2],
    ]);
    expect(Array.from(depthRangeMask(cloud, undefined, 0, 5))).toEqual([1, 0, 0]);
    expect(Array.from(depthRangeMask(cloud, undefined, 0, 5.5, 'distance'))).toEqual([1, 0, 1]);
    expect(Array.from(depthRangeMask(cloud, undefined, 0, Infinity))).toEqual([1, 1, 0]);
  });

  it('agrees with backProjectDepth’s minDepth / maxDepth on a fused two-view cloud', () => {
    const K = { width: 8, height: 6, fx: 6, fy: 6, cx: 3.5, cy: 2.5 };
    const poses = [asCameraToWorld([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), turned];
    // Depths in mm avoid the bounds (1.2 m, 3.1 m) by at least 1 mm.
    const frames = [0, 1].map((v) => Uint16Array.from({ length: 48 }, (_, i) => ((i * 37 + v * 11) % 40) * 100 + 350));
    const lift = (v: number, range: { minDepth?: Metres; maxDepth?: Metres }) =>
      backProjectDepth(
        { width: 8, height: 6, units: frames[v]! },
        { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: poses[v]!, viewIndex: v, ...range },
      );
    const all = concatPointClouds([lift(0, {}), lift(1, {})]);
    const atLift = concatPointClouds([0, 1].map((v) => lift(v, { minDepth: 1.2 as Metres, maxDepth: 3.1 as Metres })));
    const after = filterByDepthRange(all, poses, 1.2, 3.1).cloud;
    expect(after.count).toBe(atLift.count);
    expect(after.count).toBeGreaterThan(10);
    expect(after.count).toBeLessThan(all.count);
    expect(Array.from(after.pixelIndex)).toEqual(Array.from(atLift.pixelIndex));
    expect(Array.from(after.viewIndex)).toEqual(Array.from(atLift.viewIndex));
  });

  it('refuses points of a view without a pose, and NaN bounds', () => {
    const cloud = cloudAt([[0, 0, 1]], [1]);
    expect(() => depthRangeMask(cloud, [turned], 0, 1)).toThrow(/view 1, but only 1 camera poses/);
    expect(() => depthRangeMask(cloud, undefined, NaN, 1)).toThrow(/bounds must be numbers/);
  });
});
