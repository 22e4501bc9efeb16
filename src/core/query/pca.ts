/**
 * PCA view of a feature field (DROP-CLIP `utils/projections.py` `apply_pca`; SparseDFF
 * `vis_features.py` `process_f`): the top principal components of the per-point features, projected
 * and mapped to RGB.
 *
 * Method, for features [N, D] with D up to 768 and N up to millions:
 * 1. A deterministic subsample of S = min(N, sampleLimit) points (default 4096): stratified
 *    sampling, one point drawn from each of S equal index strata by a fixed-seed generator. Index
 *    strata avoid the aliasing of a plain stride on image-ordered clouds (a stride that is a
 *    multiple of the image width samples columns); the fixed seed makes the result identical on
 *    every run and engine. 4096 samples pin down the top axes of a feature field well beyond
 *    what a colouring can show, and keep step 2 near a second at D = 768.
 * 2. Mean and sample covariance C = Xᵀ X / (S − 1) (as sklearn's `explained_variance_`) of the
 *    subsample. Cost S·D²/2 multiply-adds (4096 × 768²/2 ≈ 1.2 G at the maximum).
 * 3. Top-k eigenvectors of C (the solvers are in symmetricEigen.ts). D ≤ 16: cyclic Jacobi on
 *    C directly (exact, cheap). Larger D: block subspace iteration with Rayleigh–Ritz — a
 *    block of b = 2k + 4 vectors, Z = C·Q, Ritz pairs from the b×b matrix Qᵀ C Q (Jacobi), Q ←
 *    orth(C·Ritz vectors), until every top-k Ritz pair has residual ‖C u − λ u‖ ≤ tol · λ₁.
 *    Each iteration costs D²·b (4.7 M at D = 768), against ~10 sweeps of 2·D³ for Jacobi on
 *    the full 768×768 matrix, and the error in eigenvector j shrinks like
 *    (λ_{b+1}/λ_j)^iteration, so the block of 10 converges in tens of iterations on real
 *    feature spectra; `maxIterations` bounds the flat-spectrum case (result flagged
 *    `converged: false`, still the best Ritz vectors found).
 * 4. Sign convention: each eigenvector is flipped so its largest-magnitude entry is positive (on
 *    ties within a relative 1e-9, the first of them), so results do not depend on the start
 *    vectors or on the sign of the data.
 * 5. Projection of every point, one pass: p_j = f·v_j − mean over all points of f·v_j, i.e.
 *    centred by the exact mean of ALL points (so no separate mean pass over N·D is needed).
 */

import { mulberry32 } from '../synth/prng.ts';
import { fixSign, symmetricEigen, topEigenSubspace, type TopEigen } from './symmetricEigen.ts';

// ---------------------------------------------------------------------------------------------
// PCA
// ---------------------------------------------------------------------------------------------

export interface PcaOptions {
  /** Number of principal components. Default 3 (RGB). */
  readonly components?: number;
  /** Most points used for the mean and covariance (deterministic stratified subsample). Default 4096. */
  readonly sampleLimit?: number;
  /** L2-normalise each point's feature before everything (zero features stay zero). Default false. */
  readonly normaliseRows?: boolean;
  /** Subspace iteration cap (D > 16). Default 100. */
  readonly maxIterations?: number;
  /** Relative residual ‖C u − λ u‖ / λ₁ at which a Ritz pair counts as converged. Default 1e-10. */
  readonly tolerance?: number;
}

export interface PcaResult {
  /** [N, components] row-major projections onto the principal axes, centred over all N points. */
  readonly projected: Float32Array;
  /** [components, D] row-major unit principal axes, sign-fixed (see module doc). */
  readonly axes: Float64Array;
  /** [D] the mean feature of the subsample (the covariance's centre). */
  readonly mean: Float64Array;
  /** [components] variance along each axis (eigenvalues of the sample covariance), descending. */
  readonly variances: Float64Array;
  /** Total variance (trace of the covariance). */
  readonly totalVariance: number;
  /** variances / totalVariance. */
  readonly explainedVarianceRatio: Float64Array;
  /** Points the covariance was computed from. */
  readonly sampleCount: number;
  /** Subspace iterations used (0 for the direct Jacobi path). */
  readonly iterations: number;
  readonly converged: boolean;
}

export const PCA_DEFAULT_SAMPLE_LIMIT = 4096;
const JACOBI_MAX_DIM = 16;
const SAMPLE_SEED = 0x5eed_9ca1;

/**
 * Stratified deterministic subsample: the integer strata [⌊jN/S⌋, ⌊(j+1)N/S⌋) for j < S (disjoint,
 * each non-empty when N > S), one index drawn uniformly from each by a fixed-seed generator.
 * All of 0..N−1 when S ≥ N. Ascending, no repeats.
 */
