/**
 * Cross-scene feature correspondence (SparseDFF-style): for each query feature, the k target points
 * with the highest cosine similarity. Brute force over the target; features need not be normalised.
 */

export interface FeatureMatch {
  /** Index into the target's points. */
  readonly index: number;
  /** Cosine similarity in [-1, 1]. */
  readonly similarity: number;
}

function inverseNorms(values: Float32Array, dim: number): Float32Array {
  const count = values.length / dim;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += values[i * dim + c]! ** 2;
    out[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return out;
}

/** Top-k cosine matches of each query row (row-major [q, dim]) among target rows ([n, dim]). */
export function matchFeatures(queries: Float32Array, target: Float32Array, dim: number, k: number): FeatureMatch[][] {
  if (queries.length % dim !== 0 || target.length % dim !== 0) {
    throw new Error(`matchFeatures: feature arrays must be multiples of dim ${dim}, found ${queries.length} and ${target.length}`);
  }
  const qCount = queries.length / dim;
  const tCount = target.length / dim;
  const qInv = inverseNorms(queries, dim);
  const tInv = inverseNorms(target, dim);
  const result: FeatureMatch[][] = [];
  for (let q = 0; q < qCount; q++) {
    const best: FeatureMatch[] = [];
    for (let t = 0; t < tCount; t++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += queries[q * dim + c]! * target[t * dim + c]!;
      const sim = dot * qInv[q]! * tInv[t]!;
      if (best.length < k || sim > best[best.length - 1]!.similarity) {
        let j = Math.min(best.length, k - 1);
        best[j] = { index: t, similarity: sim };
        while (j > 0 && best[j - 1]!.similarity < sim) {
          best[j] = best[j - 1]!;
          best[j - 1] = { index: t, similarity: sim };
          j--;
        }
      }
    }
    result.push(best);
  }
  return result;
}
