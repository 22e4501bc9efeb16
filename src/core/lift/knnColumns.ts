/**
 * The point layout of the k-nearest-neighbour search (knnSearch.ts): a grid of cubic cells of edge
 * `cellSize` metres over the cloud's bounding box, read as columns. Two axes (u, v) index columns;
 * the third (w, the axis with the fewest cells) runs along them. Points are sorted by column, then
 * by w cell (two stable counting sorts into flat arrays), so the points of w cells [a, b] of one
 * column are one contiguous run, found by binary search on their w keys.
 *
 * Keys count cells from the bounding-box minimum: key = ⌊(p − min) / cellSize⌋ ≥ 0 per axis, so a
 * cell whose index is 0 (or the largest key) has no point beyond it on that side — the search uses
 * that to stop at the edges of the cloud. Coordinates are stored permuted to (u, v, w) order;
 * distances do not depend on the order of the axes.
 *
 * Columns are indexed densely (u · nv + v) when the u × v rectangle is small enough, otherwise
 * through a hash of (u, v) (voxelGrid.ts), so a cloud with a far stray point still costs memory in
 * proportion to its points.
 *
 * Ownership: reads `positions`; every array returned is fresh.
 */
import { VoxelHash } from './voxelGrid.ts';

export interface ColumnGrid {
  readonly cellSize: number;
  readonly count: number;
  /** Bounding-box minimum along u, v, w, metres. */
  readonly origin: readonly [number, number, number];
  /** Largest key along u, v, w (keys run 0 … max). */
  readonly maxKey: readonly [number, number, number];
  /** Coordinates of the sorted points, (u, v, w) per point; length 3 · count. */
  readonly xyz: Float32Array;
  /** w key of each sorted point (ascending within a column). */
  readonly wKey: Int32Array;
  /** Input index of each sorted point. */
  readonly index: Uint32Array;
  /** Points of column c are sorted indices columnStart[c] … columnStart[c + 1]. */
  readonly columnStart: Uint32Array;
  /** Ids of the columns that hold points, with their (u, v) keys at [2t, 2t + 2) of `occupiedKeys`. */
  readonly occupied: Uint32Array;
  readonly occupiedKeys: Int32Array;
  /** Column id of (u, v), or −1 when no point lies in it (or it is outside the grid). */
  column(u: number, v: number): number;
}

/** The largest dense column table, in entries, relative to the point count (and at least 2²⁰). */
const DENSE_COLUMNS_PER_POINT = 4;
const KEY_LIMIT = 2 ** 31 - 2;

