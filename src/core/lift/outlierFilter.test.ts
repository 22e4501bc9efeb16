import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { asDepthScale, IDENTITY_POSE } from '../units.ts';
import { backProjectDepth } from './backProjectDepth.ts';
import { chooseKnnCellSize, knnMeanDistances, removeStatisticalOutliers } from './outlierFilter.ts';
import { voxelDownsample } from './voxelDownsample.ts';
import { mulberry32 } from '../synth/prng.ts';

/** O(N²) reference: mean distance to the min(k, N − 1) nearest other points (all pairs, a sorted k-buffer). */
function bruteMeanDistances(positions: Float32Array, n: number, k: number): Float64Array {
  const kk = Math.min(k, n - 1);
  const out = new Float64Array(n);
  const nearest = new Float64Array(kk + 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = positions[j * 3]! - positions[i * 3]!;
      const dy = positions[j * 3 + 1]! - positions[i * 3 + 1]!;
      const dz = positions[j * 3 + 2]! - positions[i * 3 + 2]!;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (m === kk && d2 >= nearest[kk - 1]!) continue;
      let t = m < kk ? m++ : kk - 1;
      while (t > 0 && nearest[t - 1]! > d2) {
        nearest[t] = nearest[t - 1]!;
        t--;
      }
      nearest[t] = d2;
    }
    let sum = 0;
    for (let t = 0; t < kk; t++) sum += Math.sqrt(nearest[t]!);
    out[i] = kk > 0 ? sum / kk : 0;
  }
  return out;
}

/** Reference removal: d̄ > mean + ratio · sample std. */
function bruteRemoved(positions: Float32Array, n: number, k: number, ratio: number): number[] {
  const d = bruteMeanDistances(positions, n, k);
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return [...d.keys()].filter((i) => d[i]! > mean + ratio * std);
}

function removedOf(keep: Uint8Array): number[] {
  return [...keep.keys()].filter((i) => keep[i] === 0);
}

function expectCloseArrays(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  const bad = [...expected.keys()].filter((i) => !(Math.abs(actual[i]! - expected[i]!) <= 1e-12 * Math.max(1, expected[i]!)));
  expect(bad.map((i) => `${i}: ${actual[i]} vs ${expected[i]}`)).toEqual([]);
}

/** Builds a cloud from a generator of n points plus `planted` extra points at the end. */
function cloud(
  n: number,
  point: (i: number) => [number, number, number],
  planted: [number, number, number][] = [],
): { positions: Float32Array; count: number; plantedIndex: number[] } {
  const all = [...Array.from({ length: n }, (_, i) => point(i)), ...planted];
  return { positions: Float32Array.from(all.flat()), count: all.length, plantedIndex: planted.map((_, j) => n + j) };
}

describe('removeStatisticalOutliers vs an O(N²) brute-force reference', () => {
  const r = mulberry32(2024);
  // Far enough to be removed, none so far that it masks the others by inflating σ.
  const far: [number, number, number][] = [
    [3, 0.5, 0.5],
    [-2, -2, 4],
    [0.5, 9, 0.5],
    [10, 10, 10],
    [0.5, 0.5, -1.5],
    [-3, 0.5, 2],
  ];

  it('uniform cube of 2000 points with 6 planted far outliers: the same points removed', () => {
    const c = cloud(2000, () => [r(), r(), r()], far);
    const result = removeStatisticalOutliers(c.positions, c.count);
    expectCloseArrays(result.meanDistances, bruteMeanDistances(c.positions, c.count, 20));
    const expected = bruteRemoved(c.positions, c.count, 20, 2);
    expect(removedOf(result.keep)).toEqual(expected);
    for (const i of c.plantedIndex) expect(result.keep[i]).toBe(0);
    expect(result.removed).toBe(expected.length);
    expect(result.kept + result.removed).toBe(c.count);
  });

  it('a noisy curved surface far from the origin with planted outliers above it', () => {
    const o = [-1234.5, 567.25, 3.5];
    const surface = (): [number, number, number] => {
      const x = r() * 2 - 1;
      const y = r() * 1.5;
      return [o[0]! + x, o[1]! + y, o[2]! + 0.1 * Math.sin(3 * x) + (r() - 0.5) * 0.003];
    };
    const planted: [number, number, number][] = [
      [o[0]!, o[1]! + 0.5, o[2]! + 0.6],
      [o[0]! + 0.5, o[1]! + 1, o[2]! - 0.4],
      [o[0]! - 0.9, o[1]! + 0.2, o[2]! + 0.35],
    ];
    const c = cloud(2500, surface, planted);
    const result = removeStatisticalOutliers(c.positions, c.count, { neighbours: 12, stdRatio: 1.5 });
    expectCloseArrays(result.meanDistances, bruteMeanDistances(c.positions, c.count, 12));
    expect(removedOf(result.keep)).toEqual(bruteRemoved(c.positions, c.count, 12, 1.5));
    for (const i of c.plantedIndex) expect(result.keep[i]).toBe(0);
  });

  it('two dense clusters 100 m apart, sparse points between, duplicates', () => {
    const c = cloud(
      1800,
      (i) => {
        if (i < 100) return [r() * 100, r() * 2, r() * 2]; // sparse, spread over the gap
        if (i < 200) return [50, 1, 1]; // 100 duplicates of one point
        const base = i % 2 === 0 ? 0 : 100;
        return [base + r() * 0.2, r() * 0.2, r() * 0.2];
      },
      far,
    );
    const result = removeStatisticalOutliers(c.positions, c.count);
    expectCloseArrays(result.meanDistances, bruteMeanDistances(c.positions, c.count, 20));
    expect(removedOf(result.keep)).toEqual(bruteRemoved(c.positions, c.count, 20, 2));
  });

  it('exact k-nearest distances whatever the cell size (rings, coarse levels, one cell for all)', () => {
    const c = cloud(1500, (i) => (i % 3 === 0 ? [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2] : [r() * 0.3, r() * 0.3, 0.01 * r()]), far);
    const reference = bruteMeanDistances(c.positions, c.count, 20);
    for (const cellSize of [0.0005, 0.004, 0.03, 0.3, 5, 1000]) {
      expectCloseArrays(knnMeanDistances(c.positions, c.count, 20, cellSize), reference);
    }
  });

  it('points on a line, and fewer points than k', () => {
    const line = cloud(800, (i) => [i * 0.01 + (i % 7 === 0 ? 0.003 : 0), 0, 0], [[20, 0, 0]]);
    expectCloseArrays(knnMeanDistances(line.positions, line.count, 20), bruteMeanDistances(line.positions, line.count, 20));
    const few = cloud(5, () => [r(), r(), r()]);
    expectCloseArrays(knnMeanDistances(few.positions, few.count, 20), bruteMeanDistances(few.positions, few.count, 20));
  });
});

