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

export interface PruneOptions {
  readonly neighbours?: number;
  readonly minCosine?: number;
}

/** Pruning over float32 rows [count, dim]. */
export function pruneDiscontinuous(positions: Float32Array, values: Float32Array, dim: number, count: number, options: PruneOptions = {}): PruneResult {
  if (values.length !== count * dim) throw new Error(`prune: ${values.length} feature values for ${count} points of ${dim} dimensions`);
  return pruneByCosine(positions, count, (i, j) => rowCosine(values, dim, i, j), options);
}

/** Pruning by any pairwise feature cosine (a compact store's: core/features/storeSubset.ts storeCosine). */
export function pruneByCosine(positions: Float32Array, count: number, cosine: (i: number, j: number) => number, options: PruneOptions = {}): PruneResult {
  const k = options.neighbours ?? PRUNE_DEFAULTS.neighbours;
  const minCosine = options.minCosine ?? PRUNE_DEFAULTS.minCosine;
  if (!Number.isInteger(k) || k < 1) throw new Error(`prune: neighbours must be a whole number ≥ 1, found ${k}`);
  if (!(minCosine >= -1 && minCosine <= 1)) throw new Error(`prune: the cosine threshold must lie in [-1, 1], found ${minCosine}`);
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
      if (cosine(i, j) >= minCosine) agree++;
    }
    agreement[i] = found > 0 ? agree / found : 1;
    if (found < k / 2 || agree * 2 >= found) kept.push(i);
  }
  return { kept: Uint32Array.from(kept), agreement };
}
