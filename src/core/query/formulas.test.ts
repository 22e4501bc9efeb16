import { describe, expect, it } from 'vitest';
import {
  COSINE,
  DROP_CLIP_CANONICAL_NEGATIVES,
  LERF,
  LERF_CANONICAL_NEGATIVES,
  PAIRED_SOFTMAX,
  inverseNorms,
  canonicalNegatives,
  negativePhrases,
  pairProbability,
  pointSimilarity,
  relevancy,
  relevancyLayers,
  softmaxInto,
  type RelevancyOptions,
} from './formulas.ts';
import { buildTextMatrix } from './textMatrixKernels.ts';

const { exp, sqrt } = Math;
const f32 = (...v: number[]) => Float32Array.from(v);

/**
 * Hand-made field, D = 4. Unit vectors: f0 = e1, f1 = (½, ½, ½, ½), f2 = 0 (no feature),
 * f3 = (0, 0.6, 0, 0.8). Query e1; negatives e2, e3, e4, (0.6, 0.8, 0, 0).
 * Cosines, worked out by hand:
 *   f0: s_q = 1,   s_neg = 0, 0, 0, 0.6
 *   f1: s_q = 0.5, s_neg = 0.5, 0.5, 0.5, 0.5·0.6 + 0.5·0.8 = 0.7
 *   f2: all 0
 *   f3: s_q = 0,   s_neg = 0.6, 0, 0.8, 0.6·0.8 = 0.48
 */