export function buildColumnGrid(positions: Float32Array, count: number, cellSize: number): ColumnGrid {
  if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new RangeError(`k-NN grid: cell size must be a positive number of metres, found ${cellSize}`);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      const p = positions[i * 3 + a]!;
      if (!Number.isFinite(p)) throw new RangeError(`k-NN grid: point ${i} has a coordinate ${p}; positions must be finite`);
      if (p < lo[a]!) lo[a] = p;
      if (p > hi[a]!) hi[a] = p;
    }
  }
  const span = [0, 1, 2].map((a) => Math.floor((hi[a]! - lo[a]!) / cellSize));
  if (!span.every((s) => s <= KEY_LIMIT)) {
    throw new RangeError(`k-NN grid: the cloud spans ${Math.max(...span)} cells of ${cellSize} m along one axis, more than a 32-bit key holds`);
  }
  // w: the axis with the fewest cells (short columns); u, v the other two.
  const order = [0, 1, 2].sort((a, b) => span[b]! - span[a]! || a - b);
  const [au, av, aw] = order as [number, number, number];
  const [ou, ov, ow] = [lo[au]!, lo[av]!, lo[aw]!];
  const nu = span[au]! + 1;
  const nv = span[av]! + 1;
  const nw = span[aw]! + 1;
  const dense = nu * nv <= Math.max(1 << 20, DENSE_COLUMNS_PER_POINT * count);
  const hash = dense ? null : new VoxelHash(Math.min(count, 1 << 16));
  const columnOf = new Uint32Array(count);
  const wOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.floor((positions[i * 3 + au]! - ou) / cellSize);
    const v = Math.floor((positions[i * 3 + av]! - ov) / cellSize);
    wOf[i] = Math.floor((positions[i * 3 + aw]! - ow) / cellSize);
    columnOf[i] = hash ? hash.insert(u, v, 0) : u * nv + v;
  }
  const columns = hash ? hash.size : nu * nv;
  // Sort by w, then stably by column (least significant key first).
  let byW: Uint32Array;
  if (nw <= Math.max(1 << 20, 4 * count)) {
    byW = countingSort(wOf, nw, null);
  } else {
    byW = new Uint32Array(count);
    for (let i = 0; i < count; i++) byW[i] = i;
    byW.sort((a, b) => wOf[a]! - wOf[b]!);
  }
  const columnStart = new Uint32Array(columns + 1);
  const sorted = countingSort(columnOf, columns, byW, columnStart);
  const xyz = new Float32Array(count * 3);
  const wKey = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const i = sorted[j]!;
    xyz[j * 3] = positions[i * 3 + au]!;
    xyz[j * 3 + 1] = positions[i * 3 + av]!;
    xyz[j * 3 + 2] = positions[i * 3 + aw]!;
    wKey[j] = wOf[i]!;
  }
  let occupied: Uint32Array;
  let occupiedKeys: Int32Array;
  if (hash) {
    occupied = Uint32Array.from({ length: columns }, (_, c) => c);
    occupiedKeys = new Int32Array(columns * 2);
    const keys = hash.coords;
    for (let c = 0; c < columns; c++) {
      occupiedKeys[c * 2] = keys[c * 3]!;
      occupiedKeys[c * 2 + 1] = keys[c * 3 + 1]!;
    }
  } else {
    let n = 0;
    for (let c = 0; c < columns; c++) n += columnStart[c + 1]! > columnStart[c]! ? 1 : 0;
    occupied = new Uint32Array(n);
    occupiedKeys = new Int32Array(n * 2);
    n = 0;
    for (let c = 0; c < columns; c++) {
      if (columnStart[c + 1]! === columnStart[c]!) continue;
      occupied[n] = c;
      occupiedKeys[n * 2] = Math.floor(c / nv);
      occupiedKeys[n * 2 + 1] = c % nv;
      n++;
    }
  }
  const column = hash
    ? (u: number, v: number) => (u >= 0 && v >= 0 ? hash.find(u, v, 0) : -1)
    : (u: number, v: number) => (u >= 0 && u < nu && v >= 0 && v < nv ? u * nv + v : -1);
  return { cellSize, count, origin: [ou, ov, ow], maxKey: [nu - 1, nv - 1, nw - 1], xyz, wKey, index: sorted, columnStart, occupied, occupiedKeys, column };
}

/**
 * A stable counting sort of the indices `input` (all of 0 … n − 1 when null) by key[i] ∈ [0, keys);
 * writes the start of each key's run to `starts` (length keys + 1) when given.
 */
function countingSort(key: Uint32Array | Int32Array, keys: number, input: Uint32Array | null, starts = new Uint32Array(keys + 1)): Uint32Array {
  const n = key.length;
  for (let i = 0; i < n; i++) starts[key[i]! + 1]!++;
  for (let c = 0; c < keys; c++) starts[c + 1]! += starts[c]!;
  const next = starts.slice(0, keys);
  const out = new Uint32Array(n);
  if (input) {
    for (let t = 0; t < n; t++) {
      const i = input[t]!;
      out[next[key[i]!]!++] = i;
    }
  } else {
    for (let i = 0; i < n; i++) out[next[key[i]!]!++] = i;
  }
  return out;
}

/** The first sorted index in [from, to) whose w key is ≥ w (to when none). */
export function lowerBound(wKey: Int32Array, from: number, to: number, w: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (wKey[mid]! < w) a = mid + 1;
    else b = mid;
  }
  return a;
}
