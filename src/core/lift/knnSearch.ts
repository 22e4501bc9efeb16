/**
 * Exact mean k-nearest-neighbour distances for every point of a cloud (the statistic of
 * statistical outlier removal), blocked per grid cell on a column grid (knnColumns.ts):
 *
 * The queries of one cell share a block: the cells within R of it along each axis, which are
 * (2R + 1)² contiguous runs of the sorted points. Each query computes its squared distance to
 * every point of the block (a branch-free loop over flat arrays) keeping those within a limit, and
 * selects the k smallest (quickselect). The answer is exact when the limit is at most the query's
 * squared distance to the block's faces: every point within the limit is then in the block. A face
 * with no point beyond it (the edge of the cloud) does not limit. R starts from the previous
 * query's k-th distance, so each cell's block just covers its queries' neighbourhoods; queries that
 * R ≤ R_MAX does not settle (sparse regions, stray points) are searched alone with growing blocks.
 *
 * The limit is first the previous query's k-th distance with a margin (neighbours have similar
 * ones), which leaves few candidates to select from; only when that keeps fewer than k does the
 * query scan again with the face distance.
 *
 * Ownership: inputs are only read; the returned array is fresh.
 */
import { buildColumnGrid, lowerBound, type ColumnGrid } from './knnColumns.ts';
import { gather, gatherPair, selectSmallest } from './knnKernels.ts';

export { selectSmallest };

/** Called now and then with points done so far and the total. */
export type KnnProgress = (done: number, total: number) => void;

/**
 * What the search reads of an AbortSignal (src/core has no DOM types; an AbortSignal fits): once
 * `aborted`, the search throws `reason` — an AbortSignal's is a DOMException named AbortError, the
 * error the app takes for a cancel.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: Error;
}

export interface KnnOptions {
  /** Progress (points done, total), about every 65,536 points. */
  readonly onProgress?: KnnProgress | undefined;
  /** Checked between blocks: once aborted, the search throws the signal's reason (an AbortError). */
  readonly signal?: CancelSignal | undefined;
}

/** Points between progress reports (and cancel checks). */
const PROGRESS_EVERY = 1 << 16;
/** Largest block radius, in cells, tried for a whole cell before its queries are searched alone. */
const R_MAX = 3;
/** The limit of a query's first scan: the previous k-th squared distance times this (1.2²). */
const GUESS_MARGIN2 = 1.44;

class Search {
  private readonly s: number;
  private readonly slack: number;
  /** Runs of the current block, and their total point count. */
  private lo = new Int32Array(64);
  private hi = new Int32Array(64);
  private runs = 0;
  private total = 0;
  private dist = new Float64Array(1024);
  private dist2 = new Float64Array(1024);
  private readonly q = new Float64Array(3);
  private readonly q2 = new Float64Array(3);
  private readonly counts = new Int32Array(2);
  /** Distance from a query to the current block's faces: lower faces (u, v, w), then upper. */
  private readonly face = new Float64Array(6);
  /** Squared limit of the next query's first scan. */
  private guess2: number;
  /** The k-th smallest squared distance of the last query settled. */
  private kth2 = 0;

  constructor(
    private readonly grid: ColumnGrid,
    private readonly kk: number,
    private readonly out: Float64Array,
  ) {
    this.s = grid.cellSize;
    this.slack = grid.cellSize * 1e-6;
    this.guess2 = grid.cellSize * grid.cellSize;
  }

