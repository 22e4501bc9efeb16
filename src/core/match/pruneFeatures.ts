/**
 * SparseDFF's point pruning for feature continuity: a point whose feature disagrees with most of its
 * k nearest spatial neighbours' (cosine below `minCosine` for more than half of them) sits on a
 * feature discontinuity — a mis-lifted pixel, a teacher crop bleeding over an edge — and is dropped
 * before matching. Points with fewer than k/2 neighbours found are kept (nothing to judge by).
 */
import { rowCosine, spatialNeighbours } from './spatialNeighbours.ts';

export const PRUNE_DEFAULTS = { neighbours: 10, minCosine: 0.8 } as const;

export interface PruneResult {
  /** Indices of the points kept, ascending. */
  readonly kept: Uint32Array;
  /** Per point: the share of its neighbours whose feature agrees (cosine ≥ minCosine). */
  readonly agreement: Float32Array;
}

export function pruneDiscontinuous(
  positions: Float32Array,
  values: Float32Array,
  dim: number,
  count: number,
  options: { readonly neighbours?: number; readonly minCosine?: number } = {},
): PruneResult {
  const k = options.neighbours ?? PRUNE_DEFAULTS.neighbours;
  const minCosine = options.minCosine ?? PRUNE_DEFAULTS.minCosine;
  if (values.length !== count * dim) throw new Error(`prune: ${values.length} feature values for ${count} points of ${dim} dimensions`);
  const nb = spatialNeighbours(positions, count, k);
  const agreement = new Float32Array(count);
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    let found = 0;
    let agree = 0;
    for (let s = 0; s < k; s++) {
      const j = nb.index[i * k + s]!;
      if (j < 0) break;
      found++;
      if (rowCosine(values, dim, i, j) >= minCosine) agree++;
    }
    agreement[i] = found > 0 ? agree / found : 1;
    if (found < k / 2 || agree * 2 >= found) kept.push(i);
  }
  return { kept: Uint32Array.from(kept), agreement };
}
