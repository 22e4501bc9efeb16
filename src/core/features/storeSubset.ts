/**
 * Compact feature stores restricted to a subset of their points (point pruning keeps the rows of
 * the points it keeps, in the order given), and the cosine of two points' stored features — what
 * pruning judges by — without expanding a store.
 */
import { halfTable } from './float16.ts';
import { NO_SEGMENT, segmentFeatures, segmentOf, type CompactFeatures } from './featureStores.ts';

/** The store's rows `kept` (point indices), in that order. */
export function subsetStore(store: CompactFeatures, kept: Uint32Array): CompactFeatures {
  const dim = store.dim;
  for (const i of kept) if (i >= store.pointCount) throw new Error(`feature subset: point ${i} is outside the ${store.pointCount} points`);
  if (store.kind === 'fp16') {
    const halves = new Uint16Array(kept.length * dim);
    kept.forEach((i, j) => halves.set(store.halves.subarray(i * dim, (i + 1) * dim), j * dim));
    return { kind: 'fp16', pointCount: kept.length, dim, halves };
  }
  const index = new Int32Array(kept.length);
  kept.forEach((i, j) => (index[j] = segmentOf(store, i)));
  return segmentFeatures(store.segmentFeatures, dim, index);
}

/** cos(f_i, f_j) of the stored features (0 when either is zero or has no segment). */
export function storeCosine(store: CompactFeatures): (i: number, j: number) => number {
  const dim = store.dim;
  if (store.kind === 'fp16') {
    const table = halfTable();
    const { halves } = store;
    // The store holds no norms (halves only): both rows' squares are summed in the dot's sweep.
    return (i, j) => {
      const a = i * dim;
      const b = j * dim;
      let dot = 0;
      let qa = 0;
      let qb = 0;
      for (let d = 0; d < dim; d++) {
        const x = table[halves[a + d]!]!;
        const y = table[halves[b + d]!]!;
        dot += x * y;
        qa += x * x;
        qb += y * y;
      }
      const s = dot / Math.sqrt(qa * qb);
      return Number.isFinite(s) ? s : 0;
    };
  }
  const norms = new Float64Array(store.segmentCount);
  for (let s = 0; s < store.segmentCount; s++) {
    let q = 0;
    for (let d = 0; d < dim; d++) q += store.segmentFeatures[s * dim + d]! ** 2;
    norms[s] = q > 0 ? 1 / Math.sqrt(q) : 0;
  }
  return (i, j) => {
    const a = segmentOf(store, i);
    const b = segmentOf(store, j);
    if (a === NO_SEGMENT || b === NO_SEGMENT) return 0;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += store.segmentFeatures[a * dim + d]! * store.segmentFeatures[b * dim + d]!;
    return dot * norms[a]! * norms[b]!;
  };
}
