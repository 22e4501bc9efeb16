/**
 * SparseDFF's per-scene refinement across views: each point's cross-view partner (the same 3D
 * location seen by another camera), the agreement between partners, and the refinement itself —
 * a linear map trained with a contrastive loss (linearRefine.ts), applied to every row.
 */
import { applyLinearMap, trainLinearRefinement, type LinearRefineOptions } from './linearRefine.ts';
import { rowCosine, spatialNeighbours } from './spatialNeighbours.ts';

export interface RefineCloud {
  readonly count: number;
  /** xyz metres; length 3·count. */
  readonly positions: Float32Array;
  /** Input view of each point. */
  readonly viewIndex: Uint16Array;
}

export interface RefineResult {
  readonly values: Float32Array;
  /** The trained map W [D, D] (refined = W f) and its per-step losses. */
  readonly map: Float64Array;
  readonly losses: Float64Array;
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

/** Refines float32 rows [count, dim]: trains the linear map on them and applies it to every row. */
export function refineAcrossViews(cloud: RefineCloud, values: Float32Array, dim: number, options: LinearRefineOptions = {}): RefineResult {
  if (values.length !== cloud.count * dim) throw new Error(`refine: ${values.length} feature values for ${cloud.count} points of ${dim} dimensions`);
  const rows = { count: cloud.count, dim, readRows: (first: number, n: number, out: Float32Array) => out.set(values.subarray(first * dim, (first + n) * dim)) };
  const trained = trainLinearRefinement(cloud, rows, options);
  return { values: applyLinearMap(trained.map, dim, values), partner: trained.partner, pairs: trained.pairs, losses: trained.losses, map: trained.map };
}
