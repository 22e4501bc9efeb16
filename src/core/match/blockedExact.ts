/**
 * Exact top-k cosine matching as a blocked matrix product: [Q, D] queries × [N, D] target rows.
 *
 * The queries are cut into blocks of QUERY_BLOCK unit vectors (float32, 32 × 512 × 4 B = 64 KiB, in
 * cache); the target is streamed once per block in tiles of TILE_ROWS rows, each row decoded once
 * (fp16 through the half table, or copied) into a float32 tile with its inverse norm, then dotted
 * against four queries at a time (one load of the row value feeds four accumulators). Each query
 * keeps a top-k list; a row enters only above the list's floor. Cost: Q·N·D multiply-adds with no
 * pruning, whatever the features look like (1 k × 1 M × 512 = 5·10¹¹, minutes in JS; the bench
 * prints the figure), so this is the reference path: `--exact`, and small targets.
 */
import { halfTable } from '../features/float16.ts';
import { TopK, type FeatureMatch, type RowStore } from './matchIndex.ts';

const QUERY_BLOCK = 32;
const TILE_ROWS = 64;

/** Unit rows of `queries` ([Q, dim]); a zero or non-finite row stays zero and is flagged invalid. */
export function unitQueries(queries: Float32Array, dim: number): { unit: Float32Array; valid: Uint8Array } {
  if (queries.length % dim !== 0) throw new Error(`match: query features are not rows of the target's ${dim} dimensions (${queries.length} values)`);
  const count = queries.length / dim;
  const unit = new Float32Array(queries.length);
  const valid = new Uint8Array(count);
  for (let q = 0; q < count; q++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += queries[q * dim + d]! ** 2;
    if (!(s > 0) || !Number.isFinite(s)) continue;
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) unit[q * dim + d] = queries[q * dim + d]! * inv;
    valid[q] = 1;
  }
  return { unit, valid };
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`match: k must be a whole number ≥ 1, found ${k}`);
}

/** Decodes rows [first, first + n) into `tile` and their inverse norms (0 for a zero row) into `inv`. */
function decodeTile(store: RowStore, first: number, n: number, tile: Float32Array, inv: Float32Array, table: Float32Array): void {
  const dim = store.dim;
  if (store.kind === 'fp16') {
    const h = store.halves;
    const base = first * dim;
    for (let j = 0; j < n * dim; j++) tile[j] = table[h[base + j]!]!;
  } else tile.set(store.values.subarray(first * dim, (first + n) * dim));
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let d = r * dim; d < (r + 1) * dim; d++) s += tile[d]! * tile[d]!;
    inv[r] = s > 0 && Number.isFinite(s) ? 1 / Math.sqrt(s) : 0;
  }
}

/**
 * Exact top-k cosine matches of each query row ([Q, dim] float32) among the store's rows, best
 * first (ties: lower index first). A zero or non-finite query gets no matches. `onBlock(done, total)`
 * reports query blocks finished.
 */
export function exactTopK(queries: Float32Array, store: RowStore, k: number, onBlock?: (done: number, total: number) => void): FeatureMatch[][] {
  checkK(k);
  const dim = store.dim;
  const { unit, valid } = unitQueries(queries, dim);
  const qCount = queries.length / dim;
  const count = store.pointCount;
  const table = halfTable();
  const tile = new Float32Array(TILE_ROWS * dim);
  const inv = new Float32Array(TILE_ROWS);
  const results: FeatureMatch[][] = [];
  const blocks = Math.ceil(qCount / QUERY_BLOCK);
  for (let q0 = 0; q0 < qCount; q0 += QUERY_BLOCK) {
    const qn = Math.min(QUERY_BLOCK, qCount - q0);
    const block = unit.subarray(q0 * dim, (q0 + qn) * dim);
    const tops = Array.from({ length: qn }, () => new TopK(k));
    const live = Array.from({ length: qn }, (_, j) => j).filter((j) => valid[q0 + j]);
    for (let t0 = 0; t0 < count; t0 += TILE_ROWS) {
      const tn = Math.min(TILE_ROWS, count - t0);
      decodeTile(store, t0, tn, tile, inv, table);
      let l = 0;
      for (; l + 3 < live.length; l += 4) {
        const j0 = live[l]!;
        const j1 = live[l + 1]!;
        const j2 = live[l + 2]!;
        const j3 = live[l + 3]!;
        const b0 = j0 * dim;
        const b1 = j1 * dim;
        const b2 = j2 * dim;
        const b3 = j3 * dim;
        for (let r = 0; r < tn; r++) {
          const rb = r * dim;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let d = 0; d < dim; d++) {
            const v = tile[rb + d]!;
            a0 += v * block[b0 + d]!;
            a1 += v * block[b1 + d]!;
            a2 += v * block[b2 + d]!;
            a3 += v * block[b3 + d]!;
          }
          const s = inv[r]!;
          tops[j0]!.push(t0 + r, a0 * s);
          tops[j1]!.push(t0 + r, a1 * s);
          tops[j2]!.push(t0 + r, a2 * s);
          tops[j3]!.push(t0 + r, a3 * s);
        }
      }
      for (; l < live.length; l++) {
        const j = live[l]!;
        const b = j * dim;
        for (let r = 0; r < tn; r++) {
          let a = 0;
          for (let d = 0; d < dim; d++) a += tile[r * dim + d]! * block[b + d]!;
          tops[j]!.push(t0 + r, a * inv[r]!);
        }
      }
    }
    for (const top of tops) results.push(top.toMatches());
    onBlock?.(q0 / QUERY_BLOCK + 1, blocks);
  }
  return results;
}
