import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../synth/prng.ts';
import { exactKnnMeanDistances } from './knnExact.ts';
import { blockedKnnMeanDistances, selectSmallest } from './knnSearch.ts';

/** O(N²) reference: mean distance to the min(k, N − 1) nearest other points (all distances sorted). */
function bruteMeanDistances(p: Float32Array, n: number, k: number): Float64Array {
  const kk = Math.min(k, n - 1);
  return Float64Array.from({ length: n }, (_, i) => {
    const d: number[] = [];
    for (let j = 0; j < n; j++)
      if (j !== i) d.push(Math.sqrt((p[j * 3]! - p[i * 3]!) ** 2 + (p[j * 3 + 1]! - p[i * 3 + 1]!) ** 2 + (p[j * 3 + 2]! - p[i * 3 + 2]!) ** 2));
    d.sort((a, b) => a - b);
    return d.slice(0, kk).reduce((s, v) => s + v, 0) / kk;
  });
}

function expectClose(actual: Float64Array, expected: Float64Array): void {
  const bad = [...expected.keys()].filter((i) => !(Math.abs(actual[i]! - expected[i]!) <= 1e-12 * Math.max(1, expected[i]!)));
  expect(bad.map((i) => `${i}: ${actual[i]} vs ${expected[i]}`)).toEqual([]);
}

/**
 * A depth-camera-like cloud: a plane seen from a pinhole at growing distance (sample spacing ∝
 * depth, so density falls by ~40× across it), depth noise, a dense pile of duplicates and a few
 * flying points between camera and plane.
 */
function depthLikeCloud(seed: number): { positions: Float32Array; count: number } {
  const r = mulberry32(seed);
  const pts: number[] = [];
  for (let v = 0; v < 40; v++) {
    for (let u = 0; u < 60; u++) {
      const z = 0.5 + (v / 40) * 6; // 0.5 m … 6.5 m away
      pts.push(((u - 30) / 60) * z, 1, z + (r() - 0.5) * 0.002 * z * z);
    }
  }
  for (let i = 0; i < 80; i++) pts.push(0.1, 1, 1); // duplicates
  for (let i = 0; i < 30; i++) pts.push(r() - 0.5, r(), r() * 6);
  return { positions: Float32Array.from(pts), count: pts.length / 3 };
}

describe('blockedKnnMeanDistances equals the all-pairs reference', () => {
  const c = depthLikeCloud(7);
  const reference = bruteMeanDistances(c.positions, c.count, 20);

  it('at cell sizes from far too small to far too large (hashed and dense columns, growing blocks, lone points)', () => {
    for (const cellSize of [0.002, 0.02, 0.08, 0.5, 50]) expectClose(blockedKnnMeanDistances(c.positions, c.count, 20, cellSize), reference);
  });

  it('as does the per-query yardstick the bench times it against', () => {
    expectClose(exactKnnMeanDistances(c.positions, c.count, 20, 0.08), reference);
  });

  it('reports progress rising to the point count', () => {
    const reports: number[] = [];
    blockedKnnMeanDistances(c.positions, c.count, 20, 0.08, {
      onProgress: (done, total) => {
        expect(total).toBe(c.count);
        reports.push(done);
      },
    });
    expect(reports.at(-1)).toBe(c.count);
    expect(reports.every((d, i) => i === 0 || d >= reports[i - 1]!)).toBe(true);
  });
});

describe('blockedKnnMeanDistances cancels', () => {
  // A 300 × 300 plane: more points than one progress interval (65,536).
  const n = 300;
  const positions = Float32Array.from({ length: n * n * 3 }, (_, t) =>
    t % 3 === 0 ? (Math.floor(t / 3) % n) * 0.01 : t % 3 === 1 ? Math.floor(t / 3 / n) * 0.01 : 0,
  );

  it('before it starts, with the signal’s reason', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => blockedKnnMeanDistances(positions, n * n, 20, 0.02, { signal: controller.signal })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('between blocks: aborted at the first progress report, it throws before the last', () => {
    const controller = new AbortController();
    const reports: number[] = [];
    const run = () =>
      blockedKnnMeanDistances(positions, n * n, 20, 0.02, {
        signal: controller.signal,
        onProgress: (done) => {
          reports.push(done);
          controller.abort();
        },
      });
    expect(run).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeLessThan(n * n);
  });
});

describe('selectSmallest', () => {
  it('leaves the k smallest first with the k-th largest of them at k − 1 (ties, runs, random)', () => {
    const r = mulberry32(11);
    const inputs = [
      Array.from({ length: 200 }, () => r()),
      Array.from({ length: 150 }, () => Math.floor(r() * 4)), // many ties
      Array.from({ length: 64 }, (_, i) => i), // sorted
      Array.from({ length: 64 }, (_, i) => 64 - i), // reversed
      Array.from({ length: 30 }, () => 2), // all equal
    ];
    for (const values of inputs) {
      const sorted = [...values].sort((a, b) => a - b);
      for (const k of [1, 2, 7, 20, values.length]) {
        const d = Float64Array.from(values);
        selectSmallest(d, d.length, k);
        expect([...d.subarray(0, k)].sort((a, b) => a - b)).toEqual(sorted.slice(0, k));
        expect(d[k - 1]).toBe(sorted[k - 1]);
      }
    }
  });
});
