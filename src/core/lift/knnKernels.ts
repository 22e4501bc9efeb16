/**
 * The inner loops of the blocked k-nearest-neighbour search (knnSearch.ts): squared distances from
 * one or two queries to runs of sorted points, and selection of the k smallest.
 *
 * Ownership: they write only the scratch arrays passed in.
 */

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
 * Writes to `out` the squared distances from (qu, qv, qw) to the points of runs [lo[r], hi[r]),
 * keeping (advancing past) those at most `limit`: branch-free, every distance is written and the
 * count advances only for those kept. The query itself is among the points (at distance 0).
 */
export function gather(
  xyz: Float32Array,
  lo: Int32Array,
  hi: Int32Array,
  runs: number,
  qu: number,
  qv: number,
  qw: number,
  limit: number,
  out: Float64Array,
): number {
  let m = 0;
  for (let r = 0; r < runs; r++) {
    const end = hi[r]!;
    for (let t = lo[r]!; t < end; t++) {
      const du = xyz[t * 3]! - qu;
      const dv = xyz[t * 3 + 1]! - qv;
      const dw = xyz[t * 3 + 2]! - qw;
      const d2 = du * du + dv * dv + dw * dw;
      out[m] = d2;
      m += d2 <= limit ? 1 : 0;
    }
  }
  return m;
}

/**
 * gather() for two queries at once (each point loaded once): distances from A to outA, from B to
 * outB; the counts kept go to counts[0] and counts[1].
 */
export function gatherPair(
  xyz: Float32Array,
  lo: Int32Array,
  hi: Int32Array,
  runs: number,
  a: Float64Array,
  b: Float64Array,
  limitA: number,
  limitB: number,
  outA: Float64Array,
  outB: Float64Array,
  counts: Int32Array,
): void {
  const [au, av, aw] = [a[0]!, a[1]!, a[2]!];
  const [bu, bv, bw] = [b[0]!, b[1]!, b[2]!];
  let ma = 0;
  let mb = 0;
  for (let r = 0; r < runs; r++) {
    const end = hi[r]!;
    for (let t = lo[r]!; t < end; t++) {
      const u = xyz[t * 3]!;
      const v = xyz[t * 3 + 1]!;
      const w = xyz[t * 3 + 2]!;
      const dau = u - au;
      const dav = v - av;
      const daw = w - aw;
      const dbu = u - bu;
      const dbv = v - bv;
      const dbw = w - bw;
      const da = dau * dau + dav * dav + daw * daw;
      const db = dbu * dbu + dbv * dbv + dbw * dbw;
      outA[ma] = da;
      outB[mb] = db;
      ma += da <= limitA ? 1 : 0;
      mb += db <= limitB ? 1 : 0;
    }
  }
  counts[0] = ma;
  counts[1] = mb;
}