describe('removeStatisticalOutliers on a real depth frame', () => {
  it('TUM desk frame, voxel down-sampled to 6 cm: the same points removed as the brute-force reference', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/TUM_depth.png');
    const png = decode(readBytes(path));
    const lifted = backProjectDepth(
      { width: png.width, height: png.height, units: png.data as Uint16Array },
      { intrinsics: { width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 }, depthScale: asDepthScale(5000), cameraToWorld: IDENTITY_POSE },
    );
    const { cloud } = voxelDownsample(lifted, 0.06);
    expect(cloud.count).toBeGreaterThan(3000);
    const result = removeStatisticalOutliers(cloud.positions, cloud.count);
    expectCloseArrays(result.meanDistances, bruteMeanDistances(cloud.positions, cloud.count, 20));
    const expected = bruteRemoved(cloud.positions, cloud.count, 20, 2);
    expect(expected.length).toBeGreaterThan(0);
    expect(removedOf(result.keep)).toEqual(expected);
  });
});

describe('removeStatisticalOutliers edge cases', () => {
  it('keeps everything when there are fewer than 3 points or all coincide', () => {
    for (const n of [0, 1, 2]) {
      const result = removeStatisticalOutliers(new Float32Array(n * 3).fill(0.5), n);
      expect(result.kept).toBe(n);
      expect(Array.from(result.keep)).toEqual(new Array<number>(n).fill(1));
    }
    const same = removeStatisticalOutliers(new Float32Array(300).fill(-2), 100);
    expect(same.removed).toBe(0);
    expect(same.std).toBe(0);
  });

  it('checks its options', () => {
    expect(() => removeStatisticalOutliers(new Float32Array(9), 3, { neighbours: 0 })).toThrow(/neighbours must be a positive integer/);
    expect(() => removeStatisticalOutliers(new Float32Array(9), 3, { stdRatio: NaN })).toThrow(/stdRatio/);
    expect(() => removeStatisticalOutliers(Float32Array.from([0, 0, 0, 1, 1, 1, NaN, 0, 0]), 3)).toThrow(/finite/);
  });

  it('chooses a cell size holding about the target number of other points, for surfaces and volumes', () => {
    const r = mulberry32(3);
    const n = 40_000;
    const plane = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 0 : r()));
    const cube = Float32Array.from({ length: n * 3 }, () => r());
    // Plane: others per cell ≈ n·s²; cube: ≈ n·s³ (for 10 others: s ≈ 0.0158 and 0.0630).
    const planeSize = chooseKnnCellSize(plane, n, 10);
    const cubeSize = chooseKnnCellSize(cube, n, 10);
    expect(n * planeSize ** 2).toBeGreaterThan(5);
    expect(n * planeSize ** 2).toBeLessThan(20);
    expect(n * cubeSize ** 3).toBeGreaterThan(5);
    expect(n * cubeSize ** 3).toBeLessThan(20);
  });
});
