import { describe, expect, it } from 'vitest';
import { LERF, PAIRED_SOFTMAX, inverseNorms, relevancy, relevancyLayers } from './formulas.ts';
import { negativeTerms } from './negativeTerms.ts';
import { mulberry32 } from '../synth/prng.ts';

// Independent references: plain cosines and the formulas as written in their papers (LERF: min
// over negatives of the pairwise softmax; DROP-CLIP: exp(s_q/τ) / (M·exp(s_q/τ) + Σ exp(s_i/τ))).
function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < a.length; d++) {
    ab += a[d]! * b[d]!;
    aa += a[d]! * a[d]!;
    bb += b[d]! * b[d]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
const row = (f: Float32Array, dim: number, i: number) => f.subarray(i * dim, (i + 1) * dim);

const dim = 37;
const n = 200;
const random = mulberry32(99);
const features = Float32Array.from({ length: n * dim }, () => random() * 2 - 1);
features.fill(0, 5 * dim, 6 * dim); // a zero feature
const texts = Array.from({ length: 7 }, () => Float32Array.from({ length: dim }, () => random() * 2 - 1));
const [query, second] = [texts[0]!, texts[1]!];
const negatives = texts.slice(2);

describe('negativeTerms: cached negatives give the paper formulas', () => {
  it('LERF with cached terms equals min_i σ(T·(s_q − s_i)) per point', () => {
    const T = LERF.temperature;
    const terms = negativeTerms(features, dim, negatives, LERF);
    const got = relevancy(features, dim, query, negatives, LERF, { negativeTerms: terms });
    for (let i = 0; i < n; i++) {
      const f = row(features, dim, i);
      const sq = cosine(f, query);
      const expected = Math.min(...negatives.map((t) => Math.exp(T * sq) / (Math.exp(T * sq) + Math.exp(T * cosine(f, t)))));
      expect(got[i]).toBeCloseTo(expected, 5);
    }
  });

  it('paired softmax with cached terms (and cached norms, two positives) equals the DROP-CLIP formula', () => {
    const tau = PAIRED_SOFTMAX.tau;
    const norms = inverseNorms(features, dim);
    const terms = negativeTerms(features, dim, negatives, PAIRED_SOFTMAX, norms);
    const layers = relevancyLayers(features, dim, [query, second], negatives, PAIRED_SOFTMAX, { inverseNorms: norms, negativeTerms: terms });
    [query, second].forEach((q, l) => {
      for (let i = 0; i < n; i++) {
        const f = row(features, dim, i);
        const e = Math.exp(cosine(f, q) / tau);
        const expected = e / (negatives.length * e + negatives.reduce((sum, t) => sum + Math.exp(cosine(f, t) / tau), 0));
        expect(layers[l]![i]).toBeCloseTo(expected, 5);
      }
    });
  });

  it('refuses terms computed for another negative set or formula', () => {
    const terms = negativeTerms(features, dim, negatives, LERF);
    expect(() => relevancy(features, dim, query, negatives.slice(1), LERF, { negativeTerms: terms })).toThrow(/cached negative terms/);
    expect(() => relevancy(features, dim, query, negatives, PAIRED_SOFTMAX, { negativeTerms: terms })).toThrow(/paired softmax/);
    expect(() => negativeTerms(features, dim, [], LERF)).toThrow(/at least one negative/);
  });
});
