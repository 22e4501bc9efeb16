/**
 * The trained linear refinement: identity at zero steps (the input comes back exactly), its loss
 * falls while training, and the refined rows are a feature set that answers matching queries
 * (checked against featureMatch.ts's brute force on the refined rows).
 */
import { describe, expect, it } from 'vitest';
import { syntheticFeatureField } from '../synth/featureField.ts';
import { mulberry32 } from '../synth/prng.ts';
import { matchFeatures } from './featureMatch.ts';
import { applyLinearMap, trainLinearRefinement } from './linearRefine.ts';
import { float32Rows } from './matchIndex.ts';
import { matchFeatureStore } from './matchStores.ts';

/** Two views of one synthetic field, 2 mm apart, each with its own feature bias. */
function twoViews(count: number, dim: number) {
  const field = syntheticFeatureField({ count, dim, seed: 3, noise: 0.3 / Math.sqrt(dim) });
  const random = mulberry32(4);
  const n = 2 * count;
  const positions = new Float32Array(3 * n);
  const viewIndex = new Uint16Array(n);
  const values = new Float32Array(n * dim);
  const bias = [0, 1].map(() => Float32Array.from({ length: dim }, () => (random() - 0.5) * 0.25));
  for (let v = 0; v < 2; v++)
    for (let i = 0; i < count; i++) {
      const j = v * count + i;
      for (let c = 0; c < 3; c++) positions[3 * j + c] = field.positions[3 * i + c]! + (v === 1 ? (random() - 0.5) * 0.004 : 0);
      viewIndex[j] = v;
      for (let d = 0; d < dim; d++) values[j * dim + d] = field.features[i * dim + d]! + bias[v]![d]! + (random() - 0.5) * 0.15;
    }
  const rows = { count: n, dim, readRows: (first: number, k: number, out: Float32Array) => out.set(values.subarray(first * dim, (first + k) * dim)) };
  return { cloud: { count: n, positions, viewIndex }, values, rows, dim };
}

describe('linear feature refinement (contrastive)', () => {
  it('starts at the identity: with no training step the refined rows are the input, bit for bit', () => {
    const { cloud, rows, values, dim } = twoViews(500, 16);
    const trained = trainLinearRefinement(cloud, rows, { steps: 0 });
    for (let a = 0; a < dim; a++) for (let e = 0; e < dim; e++) expect(trained.map[a * dim + e]).toBe(a === e ? 1 : 0);
    expect(applyLinearMap(trained.map, dim, values)).toEqual(values);
  });

  it('lowers its InfoNCE loss over the training steps', () => {
    const { cloud, rows } = twoViews(2000, 24);
    const { losses, pairs } = trainLinearRefinement(cloud, rows, { steps: 60 });
    expect(pairs).toBeGreaterThan(3000);
    const mean = (from: number, to: number) => losses.slice(from, to).reduce((s, v) => s + v, 0) / (to - from);
    expect(mean(50, 60)).toBeLessThan(mean(0, 10) - 0.1);
  });

  it('gives a feature set that answers queries like any other (matching against brute force on the refined rows)', () => {
    const { cloud, rows, values, dim } = twoViews(1500, 16);
    const trained = trainLinearRefinement(cloud, rows, { steps: 30 });
    const refined = applyLinearMap(trained.map, dim, values);
    expect(refined).not.toEqual(values);
    const queries = refined.slice(10 * dim, 20 * dim);
    const ours = matchFeatureStore(queries, float32Rows(refined, dim), 3);
    const reference = matchFeatures(queries, refined, dim, 3);
    expect(ours.map((l) => l.map((m) => m.index))).toEqual(reference.map((l) => l.map((m) => m.index)));
    // Each query row finds itself first.
    ours.forEach((list, q) => expect(list[0]!.index).toBe(10 + q));
  });
});
