/**
 * Relevancy of per-point features to a text embedding. Features are row-major [N, D]; the text
 * embedding is L2-normalised here, features per point, so the result is the cosine s(f, t).
 */

export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}

export interface ScalarRange {
  readonly min: number;
  readonly max: number;
}

/** Raw cosine similarity per point; a zero feature gives 0. */
export function cosineRelevancy(features: Float32Array, dim: number, text: Float32Array): Float32Array {
  if (text.length !== dim) throw new Error(`relevancy: text embedding has ${text.length} dimensions, features have ${dim}`);
  if (features.length % dim !== 0) throw new Error(`relevancy: feature buffer of ${features.length} floats is not a multiple of D = ${dim}`);
  const t = l2Normalize(text);
  const n = features.length / dim;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let norm = 0;
    const base = i * dim;
    for (let d = 0; d < dim; d++) {
      const f = features[base + d] as number;
      dot += f * (t[d] as number);
      norm += f * f;
    }
    out[i] = norm > 0 ? dot / Math.sqrt(norm) : 0;
  }
  return out;
}

export function scalarRange(values: Float32Array): ScalarRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length === 0 ? { min: 0, max: 0 } : { min, max };
}
