/**
 * The blocked exact kernel and the approximate inverted file against featureMatch.ts's plain loop
 * (the independent brute-force reference), over float32 and fp16 stores.
 */
import { describe, expect, it } from 'vitest';
import { decodeHalves } from '../features/float16.ts';
import { halfFeaturesFromFloat32 } from '../features/featureStores.ts';
import { mulberry32 } from '../synth/prng.ts';
import { syntheticFeatureField } from '../synth/featureField.ts';
import { buildApproximateIndex, searchApproximate } from './approximateIndex.ts';
import { exactTopK } from './blockedExact.ts';
import { matchFeatures } from './featureMatch.ts';
import { float32Rows } from './matchIndex.ts';
import { matchFeatureStore, matchIsExact } from './matchStores.ts';

const indices = (lists: readonly { index: number }[][]) => lists.map((l) => l.map((m) => m.index));

function randomRows(n: number, dim: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n * dim }, () => random() * 2 - 1);
}

describe('blocked exact matching', () => {
  it('equals brute force on random float32 rows, for query counts that are not multiples of the block and tiles', () => {
    const dim = 24;
    const target = randomRows(1000 + 37, dim, 1);
    const queries = randomRows(71, dim, 2);
    const ours = exactTopK(queries, float32Rows(target, dim), 6);
    const reference = matchFeatures(queries, target, dim, 6);
    expect(indices(ours)).toEqual(indices(reference));
    ours.forEach((list, q) => list.forEach((m, j) => expect(m.similarity).toBeCloseTo(reference[q]![j]!.similarity, 5)));
  });

  it('equals brute force over the decoded halves of an fp16 store, with zero rows and a zero query', () => {
    const dim = 40;
    const values = randomRows(600, dim, 3);
    values.fill(0, 10 * dim, 12 * dim);
    const store = halfFeaturesFromFloat32(values, dim);
    const decoded = decodeHalves(store.halves);
    const queries = randomRows(9, dim, 4);
    queries.fill(0, 3 * dim, 4 * dim);
    const ours = exactTopK(queries, store, 4);
    const reference = matchFeatures(queries, decoded, dim, 4);
    expect(ours[3]).toEqual([]);
    reference[3] = [];
    expect(indices(ours)).toEqual(indices(reference));
  });

  it('returns every row when k exceeds the target, best first', () => {
    const dim = 8;
    const target = randomRows(5, dim, 5);
    const [list] = exactTopK(target.slice(0, dim), float32Rows(target, dim), 10);
    expect(list).toHaveLength(5);
    expect(list![0]!.index).toBe(0);
    for (let j = 1; j < 5; j++) expect(list![j]!.similarity).toBeLessThanOrEqual(list![j - 1]!.similarity);
  });
});

describe('approximate matching', () => {
  it('is exact when every list is probed (random features, no continuity)', () => {
    const dim = 32;
    const target = randomRows(2000, dim, 6);
    const positions = randomRows(2000, 3, 7);
    const queries = randomRows(20, dim, 8);
    const index = buildApproximateIndex(float32Rows(target, dim), positions);
    const ours = searchApproximate(index, queries, 5, { probes: index.listStart.length - 1 });
    expect(indices(ours)).toEqual(indices(matchFeatures(queries, target, dim, 5)));
  });

  it('finds ≥ 90 % of the true top 5 on a smooth feature field while probing a small part of it', () => {
    const dim = 64;
    const field = syntheticFeatureField({ count: 40_000, dim, seed: 9, noise: 0.1 / Math.sqrt(dim) });
    const store = halfFeaturesFromFloat32(field.features, dim);
    const decoded = decodeHalves(store.halves);
    const random = mulberry32(10);
    const queries = new Float32Array(60 * dim);
    for (let q = 0; q < 60; q++) {
      const row = Math.floor(random() * field.count);
      for (let d = 0; d < dim; d++) queries[q * dim + d] = decoded[row * dim + d]! + (random() - 0.5) * (0.2 / Math.sqrt(dim));
    }
    const index = buildApproximateIndex(store, field.positions);
    const lists = index.listStart.length - 1;
    expect(16 / lists).toBeLessThan(0.05);
    const ours = searchApproximate(index, queries, 5, { probes: 16 });
    const truth = matchFeatures(queries, decoded, dim, 5);
    let hits = 0;
    ours.forEach((list, q) => {
      const want = new Set(truth[q]!.map((m) => m.index));
      hits += list.filter((m) => want.has(m.index)).length;
      // Similarities are exact for what is returned.
      for (const m of list) expect(m.similarity).toBeCloseTo(truth[q]!.find((t) => t.index === m.index)?.similarity ?? m.similarity, 5);
    });
    expect(hits / (5 * 60)).toBeGreaterThanOrEqual(0.9);
  });

  it('is chosen by default only for large targets, and --exact / probes override it', () => {
    expect(matchIsExact(1000, {})).toBe(true);
    expect(matchIsExact(1_000_000, {})).toBe(false);
    expect(matchIsExact(1_000_000, { exact: true })).toBe(true);
    const dim = 16;
    const target = randomRows(300, dim, 11);
    const queries = randomRows(4, dim, 12);
    const reference = indices(matchFeatures(queries, target, dim, 3));
    expect(indices(matchFeatureStore(queries, float32Rows(target, dim), 3))).toEqual(reference);
    expect(indices(matchFeatureStore(queries, float32Rows(target, dim), 3, undefined, { exact: false, probes: 1000 }))).toEqual(reference);
  });
});
