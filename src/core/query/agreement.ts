/**
 * Agreement between two per-point feature sets of one cloud (e.g. teacher vs student): the cosine
 * of each point's two feature vectors, and its mean over the points where both are non-zero.
 * A zero vector has no direction; its cosine is NaN and it is left out of the mean.
 */
import { inverseNorms } from './formulas.ts';

export interface FeatureAgreement {
  /** cos(a_i, b_i) per point, in [−1, 1]; NaN where either vector is zero. */
  readonly perPoint: Float32Array;
  /** Mean over the points with a defined cosine; NaN when there are none. */
  readonly mean: number;
}

export function featureAgreement(a: Float32Array, b: Float32Array, dim: number): FeatureAgreement {
  if (a.length !== b.length)
    throw new Error(`agreement: the feature sets have ${a.length / dim} and ${b.length / dim} rows of ${dim}; they must describe the same points`);
  const n = a.length / dim;
  const invA = inverseNorms(a, dim);
  const invB = inverseNorms(b, dim);
  const perPoint = new Float32Array(n);
  let sum = 0;
  let defined = 0;
  for (let i = 0; i < n; i++) {
    const ia = invA[i]!;
    const ib = invB[i]!;
    if (!(ia > 0 && ib > 0 && Number.isFinite(ia) && Number.isFinite(ib))) {
      perPoint[i] = Number.NaN;
      continue;
    }
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += a[i * dim + d]! * b[i * dim + d]!;
    // Rounding can push |cos| a hair past 1; clamp so the heatmap range stays [−1, 1].
    const cosine = Math.max(-1, Math.min(1, dot * ia * ib));
    perPoint[i] = cosine;
    sum += cosine;
    defined++;
  }
  return { perPoint, mean: defined > 0 ? sum / defined : Number.NaN };
}
