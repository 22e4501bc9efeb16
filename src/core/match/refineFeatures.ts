/**
 * SparseDFF's per-scene refinement, as a few gradient steps on the per-point features themselves:
 * an InfoNCE (contrastive) loss pulls each point's feature towards the feature of the same 3D
 * location seen by another camera (its nearest point from another view, within `radiusMetres`)
 * and pushes it from the features of `negatives` random points farther than `farMetres`.
 *
 * For unit features f, positive p and negatives n_j at temperature τ, L = −log softmax(f·p/τ, f·n_j/τ)₀
 * and ∂L/∂f = (Σ_x w_x x − p)/τ (w: the softmax weights over {p, n_j}); each step moves every point
 * with a positive by −η ∂L/∂f and renormalises (all points from the previous step's features).
 * Rows keep their norms. Deterministic (seeded negatives). τ = 0.5: at 0.1 the positive's softmax
 * weight saturates near 1 once it is the most similar (gradient ≈ 0), so views that already agree
 * better than with random points (cosine 0.88 vs 0.04 on the synthetic test) were hardly moved.
 */
import { mulberry32 } from '../synth/prng.ts';
import { rowCosine, spatialNeighbours } from './spatialNeighbours.ts';

export const REFINE_DEFAULTS = { radiusMetres: 0.01, farMetres: 0.1, negatives: 8, temperature: 0.5, step: 0.05, iterations: 5 } as const;

export interface RefineCloud {
  readonly count: number;
  /** xyz metres; length 3·count. */
  readonly positions: Float32Array;
  /** Input view of each point. */
  readonly viewIndex: Uint16Array;
}

export interface RefineResult {
  readonly values: Float32Array;
  /** Cross-view pairs: point i and its partner (−1: none). */
  readonly partner: Int32Array;
  readonly pairs: number;
}

/** Each point's nearest point from another view within `radiusMetres` (−1 when none). */
export function crossViewPartners(cloud: RefineCloud, radiusMetres: number, neighbours = 12): Int32Array {
  const nb = spatialNeighbours(cloud.positions, cloud.count, neighbours);
  const partner = new Int32Array(cloud.count).fill(-1);
  const r2 = radiusMetres * radiusMetres;
  for (let i = 0; i < cloud.count; i++) {
    for (let s = 0; s < neighbours; s++) {
      const j = nb.index[i * neighbours + s]!;
      if (j < 0 || nb.squaredDistance[i * neighbours + s]! > r2) break;
      if (cloud.viewIndex[j] !== cloud.viewIndex[i]) {
        partner[i] = j;
        break;
      }
    }
  }
  return partner;
}

/** Mean cosine between each point's feature and its cross-view partner's (the agreement refinement raises). */
export function crossViewAgreement(values: Float32Array, dim: number, partner: Int32Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < partner.length; i++) {
    if (partner[i]! < 0) continue;
    sum += rowCosine(values, dim, i, partner[i]!);
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

export function refineAcrossViews(cloud: RefineCloud, values: Float32Array, dim: number, options: Partial<typeof REFINE_DEFAULTS> = {}): RefineResult {
  const o = { ...REFINE_DEFAULTS, ...options };
  const n = cloud.count;
  if (values.length !== n * dim) throw new Error(`refine: ${values.length} feature values for ${n} points of ${dim} dimensions`);
  const partner = crossViewPartners(cloud, o.radiusMetres);
  const norms = new Float32Array(n);
  let unit = new Float32Array(values.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += values[i * dim + d]! ** 2;
    norms[i] = Math.sqrt(s);
    const inv = s > 0 ? 1 / norms[i]! : 0;
    for (let d = 0; d < dim; d++) unit[i * dim + d] = values[i * dim + d]! * inv;
  }
  // Negatives: per point, `negatives` random points farther than farMetres (fixed for all steps).
  const random = mulberry32(0x5e1f);
  const far2 = o.farMetres * o.farMetres;
  const negatives = new Int32Array(n * o.negatives).fill(-1);
  const p = cloud.positions;
  for (let i = 0; i < n; i++) {
    if (partner[i]! < 0) continue;
    for (let m = 0, tries = 0; m < o.negatives && tries < 4 * o.negatives; tries++) {
      const j = Math.floor(random() * n);
      const d2 = (p[3 * j]! - p[3 * i]!) ** 2 + (p[3 * j + 1]! - p[3 * i + 1]!) ** 2 + (p[3 * j + 2]! - p[3 * i + 2]!) ** 2;
      if (d2 > far2) negatives[i * o.negatives + m++] = j;
    }
  }
  const weights = new Float64Array(o.negatives + 1);
  const others = new Int32Array(o.negatives + 1);
  let pairs = 0;
  for (let i = 0; i < n; i++) if (partner[i]! >= 0) pairs++;
  for (let step = 0; step < o.iterations; step++) {
    const next = unit.slice();
    for (let i = 0; i < n; i++) {
      const pos = partner[i]!;
      if (pos < 0) continue;
      let count = 0;
      others[count++] = pos;
      for (let m = 0; m < o.negatives; m++) if (negatives[i * o.negatives + m]! >= 0) others[count++] = negatives[i * o.negatives + m]!;
      let max = -Infinity;
      for (let x = 0; x < count; x++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += unit[i * dim + d]! * unit[others[x]! * dim + d]!;
        weights[x] = dot / o.temperature;
        max = Math.max(max, weights[x]!);
      }
      let total = 0;
      for (let x = 0; x < count; x++) total += weights[x] = Math.exp(weights[x]! - max);
      // f ← f − η (Σ w x − p)/τ, then renormalised.
      const scale = o.step / o.temperature;
      let sq = 0;
      for (let d = 0; d < dim; d++) {
        let mix = 0;
        for (let x = 0; x < count; x++) mix += (weights[x]! / total) * unit[others[x]! * dim + d]!;
        const v = unit[i * dim + d]! - scale * (mix - unit[pos * dim + d]!);
        next[i * dim + d] = v;
        sq += v * v;
      }
      const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
      for (let d = 0; d < dim; d++) next[i * dim + d] = next[i * dim + d]! * inv;
    }
    unit = next;
  }
  const out = new Float32Array(values.length);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = unit[i * dim + d]! * norms[i]!;
  return { values: out, partner, pairs };
}