export function stratifiedSample(n: number, limit: number, seed = SAMPLE_SEED): Int32Array {
  if (limit >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  const out = new Int32Array(limit);
  for (let j = 0; j < limit; j++) {
    const start = Math.floor((j * n) / limit);
    const end = Math.floor(((j + 1) * n) / limit);
    out[j] = start + Math.floor(random() * (end - start));
  }
  return out;
}

function rowScale(features: Float32Array, base: number, dim: number, normalise: boolean): number {
  if (!normalise) return 1;
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += features[base + d]! * features[base + d]!;
  return sq > 0 ? 1 / Math.sqrt(sq) : 0;
}

/** Upper triangle of Xᵀ X accumulated block by block of samples (transposed, contiguous dots). */
function covariance(features: Float32Array, dim: number, mean: Float64Array, sample: Int32Array, normalise: boolean): Float64Array {
  const c = new Float64Array(dim * dim);
  const B = 128;
  const xt = new Float64Array(dim * B); // [D][B]: centred samples of the current block, transposed
  for (let start = 0; start < sample.length; start += B) {
    const count = Math.min(B, sample.length - start);
    for (let b = 0; b < count; b++) {
      const base = sample[start + b]! * dim;
      const scale = rowScale(features, base, dim, normalise);
      for (let d = 0; d < dim; d++) xt[d * B + b] = features[base + d]! * scale - mean[d]!;
    }
    // C[i, j..j+3] += Σ_b x_ib · x_jb: one load of x_ib feeds 4 multiply-adds.
    for (let i = 0; i < dim; i++) {
      const oi = i * B;
      let j = i;
      for (; j + 3 < dim; j += 4) {
        const o0 = j * B;
        const o1 = o0 + B;
        const o2 = o1 + B;
        const o3 = o2 + B;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let b = 0; b < count; b++) {
          const x = xt[oi + b]!;
          s0 += x * xt[o0 + b]!;
          s1 += x * xt[o1 + b]!;
          s2 += x * xt[o2 + b]!;
          s3 += x * xt[o3 + b]!;
        }
        const r = i * dim + j;
        c[r] = c[r]! + s0;
        c[r + 1] = c[r + 1]! + s1;
        c[r + 2] = c[r + 2]! + s2;
        c[r + 3] = c[r + 3]! + s3;
      }
      for (; j < dim; j++) {
        const oj = j * B;
        let s0 = 0;
        for (let b = 0; b < count; b++) s0 += xt[oi + b]! * xt[oj + b]!;
        c[i * dim + j] = c[i * dim + j]! + s0;
      }
    }
  }
  const denom = sample.length > 1 ? sample.length - 1 : 1;
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = c[i * dim + j]! / denom;
      c[i * dim + j] = value;
      c[j * dim + i] = value;
    }
  }
  return c;
}

/**
 * Principal components of the features and the projection of every point onto them; see the
 * module doc for the method. Returns the projection [N, components] and the decomposition.
 */
