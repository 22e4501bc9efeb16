/**
 * Exact mean k-nearest-neighbour distances for every point of a cloud (the statistic of
 * statistical outlier removal), blocked per grid cell:
 *
 * For each occupied cell, the points of its 3×3×3 neighbourhood of cells are gathered once into
 * contiguous scratch arrays (own cell first). Every query of the cell computes its squared distance
 * to all of them and selects the k smallest (quickselect). That answer is exact when the k-th
 * distance is no larger than the query's distance to the faces of the 3×3×3 block: no point
 * outside the block can then be nearer. Queries that fail the test (sparse regions, far outliers)
 * go to the exact per-query search (knnExact.ts). The cell size is chosen so that a point shares
 * its cell with about k/2 others (chooseKnnCellSize), which settles nearly every query in the block.
 *
 * Ownership: inputs are only read; the returned array is fresh.
 */
import { ExactKnn } from './knnExact.ts';
import { buildVoxelGrid, coarsenCells, type VoxelGrid, type VoxelHash } from './voxelGrid.ts';

/** Called now and then with points done so far and the total. */
export type KnnProgress = (done: number, total: number) => void;

/** Points between progress reports. */
const PROGRESS_EVERY = 1 << 16;

/**
 * Partially sorts d[0, n) so that d[0, k) holds the k smallest values (in no order) and d[k − 1]
 * is the largest of them (Hoare partition quickselect, median of three).
 */
export function selectSmallest(d: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot.
    const a = d[lo]!;
    const b = d[mid]!;
    const c = d[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (d[i]! < pivot) i++;
      while (d[j]! > pivot) j--;
      if (i <= j) {
        const t = d[i]!;
        d[i] = d[j]!;
        d[j] = t;
        i++;
        j--;
      }
    }
    // Now d[lo, j] ≤ pivot ≤ d[i, hi], and d(j, i) == pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  // d[k − 1] must be the largest of the k smallest: with equal pivots the loop may stop early, so
  // move the maximum of d[0, k) to k − 1 explicitly.
  let best = 0;
  for (let t = 1; t < k; t++) if (d[t]! > d[best]!) best = t;
  const t = d[best]!;
  d[best] = d[target]!;
  d[target] = t;
}

/**
 * Writes to `out` the squared distances from (qx, qy, qz) to the first n block points that are at
 * most `limit` (branch-free: every distance is written, the count advances only for those kept);
 * returns how many. `out` must hold n entries.
 */
function gatherWithin(
  bx: Float64Array,
  by: Float64Array,
  bz: Float64Array,
  n: number,
  qx: number,
  qy: number,
  qz: number,
  limit: number,
  out: Float64Array,
): number {
  let m = 0;
  for (let t = 0; t < n; t++) {
    const dx = bx[t]! - qx;
    const dy = by[t]! - qy;
    const dz = bz[t]! - qz;
    const d2 = dx * dx + dy * dy + dz * dz;
    out[m] = d2;
    m += d2 <= limit ? 1 : 0;
  }
  return m;
}

/**
 * One level of the cascade: cells of edge cellSize, each a list of fine cells (whose points are
 * contiguous ranges of the sorted positions).
 */
interface BlockLevel {
  readonly cellSize: number;
  readonly cellCount: number;
  readonly cellCoords: Int32Array;
  readonly hash: VoxelHash;
  /** Fine cells of cell c: fineCells[fineStart[c] … fineStart[c + 1]). */
  readonly fineStart: Uint32Array;
  readonly fineCells: Uint32Array;
}

/** Levels above the fine grid: cells of 2× the edge each. */
const CASCADE_LEVELS = 3;

function fineLevel(grid: VoxelGrid): BlockLevel {
  const identity = new Uint32Array(grid.cellCount + 1);
  for (let c = 0; c <= grid.cellCount; c++) identity[c] = c;
  return {
    cellSize: grid.cellSize,
    cellCount: grid.cellCount,
    cellCoords: grid.cellCoords,
    hash: grid.hash,
    fineStart: identity,
    fineCells: identity.subarray(0, grid.cellCount),
  };
}

