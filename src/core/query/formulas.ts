/**
 * Relevancy formulas of the reference systems (documented in README.md beside this file), evaluated over a
 * per-point feature field in one pass.
 *
 * Data layout: `features` is row-major [N, D] float32; text embeddings are [D] (L2-normalised here
 * again, so callers may pass raw embeddings). Every point's feature is L2-normalised inside the
 * pass, so every formula sees cosines s(f, t) ∈ [−1, 1].
 *
 * One pass: all text embeddings a formula needs (queries and negatives) are packed into one
 * [D, K] text matrix (`TextMatrix`), and each point does one small mat-vec against it while its row
 * is in cache, its squared norm accumulated in the same sweep. Nothing is allocated per point.
 * A caller that queries one field many times may compute `inverseNorms` once and pass it
 * (`RelevancyExtras.inverseNorms`): the per-query pass then does dot products only.
 * Timings: src/bench/relevancy.bench.ts. The text matrix and the unrolled per-point kernels are in
 * textMatrixKernels.ts.
 *
 * Zero features: a point whose feature is all zeros (unobserved, no evidence) is treated as having
 * cosine 0 to every text, and every formula is evaluated at s = 0: cosine → 0, LERF → 0.5,
 * paired softmax → 1 / (2·M). These are each formula's neutral value: the point is neither for nor
 * against the query, LERF's display hides it (r ≤ 0.5), and per-scene min–max ranges are not
 * stretched by an out-of-range sentinel. Non-finite features give NaN.
 */

import {
  canonicalNegatives,
  FORMULA_TABLE,
  type CosineRelevancy,
  type LerfRelevancy,
  type PairedSoftmaxRelevancy,
  type RelevancyKind,
  type RelevancyOptions,
} from './formulaTable.ts';
import type { NegativeTerms } from './negativeTerms.ts';
import { buildTextMatrix, pointDotsInto, pointSimilaritiesInto, similarityScratch, type TextMatrix } from './textMatrixKernels.ts';

// ---------------------------------------------------------------------------------------------
// Options and canonical negatives (the formulas themselves are listed in formulaTable.ts)
// ---------------------------------------------------------------------------------------------

export {
  canonicalNegatives,
  DROP_CLIP_CANONICAL_NEGATIVES,
  LERF_CANONICAL_NEGATIVES,
  type CosineRelevancy,
  type LerfRelevancy,
  type PairedSoftmaxRelevancy,
  type RelevancyKind,
  type RelevancyOptions,
} from './formulaTable.ts';

export const COSINE: CosineRelevancy = FORMULA_TABLE.cosine.defaults;
export const LERF: LerfRelevancy = FORMULA_TABLE.lerf.defaults;
export const PAIRED_SOFTMAX: PairedSoftmaxRelevancy = FORMULA_TABLE['paired-softmax'].defaults;

/**
 * The negative phrases to encode for a query: the canonical set of `kind` followed by the user's
 * own negatives ("not the table" → "the table"), trimmed, without empties or exact duplicates
 * (compared case-insensitively). Order is stable: canonical first, then user order.
 */
