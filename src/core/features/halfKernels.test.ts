/**
 * The fused fp16 relevancy kernel against the float32 kernels of core/query: on the exactly decoded
 * rows (same values, so only summation order differs) and on the float32 field before rounding
 * (to 1e-3), for every text-matrix block width, odd dimensions and unaligned buffers (the 16-bit path).
 */
import { describe, expect, it } from 'vitest';
import { COSINE, LERF, PAIRED_SOFTMAX, relevancyLayers } from '../query/formulas.ts';
import { mulberry32 } from '../synth/prng.ts';
import { decodeHalves, encodeHalves } from './float16.ts';
import { halfFeatures } from './featureStores.ts';
import { storeRelevancyLayers } from './storeKernels.ts';

const random = mulberry32(11);
const gaussianish = () => random() + random() + random() - 1.5;

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** n rows of dim (row 1 zero), as float32 and as a store of their halves at `offset` halves into a buffer. */
function fixture(n: number, dim: number, offset = 0) {
  const values = Float32Array.from({ length: n * dim }, gaussianish);
  values.fill(0, dim, 2 * dim);
  const halves = new Uint16Array(offset + n * dim).subarray(offset);
  encodeHalves(values, halves);
  return { values, decoded: decodeHalves(halves), store: halfFeatures(halves, dim) };
}

const texts = (count: number, dim: number) => Array.from({ length: count }, () => Float32Array.from({ length: dim }, gaussianish));

describe('fused fp16 relevancy', () => {
  it.each([
    [512, 0, 'paired 32-bit loads'],
    [64, 1, 'unaligned buffer: 16-bit loads'],
    [37, 0, 'odd dimension: 16-bit loads'],
  ])('matches the float32 kernel for 1 to 9 text columns (dim %i, offset %i: %s)', (dim, offset) => {
    const { values, decoded, store } = fixture(301, dim, offset);
    for (let columns = 1; columns <= 9; columns++) {
      const queries = texts(Math.max(1, columns - 4), dim);
      const negatives = texts(columns - queries.length, dim);
      for (const options of negatives.length > 0 ? [COSINE, LERF, PAIRED_SOFTMAX] : [COSINE]) {
        const fused = storeRelevancyLayers(store, queries, negatives, options);
        const onDecoded = relevancyLayers(decoded, dim, queries, negatives, options);
        const onFloat32 = relevancyLayers(values, dim, queries, negatives, options);
        fused.forEach((layer, q) => {
          expect(maxDiff(layer, onDecoded[q]!)).toBeLessThan(1e-5);
          expect(maxDiff(layer, onFloat32[q]!)).toBeLessThan(1e-3);
        });
        // The zero row gets the formula's neutral value, as in the float32 kernel.
        expect(fused[0]![1]).toBe(onFloat32[0]![1]);
      }
    }
  });

  it('a non-finite row gives NaN and its neighbours stay exact: the norms summed in the sweep are per row', () => {
    for (const dim of [512, 37]) {
      const { decoded, store } = fixture(9, dim);
      store.halves[3 * dim + 5] = 0x7c00; // +Infinity
      decoded[3 * dim + 5] = Infinity;
      for (const columns of [1, 4, 5]) {
        const queries = texts(1, dim);
        const negatives = texts(columns - 1, dim);
        const options = negatives.length > 0 ? LERF : COSINE;
        const fused = storeRelevancyLayers(store, queries, negatives, options)[0]!;
        const reference = relevancyLayers(decoded, dim, queries, negatives, options)[0]!;
        expect(Number.isNaN(fused[3])).toBe(true);
        expect(Number.isNaN(reference[3])).toBe(true);
        expect(
          maxDiff(
            fused.filter((_, i) => i !== 3),
            reference.filter((_, i) => i !== 3),
          ),
        ).toBeLessThan(1e-5);
      }
    }
  });

  it('LERF with the 4 canonical-size negatives at 512-d equals the pairwise-min definition', () => {
    const dim = 512;
    const { decoded, store } = fixture(50, dim);
    const [query] = texts(1, dim);
    const negatives = texts(4, dim);
    const fused = storeRelevancyLayers(store, [query!], negatives, LERF)[0]!;
    const unit = (v: Float32Array) => {
      const n = Math.hypot(...v);
      return Array.from(v, (x) => (n > 0 ? x / n : 0));
    };
    const cos = (a: number[], b: number[]) => a.reduce((s, x, d) => s + x * b[d]!, 0);
    const q = unit(query!);
    const negs = negatives.map(unit);
    for (let i = 0; i < 50; i++) {
      const f = unit(decoded.subarray(i * dim, (i + 1) * dim));
      const sq = Math.exp(LERF.temperature * cos(f, q));
      // LERF: min over negatives of exp(T·s_q) / (exp(T·s_q) + exp(T·s_neg)).
      const expected = Math.min(...negs.map((neg) => sq / (sq + Math.exp(LERF.temperature * cos(f, neg)))));
      expect(fused[i]).toBeCloseTo(expected, 5);
    }
  });
});