  /** Sets the block to the cells within r of (cu, cv, cw) over the keys [ku0, ku1] × [kv0, kv1] × [kw0, kw1]. */
  private block(ku0: number, ku1: number, kv0: number, kv1: number, kw0: number, kw1: number): void {
    const { grid } = this;
    const { columnStart, wKey, maxKey, origin } = grid;
    const need = (ku1 - ku0 + 1) * (kv1 - kv0 + 1);
    const most = Math.min(need, grid.occupied.length);
    if (most > this.lo.length) {
      this.lo = new Int32Array(most);
      this.hi = new Int32Array(most);
    }
    let runs = 0;
    let total = 0;
    const { lo, hi } = this;
    const { occupied, occupiedKeys } = grid;
    // Small rectangles look columns up; one larger than the cloud's columns filters those instead.
    const lookUp = need <= occupied.length;
    const steps = lookUp ? need : occupied.length;
    const width = kv1 - kv0 + 1;
    for (let t = 0; t < steps; t++) {
      let c: number;
      if (lookUp) {
        c = grid.column(ku0 + Math.floor(t / width), kv0 + (t % width));
        if (c < 0) continue;
      } else {
        const u = occupiedKeys[t * 2]!;
        const v = occupiedKeys[t * 2 + 1]!;
        if (u < ku0 || u > ku1 || v < kv0 || v > kv1) continue;
        c = occupied[t]!;
      }
      const start = columnStart[c]!;
      const end = columnStart[c + 1]!;
      if (start === end || wKey[start]! > kw1 || wKey[end - 1]! < kw0) continue;
      const a = kw0 <= wKey[start]! ? start : lowerBound(wKey, start, end, kw0);
      const b = kw1 >= wKey[end - 1]! ? end : lowerBound(wKey, a, end, kw1 + 1);
      if (a === b) continue;
      lo[runs] = a;
      hi[runs++] = b;
      total += b - a;
    }
    this.runs = runs;
    this.total = total;
    if (total > this.dist.length) {
      this.dist = new Float64Array(Math.max(total, this.dist.length * 2));
      this.dist2 = new Float64Array(this.dist.length);
    }
    // Faces, metres, lowered by the slack so that float rounding in the keys never admits a wrong
    // neighbour set; a face with no cell beyond it does not limit.
    const { s, slack, face } = this;
    face[0] = ku0 <= 0 ? -Infinity : origin[0] + ku0 * s + slack;
    face[1] = kv0 <= 0 ? -Infinity : origin[1] + kv0 * s + slack;
    face[2] = kw0 <= 0 ? -Infinity : origin[2] + kw0 * s + slack;
    face[3] = ku1 >= maxKey[0] ? Infinity : origin[0] + (ku1 + 1) * s - slack;
    face[4] = kv1 >= maxKey[1] ? Infinity : origin[1] + (kv1 + 1) * s - slack;
    face[5] = kw1 >= maxKey[2] ? Infinity : origin[2] + (kw1 + 1) * s - slack;
  }

  private cube(cu: number, cv: number, cw: number, r: number): void {
    this.block(cu - r, cu + r, cv - r, cv + r, cw - r, cw + r);
  }

  /** Squared distance from the point at sorted index j to the current block's faces (−1: outside it). */
  private bound2(j: number): number {
    const { face } = this;
    const xyz = this.grid.xyz;
    const qu = xyz[j * 3]!;
    const qv = xyz[j * 3 + 1]!;
    const qw = xyz[j * 3 + 2]!;
    const inside = Math.min(qu - face[0]!, qv - face[1]!, qw - face[2]!, face[3]! - qu, face[4]! - qv, face[5]! - qw);
    return inside > 0 ? inside * inside : -1;
  }

  /**
   * Settles the query at sorted index j from the current block when it can (every point within
   * `bound` of it is in the block); returns whether it did.
   */
  private settle(j: number, bound = this.bound2(j)): boolean {
    const { grid, dist, q } = this;
    if (bound < 0 || this.total <= this.kk) return false;
    const xyz = grid.xyz;
    q[0] = xyz[j * 3]!;
    q[1] = xyz[j * 3 + 1]!;
    q[2] = xyz[j * 3 + 2]!;
    const limit = this.guess2 < bound ? this.guess2 : bound;
    let m = gather(xyz, this.lo, this.hi, this.runs, q[0], q[1], q[2], limit, dist);
    if (m <= this.kk && limit < bound) m = gather(xyz, this.lo, this.hi, this.runs, q[0], q[1], q[2], bound, dist);
    return this.finish(j, dist, m);
  }

