/**
 * The per-point terms of the negatives, cached per (feature field, negative set, formula).
 *
 * LERF and paired softmax depend on the negatives only through, per point, the largest negative
 * cosine m = max_i s_i (LERF: min_i σ(T·(s_q − s_i)) = σ(T·(s_q − m)), σ being monotone) and, for
 * paired softmax, S = Σ_i exp((s_i − m)/τ). The negatives are the canonical set plus the user's,
 * which rarely change between queries, so these terms are computed once and every later query
 * does the positives' dot products only (the cost of a cosine query).
 */
import type { RelevancyOptions } from './formulaTable.ts';
import { float32Cosines, type PointCosines } from './formulas.ts';
import { buildTextMatrix, similarityScratch } from './textMatrixKernels.ts';

export interface NegativeTerms {
  /** Number of negatives the terms were computed from. */
  readonly count: number;
  /** Per point, max_i cosine(f, negative_i); Float32Array [N]. */
  readonly max: Float32Array;
  /** Paired softmax only: per point Σ_i exp((s_i − max)/τ) for `tau`. */
  readonly expSum?: Float32Array;
  readonly tau?: number;
}

/**
 * One pass over the features against the negatives. `inverseNorms` (see formulas.ts) skips the
 * norm accumulation. Callers skip formulas that ignore negatives (raw cosine).
 */
export function negativeTerms(
  features: Float32Array,
  dim: number,
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  inverseNorms?: Float32Array,
): NegativeTerms {
  const n = Math.floor(features.length / dim);
  if (inverseNorms && inverseNorms.length !== n) throw new Error(`negativeTerms: ${inverseNorms.length} inverse norms for ${n} points`);
  return negativeTermsFrom(n, dim, negatives, options, float32Cosines(features, inverseNorms));
}

/** `negativeTerms` over n points of any stored form (`cosinesFor`: see relevancyLayersFrom). */
export function negativeTermsFrom(
  n: number,
  dim: number,
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  cosinesFor: PointCosines,
): NegativeTerms {
  if (negatives.length === 0) throw new Error(`negativeTerms: ${options.kind} needs at least one negative`);
  const matrix = buildTextMatrix(negatives, dim);
  const s = similarityScratch(matrix);
  const cosines = cosinesFor(matrix, s);
  const m = negatives.length;
  const max = new Float32Array(n);
  const invTau = options.kind === 'paired-softmax' ? 1 / options.tau : 0;
  const expSum = options.kind === 'paired-softmax' ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    cosines(i);
    let best = -Infinity;
    for (let k = 0; k < m; k++) if (s[k]! > best) best = s[k]!;
    // NaN features give NaN (as the uncached kernels do), not −Infinity.
    max[i] = s[0]! !== s[0]! ? NaN : best;
    if (expSum) {
      let sum = 0;
      for (let k = 0; k < m; k++) sum += Math.exp((s[k]! - best) * invTau);
      expSum[i] = sum;
    }
  }
  return { count: m, max, ...(expSum && options.kind === 'paired-softmax' ? { expSum, tau: options.tau } : {}) };
}

const cache = new WeakMap<object, { key: string; terms: NegativeTerms }>();

/**
 * The terms of the feature field `field` (its object identity owns them: a float32 field, a
 * compact store) with these negative phrases and formula, computed by `compute` on the first
 * query and reused while both stay the same (one entry per field, dropped with the field).
 */
export function cachedNegativeTerms(field: object, phrases: readonly string[], options: RelevancyOptions, compute: () => NegativeTerms): NegativeTerms {
  const key = JSON.stringify([options, phrases]);
  const hit = cache.get(field);
  if (hit?.key === key) return hit.terms;
  const terms = compute();
  cache.set(field, { key, terms });
  return terms;
}