/** The level of 2× cells above `below`, with fine-cell lists composed through it. */
function coarserLevel(below: BlockLevel): BlockLevel {
  const up = coarsenCells(below.cellCoords, below.cellCount, below.cellSize, 1);
  const fineStart = new Uint32Array(up.cellCount + 1);
  const fineCells = new Uint32Array(below.fineCells.length);
  let n = 0;
  for (let c = 0; c < up.cellCount; c++) {
    fineStart[c] = n;
    for (let t = up.childStart[c]!; t < up.childStart[c + 1]!; t++) {
      const child = up.children[t]!;
      for (let f = below.fineStart[child]!; f < below.fineStart[child + 1]!; f++) fineCells[n++] = below.fineCells[f]!;
    }
  }
  fineStart[up.cellCount] = n;
  return { cellSize: up.cellSize, cellCount: up.cellCount, cellCoords: up.cellCoords, hash: up.hash, fineStart, fineCells };
}

/** Growable scratch for one block's candidates. */
class Block {
  x = new Float64Array(1024);
  y = new Float64Array(1024);
  z = new Float64Array(1024);
  dist = new Float64Array(1024);
  /** Sorted indices of the queries of the block's own cell, and their positions in the block. */
  query = new Int32Array(256);
  queryAt = new Int32Array(256);

  reserve(n: number, queries: number): void {
    if (n > this.x.length) {
      let cap = this.x.length;
      while (cap < n) cap *= 2;
      this.x = new Float64Array(cap);
      this.y = new Float64Array(cap);
      this.z = new Float64Array(cap);
      this.dist = new Float64Array(cap);
    }
    if (queries > this.query.length) {
      let cap = this.query.length;
      while (cap < queries) cap *= 2;
      this.query = new Int32Array(cap);
      this.queryAt = new Int32Array(cap);
    }
  }
}

/**
 * d̄ᵢ for every point: the mean Euclidean distance to its min(k, count − 1) nearest other points
 * (exact), on a grid of cells of edge `cellSize` metres (> 0, finite), then cascade levels of 2×,
 * 4×, 8× the edge for what the finer blocks do not settle, then the exact per-query search.
 */