  /** settle() for two queries of the current block, sharing the scan; returns bit 0 for j, bit 1 for i. */
  private settlePair(j: number, i: number): number {
    const boundJ = this.bound2(j);
    const boundI = this.bound2(i);
    if (boundJ < 0 || boundI < 0 || this.total <= this.kk) return (this.settle(j, boundJ) ? 1 : 0) | (this.settle(i, boundI) ? 2 : 0);
    const { grid, dist, dist2, q, q2, counts } = this;
    const xyz = grid.xyz;
    for (let a = 0; a < 3; a++) {
      q[a] = xyz[j * 3 + a]!;
      q2[a] = xyz[i * 3 + a]!;
    }
    const limitJ = this.guess2 < boundJ ? this.guess2 : boundJ;
    const limitI = this.guess2 < boundI ? this.guess2 : boundI;
    gatherPair(xyz, this.lo, this.hi, this.runs, q, q2, limitJ, limitI, dist, dist2, counts);
    let mJ = counts[0]!;
    let mI = counts[1]!;
    if (mJ <= this.kk && limitJ < boundJ) mJ = gather(xyz, this.lo, this.hi, this.runs, q[0]!, q[1]!, q[2]!, boundJ, dist);
    if (mI <= this.kk && limitI < boundI) mI = gather(xyz, this.lo, this.hi, this.runs, q2[0]!, q2[1]!, q2[2]!, boundI, dist2);
    return (this.finish(j, dist, mJ) ? 1 : 0) | (this.finish(i, dist2, mI) ? 2 : 0);
  }

  /**
   * The answer of the query at sorted index j from its m kept squared distances (itself among
   * them at 0): the kk + 1 smallest are itself and its kk nearest others, whatever the ties.
   */
  private finish(j: number, d: Float64Array, m: number): boolean {
    const kk = this.kk;
    if (m <= kk) return false;
    selectSmallest(d, m, kk + 1);
    this.kth2 = d[kk]!;
    this.guess2 = this.kth2 * GUESS_MARGIN2;
    let sum = 0;
    for (let t = 0; t <= kk; t++) sum += Math.sqrt(d[t]!);
    this.out[this.grid.index[j]!] = sum / kk;
    return true;
  }

  /**
   * Settles the queries of one cell (sorted indices [j0, j1), key (cu, cv, cw)) with blocks of
   * R ≤ R_MAX; writes the ones left to `left` and returns how many.
   */
  cell(j0: number, j1: number, cu: number, cv: number, cw: number, left: Int32Array): number {
    const rk = Math.sqrt(this.guess2 / GUESS_MARGIN2);
    let r = Math.min(R_MAX, Math.max(1, Math.ceil(rk / this.s - 0.5)));
    let n = 0;
    for (let j = j0; j < j1; j++) left[n++] = j;
    for (; r <= R_MAX && n > 0; r++) {
      this.cube(cu, cv, cw, r);
      let still = 0;
      let t = 0;
      for (; t + 1 < n; t += 2) {
        const done = this.settlePair(left[t]!, left[t + 1]!);
        const a = left[t]!;
        const b = left[t + 1]!;
        if ((done & 1) === 0) left[still++] = a;
        if ((done & 2) === 0) left[still++] = b;
      }
      if (t < n && !this.settle(left[t]!)) left[still++] = left[t]!;
      n = still;
    }
    return n;
  }

