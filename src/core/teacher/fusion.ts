/**
 * Fusing one object's per-view crop embeddings into its feature (DROP-CLIP `fuse_obj_prior`):
 *   f_k = Σ_v w_kv f_kv / Σ_v w_kv   (f_kv L2-normalised; the result renormalised)
 * with the weights
 *   - pixels:   w_kv = number of pixels of object k in view v (DROP-CLIP's default);
 *   - semantic: w_kv = max(1 − cos(f_kv, m), 1e−6), m = the normalised mean of every crop embedding
 *     of the scene. DROP-CLIP measures informativeness against a label set; without labels, a view is
 *     informative when its embedding stands out from the average crop (a view that sees only a sliver
 *     looks like everything else);
 *   - best-k:   the k views with most pixels, equally weighted (OpenMask3D's top-k views).
 */

export type FusionMode = 'pixels' | 'semantic' | 'best-k';
export const FUSION_MODES: readonly FusionMode[] = ['pixels', 'semantic', 'best-k'];
export const MIN_SEMANTIC_WEIGHT = 1e-6;
export const DEFAULT_BEST_K = 3;

export interface ViewObservation {
  readonly pixelCount: number;
  /** L2-normalised crop embedding. */
  readonly embedding: Float32Array;
}

export function normalised(v: ArrayLike<number>): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i]! * v[i]!;
  const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  return Float32Array.from(v, (x) => x * scale);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The normalised mean of normalised embeddings (m in the semantic weight). */
export function meanEmbedding(embeddings: readonly Float32Array[], dim: number): Float32Array {
  const sum = new Float64Array(dim);
  for (const e of embeddings) for (let d = 0; d < dim; d++) sum[d] = sum[d]! + e[d]!;
  return normalised(sum);
}

export function fusionWeights(
  observations: readonly ViewObservation[],
  mode: FusionMode,
  options: { readonly k?: number; readonly sceneMean?: Float32Array } = {},
): number[] {
  if (mode === 'pixels') return observations.map((o) => o.pixelCount);
  if (mode === 'semantic') {
    const mean = options.sceneMean;
    if (!mean) throw new Error('fusionWeights: semantic fusion needs the scene mean embedding');
    return observations.map((o) => Math.max(1 - dot(o.embedding, mean), MIN_SEMANTIC_WEIGHT));
  }
  const k = options.k ?? DEFAULT_BEST_K;
  if (!Number.isInteger(k) || k < 1) throw new Error(`fusionWeights: best-k needs k ≥ 1, got ${k}`);
  // Most pixels first; ties keep view order, so the choice is deterministic.
  const order = observations.map((o, i) => i).sort((a, b) => observations[b]!.pixelCount - observations[a]!.pixelCount || a - b);
  const chosen = new Set(order.slice(0, k));
  return observations.map((_, i) => (chosen.has(i) ? 1 : 0));
}

/** Σ w f / Σ w, renormalised; zeros when there is nothing to fuse. */
export function fuseEmbeddings(observations: readonly ViewObservation[], weights: readonly number[], dim: number): Float32Array {
  const sum = new Float64Array(dim);
  let total = 0;
  observations.forEach((o, i) => {
    const w = weights[i]!;
    total += w;
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + w * o.embedding[d]!;
  });
  return total > 0 ? normalised(sum) : new Float32Array(dim);
}