export function negativePhrases(kind: RelevancyKind, userNegatives: readonly string[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...canonicalNegatives(kind), ...userNegatives]) {
    const phrase = raw.trim().replace(/\s+/g, ' ');
    const key = phrase.toLowerCase();
    if (phrase.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(phrase);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Feature norms
// ---------------------------------------------------------------------------------------------

/**
 * The one normalisation pass: 1/‖f‖ per point (0 for a zero feature, NaN for a non-finite one),
 * Float32Array [N]. Compute it once per feature field and pass it to `relevancy` /
 * `relevancyLayers` (`inverseNorms`) so every later query does dot products only.
 */
export function inverseNorms(features: Float32Array, dim: number, out?: Float32Array): Float32Array {
  const n = pointCount(features, dim);
  const result = out ?? new Float32Array(n);
  if (result.length !== n) throw new Error(`inverseNorms: output has ${result.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const base = i * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d + 3 < dim; d += 4) {
      const a = features[base + d]!;
      const b = features[base + d + 1]!;
      const c = features[base + d + 2]!;
      const e = features[base + d + 3]!;
      s0 += a * a;
      s1 += b * b;
      s2 += c * c;
      s3 += e * e;
    }
    for (; d < dim; d++) s0 += features[base + d]! * features[base + d]!;
    const sq = s0 + s1 + s2 + s3;
    result[i] = sq > 0 ? 1 / Math.sqrt(sq) : sq === 0 ? 0 : NaN;
  }
  return result;
}

/** Validates the feature buffer and returns N. */
export function pointCount(features: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`relevancy: feature dimension must be a positive integer, got ${dim}`);
  if (features.length % dim !== 0) throw new Error(`relevancy: feature buffer of ${features.length} floats is not a multiple of D = ${dim}`);
  return features.length / dim;
}

// ---------------------------------------------------------------------------------------------
// Numerically stable building blocks
// ---------------------------------------------------------------------------------------------

/**
 * Softmax of `logits` into `out` (same length), subtracting the maximum first so that no exp
 * overflows: softmax(x)_i = exp(x_i − max) / Σ_j exp(x_j − max). Returns `out`.
 */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array | Float32Array): Float64Array | Float32Array {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logits[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / sum;
  return out;
}

/**
 * The two-way softmax exp(a) / (exp(a) + exp(b)) = 1 / (1 + exp(b − a)), evaluated with the
 * larger logit subtracted so the exponent is never positive.
 */
export function pairProbability(a: number, b: number): number {
  const x = a - b;
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// ---------------------------------------------------------------------------------------------
// Relevancy
// ---------------------------------------------------------------------------------------------

/** Checks the parameters; an unknown kind (e.g. from an unchecked message) is refused, never run as another formula. */
function checkOptions(options: RelevancyOptions, negatives: number): void {
  switch (options.kind) {
    case 'cosine':
      return;
    case 'lerf':
      if (!(options.temperature > 0) || !Number.isFinite(options.temperature))
        throw new Error(`relevancy: LERF temperature must be a positive number, got ${options.temperature}`);
      if (negatives === 0) throw new Error(`relevancy: LERF needs at least one negative (the canonical set: ${canonicalNegatives('lerf').join(', ')})`);
      return;
    case 'paired-softmax':
      if (!(options.tau > 0) || !Number.isFinite(options.tau)) throw new Error(`relevancy: paired-softmax τ must be a positive number, got ${options.tau}`);
      if (negatives === 0)
        throw new Error(`relevancy: paired softmax needs at least one negative (the canonical set: ${canonicalNegatives('paired-softmax').join(', ')})`);
      return;
    default: {
      const unknown: never = options;
      throw new Error(`relevancy: unknown formula "${String((unknown as { kind?: unknown }).kind)}"`);
    }
  }
}

export interface RelevancyExtras<Out> {
  /** Where to write the result (checked for length); allocated when absent. */
  readonly out?: Out;
  /**
   * Cached `inverseNorms(features, dim)` of this feature field. With it the pass computes dot
   * products only (the norm accumulation is skipped); results are the same up to float32
   * rounding of the cached norms.
   */
  readonly inverseNorms?: Float32Array;
  /**
   * Cached `negativeTerms(features, dim, negatives, options)` of this field for these negatives and
   * formula: the pass then computes the positives' dot products only.
   */
  readonly negativeTerms?: NegativeTerms;
}

/**
 * Relevancy of every point to one query, by the formula in `options` (see the option types).
 * `negatives` are the encoded negative phrases (canonical + user, see `negativePhrases`); raw
 * cosine ignores them. Returns Float32Array [N].
 */
export function relevancy(
  features: Float32Array,
  dim: number,
  query: Float32Array,
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  extras: RelevancyExtras<Float32Array> = {},
): Float32Array {
  const out = extras.out ? [extras.out] : undefined;
  return relevancyLayers(features, dim, [query], negatives, options, { out, inverseNorms: extras.inverseNorms, negativeTerms: extras.negativeTerms })[0]!;
}

/**
 * One relevancy layer per positive query (e.g. "mug; plate"), all from ONE pass over the
 * features: the text matrix holds [positives ‖ negatives], and the negatives' shared terms are
 * computed once per point.
 *
 * LERF: p_i is decreasing in s_i, so min_i p_i is the pair with the most similar negative:
 * r = σ(T·(s_q − max_i s_i)), evaluated by `pairProbability` (stable for any temperature).
 * Paired softmax, stable: with m = max_i s_i and S = Σ_i exp((s_i − m)/τ) ∈ [1, M] computed once
 * per point, p = 1 / (M + S·exp((m − s_q)/τ)) when s_q ≥ m, else e / (M·e + S) with
 * e = exp((s_q − m)/τ) — the softmax with its maximum subtracted; no exponent is positive.
 */
export function relevancyLayers(
  features: Float32Array,
  dim: number,
  queries: readonly Float32Array[],
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  extras: RelevancyExtras<readonly Float32Array[]> = {},
): Float32Array[] {
  const n = pointCount(features, dim);
  const norms = extras.inverseNorms;
  if (norms && norms.length !== n) throw new Error(`relevancy: ${norms.length} inverse norms for ${n} points`);
  return relevancyLayersFrom(n, dim, queries, negatives, options, { out: extras.out, negativeTerms: extras.negativeTerms }, float32Cosines(features, norms));
}

/**
 * `PointCosines` of a float32 field: one sweep over row i (plus L1 re-reads); with cached inverse
 * norms, dot products only.
 */
export function float32Cosines(features: Float32Array, norms: Float32Array | undefined): PointCosines {
  return (matrix, s) => {
    const columns = matrix.paddedCount;
    return norms
      ? (i: number): void => {
          pointDotsInto(features, i, matrix, s);
          const inv = norms[i]!;
          for (let k = 0; k < columns; k++) s[k] = s[k]! * inv;
        }
      : (i: number): void => {
          pointSimilaritiesInto(features, i, matrix, s);
        };
  };
}

/**
 * Fills `s` (the text matrix's paddedCount entries) with the cosines of point i to the matrix's
 * columns: how a feature field in some stored form is read (float32 here, fp16 in core/features).
 */
export type PointCosines = (matrix: TextMatrix, s: Float64Array) => (i: number) => void;

/**
 * `relevancyLayers` over n points of any stored form: `cosinesFor` gives the per-point cosines to
 * [queries ‖ negatives]; the formulas below are the only formulas.
 */
export function relevancyLayersFrom(
  n: number,
  dim: number,
  queries: readonly Float32Array[],
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  extras: Omit<RelevancyExtras<readonly Float32Array[]>, 'inverseNorms'>,
  cosinesFor: PointCosines,
): Float32Array[] {
  if (queries.length === 0) throw new Error('relevancy: at least one positive query is needed');
  const negs = options.kind === 'cosine' ? [] : negatives;
  checkOptions(options, negs.length);
  const p = queries.length;
  const mNeg = negs.length;
  const layers: Float32Array[] = [];
  for (let q = 0; q < p; q++) {
    const given = extras.out?.[q];
    if (given && given.length !== n) throw new Error(`relevancy: output layer ${q} has ${given.length} entries, expected ${n}`);
    layers.push(given ?? new Float32Array(n));
  }
  const terms = options.kind === 'cosine' ? undefined : extras.negativeTerms;
  if (terms) {
    if (terms.max.length !== n || terms.count !== mNeg)
      throw new Error(`relevancy: cached negative terms are for ${terms.count} negatives × ${terms.max.length} points, not ${mNeg} × ${n}`);
    if (options.kind === 'paired-softmax' && (!terms.expSum || terms.tau !== options.tau))
      throw new Error(`relevancy: cached negative terms are not for paired softmax with τ = ${options.tau}`);
  }
  // With cached negative terms only the positives are in the matrix.
  const matrix = buildTextMatrix(terms ? [...queries] : [...queries, ...negs], dim);
  const s = similarityScratch(matrix);
  const cosines = cosinesFor(matrix, s);

  if (options.kind === 'cosine') {
    if (p === 1) {
      const layer = layers[0]!;
      for (let i = 0; i < n; i++) {
        cosines(i);
        layer[i] = s[0]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        cosines(i);
        for (let q = 0; q < p; q++) layers[q]![i] = s[q]!;
      }
    }
    return layers;
  }

  if (options.kind === 'lerf') {
    const temperature = options.temperature;
    const cachedMax = terms?.max;
    for (let i = 0; i < n; i++) {
      cosines(i);
      let maxNeg = -Infinity;
      if (cachedMax) maxNeg = cachedMax[i]!;
      else for (let k = p; k < p + mNeg; k++) if (s[k]! > maxNeg) maxNeg = s[k]!;
      const tn = temperature * maxNeg;
      for (let q = 0; q < p; q++) layers[q]![i] = pairProbability(temperature * s[q]!, tn);
    }
    return layers;
  }

  if (options.kind !== 'paired-softmax') {
    // A kind added to the table without its kernel here: refuse rather than run another formula.
    const unknown: never = options;
    throw new Error(`relevancy: no kernel for formula "${String((unknown as { kind?: unknown }).kind)}"`);
  }
  const invTau = 1 / options.tau;
  const cachedMax = terms?.max;
  const cachedSum = terms?.expSum;
  for (let i = 0; i < n; i++) {
    cosines(i);
    let maxNeg = -Infinity;
    let sum = 0;
    if (cachedMax && cachedSum) {
      maxNeg = cachedMax[i]!;
      sum = cachedSum[i]!;
    } else {
      for (let k = p; k < p + mNeg; k++) if (s[k]! > maxNeg) maxNeg = s[k]!;
      for (let k = p; k < p + mNeg; k++) sum += Math.exp((s[k]! - maxNeg) * invTau);
    }
    for (let q = 0; q < p; q++) {
      const sq = s[q]!;
      let value: number;
      if (sq >= maxNeg) {
        value = 1 / (mNeg + sum * Math.exp((maxNeg - sq) * invTau));
      } else {
        const e = Math.exp((sq - maxNeg) * invTau);
        value = e / (mNeg * e + sum);
      }
      layers[q]![i] = value;
    }
  }
  return layers;
}

// ---------------------------------------------------------------------------------------------
// Point-to-point similarity (SparseDFF `vis_features.py`)
// ---------------------------------------------------------------------------------------------

/**
 * - `cosine`: s(f, f_ref), both normalised; a zero reference feature gives 0 everywhere.
 * - `l2-minmax`: SparseDFF's 1 − minmax(‖f − f_ref‖₂) on the RAW (unnormalised) features, as in
 *   its `vis_2D`/`vis_3D`; 1 at the reference, 0 at the farthest point. A constant distance field
 *   (all points equal) gives 1 everywhere.
 */
export type PointSimilarityOptions = { readonly kind: 'cosine' } | { readonly kind: 'l2-minmax' };

/** Similarity of every point's feature to the feature of point `refIndex`. Returns Float32Array [N]. */
export function pointSimilarity(
  features: Float32Array,
  dim: number,
  refIndex: number,
  options: PointSimilarityOptions = { kind: 'cosine' },
  out?: Float32Array,
): Float32Array {
  const n = pointCount(features, dim);
  if (!Number.isInteger(refIndex) || refIndex < 0 || refIndex >= n) throw new Error(`pointSimilarity: reference index ${refIndex} is outside 0..${n - 1}`);
  const result = out ?? new Float32Array(n);
  if (result.length !== n) throw new Error(`pointSimilarity: output has ${result.length} entries, expected ${n}`);
  const ref = features.slice(refIndex * dim, (refIndex + 1) * dim);
  if (options.kind === 'cosine') return relevancy(features, dim, ref, [], COSINE, { out: result });

  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const base = i * dim;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const diff = features[base + d]! - ref[d]!;
      sum += diff * diff;
    }
    const dist = Math.sqrt(sum);
    result[i] = dist;
    if (dist < min) min = dist;
    if (dist > max) max = dist;
  }
  const span = max - min;
  for (let i = 0; i < n; i++) result[i] = span > 0 ? 1 - (result[i]! - min) / span : 1;
  return result;
}