  /**
   * Settles one query alone: blocks of doubling radius until one holds k other points and its
   * faces settle it; else the k-th smallest distance in that block bounds the answer, and the box
   * of that radius around the query is scanned.
   */
  alone(j: number): void {
    const { grid, s, kk } = this;
    const { xyz, origin, maxKey } = grid;
    const cu = Math.floor((xyz[j * 3]! - origin[0]) / s);
    const cv = Math.floor((xyz[j * 3 + 1]! - origin[1]) / s);
    const cw = Math.floor((xyz[j * 3 + 2]! - origin[2]) / s);
    const everything = Math.max(cu, maxKey[0] - cu, cv, maxKey[1] - cv, cw, maxKey[2] - cw);
    let r = 2 * R_MAX;
    for (;;) {
      this.cube(cu, cv, cw, Math.min(r, everything));
      if (this.total - 1 >= kk || r >= everything) break;
      r *= 2;
    }
    if (this.settle(j)) return;
    // An upper bound on the k-th distance: the k-th smallest over the whole block.
    if (!this.settle(j, Infinity)) throw new Error(`k-NN: point ${grid.index[j]} has fewer than ${kk} others`);
    const ub2 = this.kth2;
    const ub = Math.sqrt(ub2);
    const key = (x: number, o: number) => Math.floor((x - o) / s);
    const [qu, qv, qw] = [xyz[j * 3]!, xyz[j * 3 + 1]!, xyz[j * 3 + 2]!];
    // One cell of margin each side covers rounding in the keys.
    this.block(
      key(qu - ub, origin[0]) - 1,
      key(qu + ub, origin[0]) + 1,
      key(qv - ub, origin[1]) - 1,
      key(qv + ub, origin[1]) + 1,
      key(qw - ub, origin[2]) - 1,
      key(qw + ub, origin[2]) + 1,
    );
    if (!this.settle(j, ub2)) throw new Error(`k-NN: the bounded search of point ${grid.index[j]} found fewer than ${kk} neighbours`);
  }
}

/**
 * d̄ᵢ for every point: the mean Euclidean distance to its min(k, count − 1) nearest other points
 * (exact), on cells of edge `cellSize` metres (> 0, finite; near the typical k-th neighbour distance
 * is fastest).
 */
export function blockedKnnMeanDistances(positions: Float32Array, count: number, k: number, cellSize: number, options: KnnOptions = {}): Float64Array {
  const { onProgress, signal } = options;
  throwIfCancelled(signal);
  const out = new Float64Array(count);
  const kk = Math.min(k, count - 1);
  if (kk < 1) return out;
  const grid = buildColumnGrid(positions, count, cellSize);
  const { columnStart, wKey } = grid;
  const search = new Search(grid, kk, out);
  const origin = grid.origin;
  let left = new Int32Array(64);
  let alone = new Int32Array(1024);
  let lonely = 0;
  let done = 0;
  let nextReport = PROGRESS_EVERY;
  const columns = columnStart.length - 1;
  for (let c = 0; c < columns; c++) {
    const end = columnStart[c + 1]!;
    let j0 = columnStart[c]!;
    if (j0 === end) continue;
    // The column's (u, v) keys, from its first point (the same arithmetic as the grid's keys).
    const cu = Math.floor((grid.xyz[j0 * 3]! - origin[0]) / cellSize);
    const cv = Math.floor((grid.xyz[j0 * 3 + 1]! - origin[1]) / cellSize);
    while (j0 < end) {
      const cw = wKey[j0]!;
      let j1 = j0 + 1;
      while (j1 < end && wKey[j1] === cw) j1++;
      if (j1 - j0 > left.length) left = new Int32Array(2 * (j1 - j0));
      const n = search.cell(j0, j1, cu, cv, cw, left);
      if (n > 0) {
        if (lonely + n > alone.length) alone = growInt32(alone, lonely + n);
        for (let t = 0; t < n; t++) alone[lonely++] = left[t]!;
      }
      done += j1 - j0 - n;
      j0 = j1;
    }
    if (done >= nextReport) {
      onProgress?.(done, count);
      throwIfCancelled(signal);
      nextReport = done + PROGRESS_EVERY;
    }
  }
  for (let t = 0; t < lonely; t++) {
    search.alone(alone[t]!);
    if (++done >= nextReport) {
      onProgress?.(done, count);
      throwIfCancelled(signal);
      nextReport = done + PROGRESS_EVERY;
    }
  }
  onProgress?.(count, count);
  return out;
}

function throwIfCancelled(signal: CancelSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('k-NN search cancelled');
}

function growInt32(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(need, a.length * 2));
  grown.set(a);
  return grown;
}