export function blockedKnnMeanDistances(positions: Float32Array, count: number, k: number, cellSize: number, onProgress?: KnnProgress): Float64Array {
  const out = new Float64Array(count);
  const kk = Math.min(k, count - 1);
  if (kk < 1) return out;
  const grid = buildVoxelGrid(positions, count, cellSize);
  const { cellStart, cellPoints, sortedPositions: sp } = grid;
  // 1 while the point at sorted index j has no answer yet.
  const pending = new Uint8Array(count).fill(1);
  let settled = 0;
  let nextReport = PROGRESS_EVERY;
  const block = new Block();
  const near = new Int32Array(27);
  let level = fineLevel(grid);
  for (let l = 0; l <= CASCADE_LEVELS && settled < count; l++) {
    if (l > 0) level = coarserLevel(level);
    const { cellSize: size, cellCount, cellCoords, hash, fineStart, fineCells } = level;
    // Bounds are lowered by this much, so float rounding in the cell keys (⌊x/s⌋ of a point a hair
    // outside its nominal box) can never accept a wrong neighbour set.
    const slack = size * 1e-6;
    for (let c = 0; c < cellCount; c++) {
      // Pending queries of this cell, and the block size.
      let queries = 0;
      for (let f = fineStart[c]!; f < fineStart[c + 1]!; f++) {
        const fc = fineCells[f]!;
        for (let j = cellStart[fc]!; j < cellStart[fc + 1]!; j++) queries += pending[j]!;
      }
      if (queries === 0) continue;
      const cx = cellCoords[c * 3]!;
      const cy = cellCoords[c * 3 + 1]!;
      const cz = cellCoords[c * 3 + 2]!;
      near[0] = c;
      let cells = 1;
      let n = 0;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (let dz = -1; dz <= 1; dz++) {
            const id = dx === 0 && dy === 0 && dz === 0 ? c : hash.find(cx + dx, cy + dy, cz + dz);
            if (id < 0) continue;
            if (id !== c) near[cells++] = id;
            for (let f = fineStart[id]!; f < fineStart[id + 1]!; f++) n += cellStart[fineCells[f]! + 1]! - cellStart[fineCells[f]!]!;
          }
        }
      }
      block.reserve(n, queries);
      const { x: bx, y: by, z: bz, dist, query, queryAt } = block;
      n = 0;
      queries = 0;
      for (let q = 0; q < cells; q++) {
        const id = near[q]!;
        for (let f = fineStart[id]!; f < fineStart[id + 1]!; f++) {
          const fc = fineCells[f]!;
          for (let j = cellStart[fc]!; j < cellStart[fc + 1]!; j++) {
            if (q === 0 && pending[j] === 1) {
              query[queries] = j;
              queryAt[queries++] = n;
            }
            bx[n] = sp[j * 3]!;
            by[n] = sp[j * 3 + 1]!;
            bz[n] = sp[j * 3 + 2]!;
            n++;
          }
        }
      }
      if (n - 1 < kk) continue;
      // Faces of the 3×3×3 block, metres.
      const x0 = (cx - 1) * size + slack;
      const y0 = (cy - 1) * size + slack;
      const z0 = (cz - 1) * size + slack;
      const x1 = (cx + 2) * size - slack;
      const y1 = (cy + 2) * size - slack;
      const z1 = (cz + 2) * size - slack;
      let guess = Infinity;
      for (let qi = 0; qi < queries; qi++) {
        const self = queryAt[qi]!;
        const qx = bx[self]!;
        const qy = by[self]!;
        const qz = bz[self]!;
        // Only candidates within the block bound can be part of a settled answer.
        const inside = Math.min(qx - x0, x1 - qx, qy - y0, y1 - qy, qz - z0, z1 - qz);
        if (!(inside > 0)) continue;
        const bound = inside * inside;
        // The query itself is excluded by moving it to infinity for the scan (branch-free loop).
        bx[self] = Infinity;
        // First with the previous query's k-th distance (a near neighbour's, usually a little
        // above this one's), which leaves few candidates to select from; then with the bound.
        const limit = guess < bound ? guess : bound;
        let m = gatherWithin(bx, by, bz, n, qx, qy, qz, limit, dist);
        if (m < kk && limit < bound) m = gatherWithin(bx, by, bz, n, qx, qy, qz, bound, dist);
        bx[self] = qx;
        if (m < kk) continue;
        selectSmallest(dist, m, kk);
        guess = dist[kk - 1]! * 1.44;
        let sum = 0;
        for (let t = 0; t < kk; t++) sum += Math.sqrt(dist[t]!);
        const j = query[qi]!;
        out[cellPoints[j]!] = sum / kk;
        pending[j] = 0;
        settled++;
      }
      if (onProgress && settled >= nextReport) {
        onProgress(settled, count);
        nextReport = settled + PROGRESS_EVERY;
      }
    }
  }
  if (settled < count) {
    // What no block settled: the exact per-query search on the fine grid.
    const exact = new ExactKnn(grid, new Float64Array(kk), kk, cellSize * 1e-6);
    const { cellOfPoint } = grid;
    for (let j = 0; j < count; j++) {
      if (pending[j] === 0) continue;
      const i = cellPoints[j]!;
      out[i] = exact.meanDistance(j, cellOfPoint[i]!);
    }
  }
  onProgress?.(count, count);
  return out;
}
