/**
 * Level-of-detail draw order for big clouds (the point budget): a permutation `order` of the
 * point indices 0 … n−1, cut into buckets (`bucketEnds`), such that the points of any run of
 * whole leading buckets are a uniform random subsample of the cloud — every point is in it with
 * the same probability, independently of the others — so drawing `order[0 … bucketEnds[k])`
 * shows the whole scene at a lower density, never a part of it at full density.
 *
 * Invariant (what the renderer relies on): the page's per-point buffers are never reordered. Only
 * the GPU copies of positions and display colours are written in draw order (gatherRows), so a
 * budget-sized prefix is one contiguous draw; picking, colour computation and every result keep the
 * cloud's own point order.
 *
 * Built in O(n) without a temporary per point: each point draws its bucket uniformly at random from
 * a seeded stream; a first pass counts the buckets, a second pass replays the same stream and places
 * each point. Scanning points in order keeps the indices inside each bucket ascending, so the GPU
 * reads each bucket's vertices front to back. Bucket sizes are random (binomial around
 * `pointsPerBucket`).
 */
import { mulberry32 } from '../synth/prng.ts';

export interface DrawOrder {
  /** Point indices, bucket by bucket. */
  readonly order: Uint32Array;
  /** Exclusive end of each bucket in `order` (ascending; the last is n). */
  readonly bucketEnds: Uint32Array;
}

export const DEFAULT_POINTS_PER_BUCKET = 16_384;
/** Clouds up to this size are always drawn whole (no order is built): the smallest point budget. */
export const MIN_POINT_BUDGET = 250_000;

/** The draw order of a cloud the budget can thin, or null for one always drawn whole. */
export function drawOrderFor(count: number): DrawOrder | null {
  return count > MIN_POINT_BUDGET ? drawOrder(count) : null;
}

/** The draw order of an `count`-point cloud (deterministic for a given seed). */
export function drawOrder(count: number, pointsPerBucket = DEFAULT_POINTS_PER_BUCKET, seed = 0x10d): DrawOrder {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`draw order: point count must be a non-negative integer, found ${count}`);
  if (!(pointsPerBucket >= 1)) throw new RangeError(`draw order: points per bucket must be ≥ 1, found ${pointsPerBucket}`);
  const buckets = Math.max(1, Math.ceil(count / pointsPerBucket));
  const counts = new Uint32Array(buckets);
  let random = mulberry32(seed);
  for (let i = 0; i < count; i++) counts[Math.floor(random() * buckets)]!++;
  const bucketEnds = new Uint32Array(buckets);
  const next = new Uint32Array(buckets);
  let end = 0;
  for (let b = 0; b < buckets; b++) {
    next[b] = end;
    end += counts[b]!;
    bucketEnds[b] = end;
  }
  const order = new Uint32Array(count);
  random = mulberry32(seed);
  for (let i = 0; i < count; i++) order[next[Math.floor(random() * buckets)]!++] = i;
  return { order, bucketEnds };
}

/**
 * Copies `width`-wide rows of `source` into `out` in draw order (out row k = source row order[k]):
 * the GPU copy of a per-point buffer, so a budget-sized prefix is one contiguous range.
 */
export function gatherRows<T extends Float32Array | Uint8Array>(source: T, order: Uint32Array, width: number, out: T): T {
  if (out.length < order.length * width)
    throw new RangeError(`draw order: ${order.length} rows of ${width} need ${order.length * width} values, found room for ${out.length}`);
  for (let k = 0; k < order.length; k++) {
    const from = order[k]! * width;
    const to = k * width;
    for (let c = 0; c < width; c++) out[to + c] = source[from + c]!;
  }
  return out;
}

/**
 * How many entries of `order` to draw for at most `budget` points: the end of the last whole
 * bucket within the budget (at least the first bucket, so something is always drawn).
 */
export function budgetPrefix(bucketEnds: Uint32Array, budget: number): number {
  let lo = 0;
  let hi = bucketEnds.length - 1;
  if (hi < 0) return 0;
  // The last bucket end ≤ budget, by bisection.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bucketEnds[mid]! <= budget) lo = mid;
    else hi = mid - 1;
  }
  return bucketEnds[lo]!;
}