const D = 4;
const features = f32(2, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 3, 0, 4);
const query = f32(1, 0, 0, 0);
const negatives = [f32(0, 1, 0, 0), f32(0, 0, 1, 0), f32(0, 0, 0, 1), f32(0.6, 0.8, 0, 0)];

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tolerance) throw new Error(`entry ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe('relevancy: cosine', () => {
  it('is s(f, t_q) with per-point normalisation; a zero feature gives 0', () => {
    expectClose(relevancy(features, D, query, negatives, COSINE), [1, 0.5, 0, 0]);
    // Unnormalised text is normalised too: (0, 3, 0, 4)/5 against f3 = (0, .6, 0, .8): .36 + .64.
    expectClose(relevancy(features, D, f32(0, 3, 0, 4), [], COSINE), [0, 0.5 * 0.6 + 0.5 * 0.8, 0, 0.6 * 0.6 + 0.8 * 0.8]);
  });

  it('handles D = 3 and D not a multiple of the unroll width', () => {
    // D = 3: f = (3, 0, 4)/5, t = (1, 2, 2)/3 → (3 + 8)/15.
    expectClose(relevancy(f32(3, 0, 4), 3, f32(1, 2, 2), [], COSINE), [(3 * 1 + 4 * 2) / (5 * 3)]);
    // D = 7: f = (1, 1, 1, 1, 1, 1, 1)/√7, t = e7 → 1/√7.
    expectClose(relevancy(f32(1, 1, 1, 1, 1, 1, 1), 7, f32(0, 0, 0, 0, 0, 0, 5), [], COSINE), [1 / sqrt(7)]);
  });
});

describe('relevancy: LERF', () => {
  const pair = (sq: number, si: number) => exp(10 * sq) / (exp(10 * sq) + exp(10 * si));
  it('is min over negatives of exp(10 s_q) / (exp(10 s_q) + exp(10 s_i))', () => {
    const expected = [
      Math.min(pair(1, 0), pair(1, 0), pair(1, 0), pair(1, 0.6)),
      Math.min(pair(0.5, 0.5), pair(0.5, 0.5), pair(0.5, 0.5), pair(0.5, 0.7)),
      Math.min(pair(0, 0), pair(0, 0), pair(0, 0), pair(0, 0)), // zero feature: the neutral 0.5
      Math.min(pair(0, 0.6), pair(0, 0), pair(0, 0.8), pair(0, 0.48)),
    ];
    expectClose(relevancy(features, D, query, negatives, LERF), expected);
    expect(expected[2]).toBe(0.5);
  });

  it('uses the given temperature', () => {
    const r = relevancy(features, D, query, negatives, { kind: 'lerf', temperature: 2 });
    expect(r[1]).toBeCloseTo(exp(2 * 0.5) / (exp(2 * 0.5) + exp(2 * 0.7)), 6);
  });

  it('needs at least one negative', () => {
    expect(() => relevancy(features, D, query, [], LERF)).toThrow(/negative/);
  });
});

describe('relevancy: DROP-CLIP paired softmax', () => {
  it('is exp(s_q/τ) / (M·exp(s_q/τ) + Σ exp(s_i/τ)), τ = 0.1, M = 4', () => {
    const expected = [
      exp(1 / 0.1) / (4 * exp(1 / 0.1) + exp(0) + exp(0) + exp(0) + exp(0.6 / 0.1)),
      exp(0.5 / 0.1) / (4 * exp(0.5 / 0.1) + exp(0.5 / 0.1) + exp(0.5 / 0.1) + exp(0.5 / 0.1) + exp(0.7 / 0.1)),
      1 / (4 + 4), // zero feature: all cosines 0
      exp(0) / (4 * exp(0) + exp(0.6 / 0.1) + exp(0) + exp(0.8 / 0.1) + exp(0.48 / 0.1)),
    ];
    expectClose(relevancy(features, D, query, negatives, PAIRED_SOFTMAX), expected);
  });

  it('needs at least one negative', () => {
    expect(() => relevancy(features, D, query, [], PAIRED_SOFTMAX)).toThrow(/negative/);
  });
});

describe('relevancyLayers: several positives in one pass', () => {
  it('gives one layer per positive, each equal to its own single-query relevancy', () => {
    const second = f32(0, 0, 0, 1); // cosines: f0 0, f1 0.5, f2 0, f3 0.8
    const [first, other] = relevancyLayers(features, D, [query, second], negatives, LERF);
    expectClose(first!, Array.from(relevancy(features, D, query, negatives, LERF)));
    const pair = (sq: number, si: number) => exp(10 * sq) / (exp(10 * sq) + exp(10 * si));
    expectClose(other!, [
      Math.min(pair(0, 0), pair(0, 0), pair(0, 0), pair(0, 0.6)),
      Math.min(pair(0.5, 0.5), pair(0.5, 0.5), pair(0.5, 0.5), pair(0.5, 0.7)),
      0.5,
      Math.min(pair(0.8, 0.6), pair(0.8, 0), pair(0.8, 0.8), pair(0.8, 0.48)),
    ]);
    const paired = relevancyLayers(features, D, [query, second], negatives, PAIRED_SOFTMAX)[1]!;
    expect(paired[3]).toBeCloseTo(exp(8) / (4 * exp(8) + exp(6) + exp(0) + exp(8) + exp(4.8)), 7);
  });

  it('matches a naive per-pair reference for every block layout of the text matrix', () => {
    // Pseudo-random field, D = 13 (odd, exercises every kernel tail); K = P + M from 1 to 12
    // covers first blocks of 1..5 columns and later blocks of 1, 2, 3 (padded) and 4.
    let state = 99;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const dim = 13;
    const n = 40;
    const field = Float32Array.from({ length: n * dim }, random);
    const texts = Array.from({ length: 12 }, () => Float32Array.from({ length: dim }, random));
    const norms = inverseNorms(field, dim);
    const cos = (i: number, t: Float32Array) => {
      let dot = 0;
      let ff = 0;
      let tt = 0;
      for (let d = 0; d < dim; d++) {
        dot += field[i * dim + d]! * t[d]!;
        ff += field[i * dim + d]! ** 2;
        tt += t[d]! ** 2;
      }
      return dot / sqrt(ff * tt);
    };
    for (let p = 1; p <= 3; p++) {
      for (let m = 0; m <= 9; m++) {
        const qs = texts.slice(0, p);
        const ns = texts.slice(p, p + m);
        const kinds: RelevancyOptions[] = m === 0 ? [COSINE] : [COSINE, LERF, PAIRED_SOFTMAX];
        for (const options of kinds) {
          const fused = relevancyLayers(field, dim, qs, ns, options);
          const cached = relevancyLayers(field, dim, qs, ns, options, { inverseNorms: norms });
          for (let q = 0; q < p; q++) {
            const expected = Array.from({ length: n }, (_, i) => {
              const sq = cos(i, qs[q]!);
              const si = ns.map((t) => cos(i, t));
              if (options.kind === 'cosine') return sq;
              if (options.kind === 'lerf') return Math.min(...si.map((s) => exp(10 * sq) / (exp(10 * sq) + exp(10 * s))));
              return exp(sq / 0.1) / (m * exp(sq / 0.1) + si.reduce((sum, s) => sum + exp(s / 0.1), 0));
            });
            expectClose(fused[q]!, expected);
            expectClose(cached[q]!, expected);
          }
        }
      }
    }
  });

  it('writes into given output layers and checks their length', () => {
    const out = new Float32Array(4);
    expect(relevancy(features, D, query, [], COSINE, { out })).toBe(out);
    expect(() => relevancy(features, D, query, [], COSINE, { out: new Float32Array(3) })).toThrow(/expected 4/);
  });

  it('rejects mismatched dimensions', () => {
    expect(() => relevancy(features, D, f32(1, 0, 0), [], COSINE)).toThrow(/dimensions/);
    expect(() => relevancy(f32(1, 2, 3), D, query, [], COSINE)).toThrow(/multiple/);
  });
});

describe('inverseNorms (the one normalisation pass)', () => {
  it('is 1/‖f‖ per point, 0 for a zero feature', () => {
    // ‖(2,0,0,0)‖ = 2, ‖(1,1,1,1)‖ = 2, zero, ‖(0,3,0,4)‖ = 5.
    expectClose(inverseNorms(features, D), [1 / 2, 1 / 2, 0, 1 / 5]);
  });

  it('gives the same relevancy as the fused pass, zero features included', () => {
    const norms = inverseNorms(features, D);
    for (const options of [COSINE, LERF, PAIRED_SOFTMAX]) {
      expectClose(relevancy(features, D, query, negatives, options, { inverseNorms: norms }), Array.from(relevancy(features, D, query, negatives, options)));
    }
    expect(() => relevancy(features, D, query, [], COSINE, { inverseNorms: new Float32Array(3) })).toThrow(/inverse norms/);
  });
});

describe('numerical stability', () => {
  it('softmax subtracts the max: logits 1000, 1001, 999 do not overflow', () => {
    const out = softmaxInto([1000, 1001, 999], new Float64Array(3));
    const z = exp(-1) + 1 + exp(-2);
    expectClose(out, [exp(-1) / z, 1 / z, exp(-2) / z], 1e-12);
    expectClose(softmaxInto([-1e6, 0], new Float64Array(2)), [0, 1], 0);
  });

  it('pairProbability is finite for huge logit gaps', () => {
    expect(pairProbability(1e5, 0)).toBe(1);
    expect(pairProbability(0, 1e5)).toBe(0);
    expect(pairProbability(3, 3)).toBe(0.5);
    expect(pairProbability(2, 0)).toBeCloseTo(exp(2) / (exp(2) + exp(0)), 12);
  });

  it('LERF and paired softmax stay finite with temperatures that overflow exp', () => {
    // T = 10⁴: exp(10⁴) = Infinity, the naive ratio would be NaN.
    const lerf = relevancy(features, D, query, negatives, { kind: 'lerf', temperature: 1e4 });
    // Limits: f0 σ(10⁴·(1 − 0.6)) = 1; f1 σ(10⁴·(0.5 − 0.7)) = 0; f2 (zero) 0.5; f3 0.
    expect(lerf.every((v) => Number.isFinite(v))).toBe(true);
    expectClose(lerf, [1, 0, 0.5, 0]);
    // τ = 10⁻⁴: exp(1/τ) overflows. Limits: s_q the unique max → 1/M; s_q below a negative → 0.
    const paired = relevancy(features, D, query, negatives, { kind: 'paired-softmax', tau: 1e-4 });
    expectClose(paired, [1 / 4, 0, 1 / 8, 0]);
  });
});

describe('canonical negatives and user negatives', () => {
  it('holds the sets of LERF and DROP-CLIP', () => {
    expect(LERF_CANONICAL_NEGATIVES).toEqual(['object', 'things', 'stuff', 'texture']);
    expect(DROP_CLIP_CANONICAL_NEGATIVES).toEqual(['object', 'thing', 'texture', 'stuff']);
    expect(canonicalNegatives('cosine')).toEqual([]);
  });

  it('appends user negatives after the canonical set, trimmed and without duplicates', () => {
    expect(negativePhrases('lerf', ['  the table ', 'Object', ''])).toEqual(['object', 'things', 'stuff', 'texture', 'the table']);
    expect(negativePhrases('paired-softmax')).toEqual(['object', 'thing', 'texture', 'stuff']);
    expect(negativePhrases('cosine', ['wall'])).toEqual(['wall']);
  });
});

describe('text matrix', () => {
  it('packs 1 query + 4 negatives into one block (one sweep per point)', () => {
    const m = buildTextMatrix([query, ...negatives], D);
    expect(m.blocks.length).toBe(1);
    expect(m.widths).toEqual([5]);
    expect(buildTextMatrix([query, ...negatives, query, query, query], D).widths).toEqual([5, 4]);
  });
});

describe('pointSimilarity (SparseDFF)', () => {
  it('cosine to the reference point', () => {
    // Reference f1 = (½, ½, ½, ½): f0 → ½, f1 → 1, f2 → 0 (zero), f3 → ½·0.6 + ½·0.8.
    expectClose(pointSimilarity(features, D, 1), [0.5, 1, 0, 0.5 * 0.6 + 0.5 * 0.8]);
  });

  it('1 − min–max of the raw L2 distance', () => {
    // Distances from (1, 1, 1, 1): f0 (2,0,0,0) → √(1+1+1+1) = 2; f1 → 0; f2 → 2;
    // f3 (0,3,0,4) → √(1+4+1+9) = √15. min 0, max √15.
    const r = pointSimilarity(features, D, 1, { kind: 'l2-minmax' });
    expectClose(r, [1 - 2 / sqrt(15), 1, 1 - 2 / sqrt(15), 0]);
  });

  it('rejects a reference outside the cloud', () => {
    expect(() => pointSimilarity(features, D, 4)).toThrow(/outside/);
  });
});
