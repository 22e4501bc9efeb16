import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../synth/prng.ts';
import { matchFeatures } from './featureMatch.ts';

describe('matchFeatures', () => {
  it('finds the moved twin of each queried point in a shuffled, rigidly moved copy', () => {
    const n = 2000,
      dim = 16;
    const rand = mulberry32(5);
    const features = new Float32Array(n * dim).map(() => rand() * 2 - 1);
    // Target = same features in a known random order (positions moved rigidly do not affect features).
    const order = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
    const target = new Float32Array(n * dim);
    order.forEach((src, dst) => target.set(features.subarray(src * dim, src * dim + dim), dst * dim));
    const queried = [0, 17, 999, 1999];
    const q = new Float32Array(queried.length * dim);
    queried.forEach((i, r) => q.set(features.subarray(i * dim, i * dim + dim), r * dim));
    const matches = matchFeatures(q, target, dim, 5);
    queried.forEach((i, r) => {
      expect(order[matches[r]![0]!.index]).toBe(i);
      expect(matches[r]![0]!.similarity).toBeCloseTo(1, 5);
      expect(matches[r]!.length).toBe(5);
      for (let j = 1; j < 5; j++) expect(matches[r]![j]!.similarity).toBeLessThanOrEqual(matches[r]![j - 1]!.similarity);
    });
  });
});