export function pcaProject(features: Float32Array, dim: number, options: PcaOptions = {}): PcaResult {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`pca: feature dimension must be a positive integer, got ${dim}`);
  if (features.length % dim !== 0) throw new Error(`pca: feature buffer of ${features.length} floats is not a multiple of D = ${dim}`);
  const n = features.length / dim;
  const k = options.components ?? 3;
  if (!Number.isInteger(k) || k < 1 || k > dim) throw new Error(`pca: components must be an integer in 1..${dim}, got ${k}`);
  if (n === 0) throw new Error('pca: no points');
  const limit = options.sampleLimit ?? PCA_DEFAULT_SAMPLE_LIMIT;
  if (!Number.isInteger(limit) || limit < 2) throw new Error(`pca: sampleLimit must be an integer ≥ 2, got ${limit}`);
  const normalise = options.normaliseRows ?? false;

  // 1. Subsample and its mean.
  const sample = stratifiedSample(n, limit);
  const mean = new Float64Array(dim);
  for (let k = 0; k < sample.length; k++) {
    const base = sample[k]! * dim;
    const scale = rowScale(features, base, dim, normalise);
    for (let d = 0; d < dim; d++) mean[d] = mean[d]! + features[base + d]! * scale;
  }
  for (let d = 0; d < dim; d++) mean[d] = mean[d]! / sample.length;

  // 2. Covariance of the subsample.
  const c = covariance(features, dim, mean, sample, normalise);
  let totalVariance = 0;
  for (let d = 0; d < dim; d++) totalVariance += c[d * dim + d]!;

  // 3. Top-k eigenpairs.
  let top: TopEigen;
  if (dim <= JACOBI_MAX_DIM) {
    const eig = symmetricEigen(c, dim);
    top = { values: eig.values.slice(0, k), vectors: eig.vectors.slice(0, k * dim), iterations: 0, converged: true };
  } else {
    top = topEigenSubspace(c, dim, k, options.maxIterations ?? 100, options.tolerance ?? 1e-10);
  }
  const axes = top.vectors;
  const variances = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    fixSign(axes.subarray(j * dim, (j + 1) * dim));
    variances[j] = Math.max(0, top.values[j]!); // rounding can leave −1e-17 on null directions
  }
  const explainedVarianceRatio = variances.map((v) => (totalVariance > 0 ? v / totalVariance : 0));

  // 5. Projection, one pass: raw dots f·v_j (axes interleaved [D][k]), then centred by the mean
  //    of each component over ALL points, which equals subtracting (mean over all points)·v_j.
  const interleaved = new Float64Array(dim * k);
  for (let j = 0; j < k; j++) for (let d = 0; d < dim; d++) interleaved[d * k + j] = axes[j * dim + d]!;
  const projected = new Float32Array(n * k);
  const raw = new Float64Array(n * k); // float64 so centring does not lose the small components
  const sums = new Float64Array(k);
  if (k === 3) {
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const base = i * dim;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let sq = 0;
      for (let d = 0, j = 0; d < dim; d++, j += 3) {
        const x = features[base + d]!;
        sq += x * x;
        a0 += x * interleaved[j]!;
        a1 += x * interleaved[j + 1]!;
        a2 += x * interleaved[j + 2]!;
      }
      const scale = normalise ? (sq > 0 ? 1 / Math.sqrt(sq) : 0) : 1;
      raw[i * 3] = a0 * scale;
      raw[i * 3 + 1] = a1 * scale;
      raw[i * 3 + 2] = a2 * scale;
      m0 += a0 * scale;
      m1 += a1 * scale;
      m2 += a2 * scale;
    }
    sums[0] = m0;
    sums[1] = m1;
    sums[2] = m2;
  } else {
    const acc = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const base = i * dim;
      acc.fill(0);
      let sq = 0;
      for (let d = 0; d < dim; d++) {
        const x = features[base + d]!;
        sq += x * x;
        for (let j = 0; j < k; j++) acc[j] = acc[j]! + x * interleaved[d * k + j]!;
      }
      const scale = normalise ? (sq > 0 ? 1 / Math.sqrt(sq) : 0) : 1;
      for (let j = 0; j < k; j++) {
        raw[i * k + j] = acc[j]! * scale;
        sums[j] = sums[j]! + acc[j]! * scale;
      }
    }
  }
  for (let j = 0; j < k; j++) sums[j] = sums[j]! / n;
  for (let i = 0; i < n * k; i++) projected[i] = raw[i]! - sums[i % k]!;

  return {
    projected,
    axes,
    mean,
    variances,
    totalVariance,
    explainedVarianceRatio,
    sampleCount: sample.length,
    iterations: top.iterations,
    converged: top.converged,
  };
}

// ---------------------------------------------------------------------------------------------
// Colour mappings
// ---------------------------------------------------------------------------------------------

function checkRgb(projected: Float32Array): number {
  if (projected.length % 3 !== 0) throw new Error(`pca colours: ${projected.length} values is not [N, 3]`);
  return projected.length / 3;
}

const byte = (x: number): number => Math.round((x < 0 ? 0 : x > 1 ? 1 : x) * 255);

/**
 * DROP-CLIP: ONE min–max over all three components together (not per channel), so the relative
 * spread of the components is kept: rgb = (p − min) / (max − min). A constant projection maps to
 * 0.5 (128). Input [N, 3] (e.g. `pcaProject(...).projected`); returns Uint8Array [N, 3].
 */
export function pcaToRgbGlobal(projected: Float32Array, out: Uint8Array = new Uint8Array(projected.length)): Uint8Array {
  checkRgb(projected);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < projected.length; i++) {
    const v = projected[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  for (let i = 0; i < projected.length; i++) out[i] = span > 0 ? byte((projected[i]! - min) / span) : 128;
  return out;
}

/**
 * SparseDFF (`process_f`): min–max PER channel, then × 0.8 + 0.2 so no channel goes fully dark.
 * (SparseDFF also swaps G and B; FieldLens keeps component j in channel j.) A constant channel
 * maps to 0.5 · 0.8 + 0.2 = 0.6. Input [N, 3]; returns Uint8Array [N, 3].
 */
export function pcaToRgbPerChannel(projected: Float32Array, out: Uint8Array = new Uint8Array(projected.length)): Uint8Array {
  const n = checkRgb(projected);
  for (let ch = 0; ch < 3; ch++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = projected[i * 3 + ch]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const span = max - min;
    for (let i = 0; i < n; i++) {
      const t = span > 0 ? (projected[i * 3 + ch]! - min) / span : 0.5;
      out[i * 3 + ch] = byte(t * 0.8 + 0.2);
    }
  }
  return out;
}
