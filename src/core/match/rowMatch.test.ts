import { describe, expect, it } from 'vitest';
import { similarityToVector, topMatches, type FeatureRows } from './rowMatch.ts';

function rowsOf(values: Float32Array, dim: number): FeatureRows {
  return { count: values.length / dim, dim, readRows: (first, n, out) => out.set(values.subarray(first * dim, (first + n) * dim)) };
}

/** Deterministic pseudo-random features (a fixed LCG), so the test needs no seed library. */
function randomRows(count: number, dim: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

describe('row matching', () => {
  it('gives the cosine of every row, computed by hand for small rows', () => {
    const rows = rowsOf(new Float32Array([1, 0, 0, 2, 3, 4, 0, 0]), 2);
    const sim = similarityToVector(rows, new Float32Array([1, 0]));
    expect([...sim].map((v) => +v.toFixed(6))).toEqual([1, 0, 0.6, 0]);
  });

  it('finds the planted twins of a query across chunk boundaries (2 500 rows, 1 024 a chunk)', () => {
    const dim = 8;
    const values = randomRows(2500, dim, 11);
    const query = values.slice(100 * dim, 101 * dim);
    // Scaled copies are perfect cosine matches, planted in the second and third chunk.
    for (const [row, scale] of [
      [1500, 2],
      [2400, 0.5],
    ] as const)
      for (let c = 0; c < dim; c++) values[row * dim + c] = query[c]! * scale;
    const top = topMatches(rowsOf(values, dim), query, 3);
    expect(top.slice(0, 3).map((m) => m.index)).toEqual([100, 1500, 2400]);
    expect(top[2]!.similarity).toBeCloseTo(1, 5);
    // The 4th best by a plain sort of the hand cosine is what a 4-match search adds.
    const sim = similarityToVector(rowsOf(values, dim), query);
    const sorted = [...sim.keys()].sort((a, b) => sim[b]! - sim[a]!);
    expect(topMatches(rowsOf(values, dim), query, 4)[3]!.index).toBe(sorted[3]);
  });

  it('names both dimensions when the query does not fit', () => {
    expect(() => topMatches(rowsOf(new Float32Array(8), 4), new Float32Array(3), 1)).toThrow(/3-d.*4-d/);
  });
});
