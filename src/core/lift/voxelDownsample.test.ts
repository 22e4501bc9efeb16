import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { asDepthScale, IDENTITY_POSE } from '../units.ts';
import { backProjectDepth } from './backProjectDepth.ts';
import type { PointCloud } from './pointCloud.ts';
import { voxelDownsample, voxelDownsampleFeatures } from './voxelDownsample.ts';
import { mulberry32 } from '../synth/prng.ts';
import { asWorldPoints } from '../units.ts';

function cloudOf(points: { p: [number, number, number]; rgb?: [number, number, number]; view?: number; pixel?: number }[]): PointCloud {
  return {
    count: points.length,
    positions: asWorldPoints(Float32Array.from(points.flatMap((q) => q.p))),
    colors: Uint8Array.from(points.flatMap((q) => q.rgb ?? [0, 0, 0])),
    viewIndex: Uint16Array.from(points.map((q) => q.view ?? 0)),
    pixelIndex: Uint32Array.from(points.map((q, i) => q.pixel ?? i)),
  };
}

describe('voxelDownsample, hand-computed', () => {
  it('merges two points of one voxel into their mean position and colour, keeping the representative’s view and pixel', () => {
    const cloud = cloudOf([
      { p: [0.1, 0.2, 0.3], rgb: [10, 20, 31], view: 2, pixel: 77 },
      { p: [0.3, 0.4, 0.5], rgb: [20, 41, 40], view: 5, pixel: 99 },
    ]);
    const { cloud: out, sourceIndex, assignment, pointsPerVoxel } = voxelDownsample(cloud, 1);
    expect(out.count).toBe(1);
    const f = Math.fround;
    const pairs = [
      [0.1, 0.3],
      [0.2, 0.4],
      [0.3, 0.5],
    ] as const;
    expect(Array.from(out.positions)).toEqual(pairs.map(([a, b]) => f((f(a) + f(b)) / 2)));
    // (10 + 20) / 2 = 15; (20 + 41) / 2 = 30.5 → 31 (halves up); (31 + 40) / 2 = 35.5 → 36.
    expect(Array.from(out.colors)).toEqual([15, 31, 36]);
    // Both are equally far from the mean: the first wins the tie.
    expect(Array.from(sourceIndex)).toEqual([0]);
    expect(out.viewIndex[0]).toBe(2);
    expect(out.pixelIndex[0]).toBe(77);
    expect(Array.from(assignment)).toEqual([0, 0]);
    expect(Array.from(pointsPerVoxel)).toEqual([2]);
  });

  it('takes the view and pixel of the point closest to the mean', () => {
    // Mean of x = 0.1, 0.5, 0.55, 0.6 (size 1: one voxel) is 0.4375: closest is 0.5 (index 1).
    const cloud = cloudOf([
      { p: [0.1, 0, 0], view: 0, pixel: 10 },
      { p: [0.5, 0, 0], view: 3, pixel: 11 },
      { p: [0.55, 0, 0], view: 1, pixel: 12 },
      { p: [0.6, 0, 0], view: 1, pixel: 13 },
    ]);
    const { cloud: out, sourceIndex } = voxelDownsample(cloud, 1);
    expect(out.positions[0]).toBeCloseTo(0.4375, 6);
    expect(Array.from(sourceIndex)).toEqual([1]);
    expect([out.viewIndex[0], out.pixelIndex[0]]).toEqual([3, 11]);
  });

  it('splits at voxel boundaries on negative coordinates (⌊x / s⌋) and orders voxels by first occurrence', () => {
    // s = 0.25: x = −0.25 and −0.01 share voxel −1; −0.26 is in −2; 0 and 0.24 in 0; 0.25 in 1.
    const xs = [0.25, -0.25, 0, -0.26, -0.01, 0.24];
    const cloud = cloudOf(xs.map((x) => ({ p: [x, -0.1, 0.1] })));
    const { cloud: out, assignment, pointsPerVoxel } = voxelDownsample(cloud, 0.25);
    expect(out.count).toBe(4);
    expect(Array.from(assignment)).toEqual([0, 1, 2, 3, 1, 2]);
    expect(Array.from(pointsPerVoxel)).toEqual([1, 2, 2, 1]);
    const meanX = Array.from({ length: 4 }, (_, c) => out.positions[c * 3]!);
    expect(meanX[0]).toBeCloseTo(0.25, 6);
    expect(meanX[1]).toBeCloseTo(-0.13, 6);
    expect(meanX[2]).toBeCloseTo(0.12, 6);
    expect(meanX[3]).toBeCloseTo(-0.26, 6);
    // All share y voxel −1 and z voxel 0: y, z means unchanged.
    expect(out.positions[4]).toBeCloseTo(-0.1, 6);
    expect(out.positions[5]).toBeCloseTo(0.1, 6);
  });

  it('averages colours per channel over many points', () => {
    const cloud = cloudOf([
      { p: [0, 0, 0], rgb: [0, 255, 100] },
      { p: [0.01, 0, 0], rgb: [255, 255, 101] },
      { p: [0.02, 0, 0], rgb: [255, 0, 101] },
    ]);
    const { cloud: out } = voxelDownsample(cloud, 0.1);
    // 510 / 3 = 170; 510 / 3 = 170; 302 / 3 = 100.67 → 101.
    expect(Array.from(out.colors)).toEqual([170, 170, 101]);
  });

  it('refuses a non-positive voxel size and passes an empty cloud through', () => {
    expect(() => voxelDownsample(cloudOf([{ p: [0, 0, 0] }]), 0)).toThrow(/positive/);
    expect(voxelDownsample(cloudOf([]), 0.1).cloud.count).toBe(0);
  });
});

