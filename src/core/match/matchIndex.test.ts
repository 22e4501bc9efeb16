/**
 * The cluster-tree matcher returns what brute force returns (featureMatch.ts's plain loop, the
 * independent reference), over float32, fp16 and per-segment stores, and skips most of the target
 * when features vary smoothly in space.
 */
import { describe, expect, it } from 'vitest';
import { decodeHalves } from '../features/float16.ts';
import { halfFeaturesFromFloat32, segmentFeatures } from '../features/featureStores.ts';
import { mulberry32 } from '../synth/prng.ts';
import { syntheticFeatureField } from '../synth/featureField.ts';
import { matchFeatures } from './featureMatch.ts';
import { buildMatchIndex, float32Rows, matchWithIndex } from './matchIndex.ts';
import { matchFeatureStore } from './matchStores.ts';

const indices = (lists: readonly { index: number }[][]) => lists.map((l) => l.map((m) => m.index));

function randomRows(n: number, dim: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n * dim }, () => random() * 2 - 1);
}

describe('cluster-tree matching', () => {
  it('equals brute force on random features (no continuity: the bounds prune nothing, the answer stays exact)', () => {
    const dim = 24;
    const target = randomRows(3000, dim, 1);
    const positions = randomRows(3000, 3, 2);
    const queries = randomRows(40, dim, 3);
    const ours = matchWithIndex(buildMatchIndex(float32Rows(target, dim), positions), queries, 5);
    const reference = matchFeatures(queries, target, dim, 5);
    expect(indices(ours)).toEqual(indices(reference));
    ours.forEach((list, q) => list.forEach((m, j) => expect(m.similarity).toBeCloseTo(reference[q]![j]!.similarity, 6)));
  });

  it('equals brute force over the decoded halves of an fp16 store, with and without positions', () => {
    const dim = 32;
    const field = syntheticFeatureField({ count: 5000, dim, seed: 4, noise: 0.1 / Math.sqrt(dim) });
    const store = halfFeaturesFromFloat32(field.features, dim);
    const decoded = new Float32Array(field.features.length);
    decodeHalves(store.halves, decoded);
    const queries = randomRows(30, dim, 5).map((v, i) => v * 0.05 + field.features[(i % dim) + dim * 17 * Math.floor(i / dim)]!);
    const reference = indices(matchFeatures(queries, decoded, dim, 3));
    expect(indices(matchFeatureStore(queries, store, 3, field.positions))).toEqual(reference);
    expect(indices(matchFeatureStore(queries, store, 3))).toEqual(reference);
  });

  it('scores a small part of a smooth feature field and still returns the brute-force answer', () => {
    const dim = 64;
    const field = syntheticFeatureField({ count: 20000, dim, seed: 6, noise: 0.1 / Math.sqrt(dim) });
    const queries = new Float32Array(50 * dim);
    for (let q = 0; q < 50; q++) queries.set(field.features.subarray(((q * 397) % 20000) * dim, (((q * 397) % 20000) + 1) * dim), q * dim);
    const stats = { rowsScored: 0 };
    const ours = matchWithIndex(buildMatchIndex(float32Rows(field.features, dim), field.positions), queries, 5, {}, stats);
    expect(indices(ours)).toEqual(indices(matchFeatures(queries, field.features, dim, 5)));
    console.log(`smooth field 20 k × 64-d: ${((100 * stats.rowsScored) / (50 * 20000)).toFixed(1)} % of the rows scored`);
    expect(stats.rowsScored).toBeLessThan(0.25 * 50 * 20000);
  });

  it('matches per-segment features per segment: the best segment’s points first, by index', () => {
    // Segments: 0 = +x, 1 = +y, 2 = −x; points 0..5 in segments [1, 0, 2, 0, -1, 1].
    const store = segmentFeatures(new Float32Array([1, 0, 0, 1, -1, 0]), 2, new Int32Array([1, 0, 2, 0, -1, 1]));
    const [nearX, nearY] = matchFeatureStore(new Float32Array([2, 0.1, 0.2, 3]), store, 3);
    expect(nearX!.map((m) => m.index)).toEqual([1, 3, 0]);
    expect(nearX![0]!.similarity).toBeCloseTo(2 / Math.hypot(2, 0.1), 6);
    expect(nearY!.map((m) => m.index)).toEqual([0, 5, 1]);
  });
});