describe('voxelDownsample vs a brute-force reference (string keys)', () => {
  it('has the same voxels, means and members on random clouds', () => {
    for (const [n, size, extent, seed] of [
      [20_000, 0.05, 1, 1],
      [5000, 0.01, 0.05, 2],
      [3000, 0.3, 3, 3],
    ] as const) {
      const r = mulberry32(seed);
      const cloud: PointCloud = {
        count: n,
        positions: asWorldPoints(Float32Array.from({ length: n * 3 }, () => (r() * 2 - 1) * extent)),
        colors: Uint8Array.from({ length: n * 3 }, () => Math.floor(r() * 256)),
        viewIndex: Uint16Array.from({ length: n }, () => Math.floor(r() * 4)),
        pixelIndex: Uint32Array.from({ length: n }, (_, i) => i * 7),
      };
      const { cloud: out, sourceIndex, assignment } = voxelDownsample(cloud, size);

      const groups = new Map<string, number[]>();
      for (let i = 0; i < n; i++) {
        const key = [0, 1, 2].map((a) => Math.floor(cloud.positions[i * 3 + a]! / size)).join(',');
        groups.set(key, [...(groups.get(key) ?? []), i]);
      }
      expect(out.count).toBe(groups.size);
      const problems: string[] = [];
      [...groups.values()].forEach((members, c) => {
        if (!members.every((i) => assignment[i] === c)) problems.push(`assignment of voxel ${c}`);
        const mean = [0, 1, 2].map((a) => members.reduce((s, i) => s + cloud.positions[i * 3 + a]!, 0) / members.length);
        const colour = [0, 1, 2].map((a) => Math.round(members.reduce((s, i) => s + cloud.colors[i * 3 + a]!, 0) / members.length));
        if (mean.some((m, a) => Math.abs(out.positions[c * 3 + a]! - m) > 1e-6 * Math.max(1, Math.abs(m)))) problems.push(`mean of voxel ${c}`);
        if (colour.some((m, a) => out.colors[c * 3 + a] !== m)) problems.push(`colour of voxel ${c}`);
        const d2 = (i: number) => [0, 1, 2].reduce((s, a) => s + (cloud.positions[i * 3 + a]! - mean[a]!) ** 2, 0);
        const closest = members.reduce((b, i) => (d2(i) < d2(b) ? i : b));
        if (Math.abs(d2(sourceIndex[c]!) - d2(closest)) > 1e-12 || !members.includes(sourceIndex[c]!)) problems.push(`representative of voxel ${c}`);
        if (out.pixelIndex[c] !== cloud.pixelIndex[sourceIndex[c]!] || out.viewIndex[c] !== cloud.viewIndex[sourceIndex[c]!])
          problems.push(`view/pixel of voxel ${c}`);
      });
      expect(problems).toEqual([]);
    }
  });

  it('has as many voxels as distinct string keys on a real depth frame (TUM desk, 1 cm)', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/TUM_depth.png');
    const png = decode(readBytes(path));
    const cloud = backProjectDepth(
      { width: png.width, height: png.height, units: png.data as Uint16Array },
      { intrinsics: { width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 }, depthScale: asDepthScale(5000), cameraToWorld: IDENTITY_POSE },
    );
    const size = 0.01;
    const { cloud: out, pointsPerVoxel } = voxelDownsample(cloud, size);
    const keys = new Map<string, number>();
    for (let i = 0; i < cloud.count; i++) {
      const key = `${Math.floor(cloud.positions[i * 3]! / size)},${Math.floor(cloud.positions[i * 3 + 1]! / size)},${Math.floor(cloud.positions[i * 3 + 2]! / size)}`;
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    expect(cloud.count).toBeGreaterThan(200_000);
    expect(out.count).toBe(keys.size);
    expect(Array.from(pointsPerVoxel)).toEqual([...keys.values()]);
  });

  it('is deterministic', () => {
    const r = mulberry32(9);
    const n = 2000;
    const cloud = cloudOf(Array.from({ length: n }, () => ({ p: [r(), r(), r()] as [number, number, number] })));
    const a = voxelDownsample(cloud, 0.2);
    const b = voxelDownsample(cloud, 0.2);
    expect(a.cloud.positions).toEqual(b.cloud.positions);
    expect(a.sourceIndex).toEqual(b.sourceIndex);
  });
});

describe('voxelDownsampleFeatures', () => {
  it('averages the feature rows of each voxel', () => {
    const features = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20]);
    // Points 0 and 2 → output 1; point 1 → output 0; point 3 → output 1.
    const out = voxelDownsampleFeatures(features, 2, Uint32Array.from([1, 0, 1, 1]), 2);
    expect(Array.from(out)).toEqual([3, 4, (1 + 5 + 10) / 3, (2 + 6 + 20) / 3].map(Math.fround));
  });

  it('follows a voxelDownsample assignment', () => {
    const cloud = cloudOf([{ p: [0, 0, 0] }, { p: [5, 5, 5] }, { p: [0.1, 0, 0] }]);
    const down = voxelDownsample(cloud, 1);
    const out = voxelDownsampleFeatures(Float32Array.from([1, -1, 7, 7, 3, 1]), 2, down.assignment, down.cloud.count);
    expect(Array.from(out)).toEqual([2, 0, 7, 7]);
  });

  it('checks its arguments', () => {
    expect(() => voxelDownsampleFeatures(new Float32Array(5), 2, new Uint32Array(3), 1)).toThrow(/3 points × 2 dims need 6 values, found 5/);
    expect(() => voxelDownsampleFeatures(new Float32Array(6), 2, Uint32Array.from([0, 2, 0]), 2)).toThrow(/assigned to output 2/);
    expect(() => voxelDownsampleFeatures(new Float32Array(0), 0, new Uint32Array(0), 0)).toThrow(/positive integer/);
  });
});
