/**
 * Cross-scene matching over any feature store: per-point rows (float32, fp16) go through the
 * blocked exact kernel (blockedExact.ts) or, for large targets by default, the approximate inverted
 * file (approximateIndex.ts, exact similarities, measured recall); per-segment features (the teacher's form) are matched per segment,
 * exactly: every point of a segment has the segment's feature, so a query's best points are the
 * points of its best segments (ties within a segment by point index).
 */
import { NO_SEGMENT, segmentOf, type HalfFeatures, type SegmentFeatures } from '../features/featureStores.ts';
import { buildTextMatrix, pointDotsInto } from '../query/textMatrixKernels.ts';
import { buildApproximateIndex, searchApproximate } from './approximateIndex.ts';
import { exactTopK } from './blockedExact.ts';
import type { FeatureMatch, Float32Rows } from './matchIndex.ts';

export type MatchStore = Float32Rows | HalfFeatures | SegmentFeatures;

/** Targets of at least this many points are matched approximately unless exact is asked for. */
export const APPROXIMATE_FROM_POINTS = 200_000;

export interface MatchStoreOptions {
  /** true: exact; false: approximate; absent: approximate from APPROXIMATE_FROM_POINTS target points. */
  readonly exact?: boolean;
  /** Approximate search: lists scored exactly per query (approximateIndex.ts). */
  readonly probes?: number;
}

/** Whether a match over `pointCount` target points is exact under `options`. */
export function matchIsExact(pointCount: number, options: MatchStoreOptions): boolean {
  return options.exact ?? pointCount < APPROXIMATE_FROM_POINTS;
}

/** Top-k cosine matches of each query row ([Q, dim]) among the store's points. */
export function matchFeatureStore(
  queries: Float32Array,
  store: MatchStore,
  k: number,
  positions?: Float32Array,
  options: MatchStoreOptions = {},
): FeatureMatch[][] {
  if (store.kind === 'segments') return matchSegments(queries, store, k);
  if (matchIsExact(store.pointCount, options)) return exactTopK(queries, store, k);
  return searchApproximate(buildApproximateIndex(store, positions), queries, k, options.probes === undefined ? {} : { probes: options.probes });
}

export function matchSegments(queries: Float32Array, store: SegmentFeatures, k: number): FeatureMatch[][] {
  const { dim, segmentCount } = store;
  if (queries.length % dim !== 0) throw new Error(`match: query features are not rows of the target's ${dim} dimensions (${queries.length} values)`);
  // Points of each segment in ascending order (CSR).
  const start = new Uint32Array(segmentCount + 1);
  for (let i = 0; i < store.pointCount; i++) {
    const s = segmentOf(store, i);
    if (s !== NO_SEGMENT) start[s + 1]!++;
  }
  for (let s = 0; s < segmentCount; s++) start[s + 1]! += start[s]!;
  const members = new Uint32Array(start[segmentCount]!);
  const next = start.slice(0, segmentCount);
  for (let i = 0; i < store.pointCount; i++) {
    const s = segmentOf(store, i);
    if (s !== NO_SEGMENT) members[next[s]!++] = i;
  }
  const norms = Float64Array.from({ length: segmentCount }, (_, s) => {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += store.segmentFeatures[s * dim + d]! ** 2;
    return sq > 0 ? 1 / Math.sqrt(sq) : 0;
  });
  const qCount = queries.length / dim;
  const results: FeatureMatch[][] = [];
  for (let q = 0; q < qCount; q++) {
    const matrix = buildTextMatrix([queries.subarray(q * dim, (q + 1) * dim)], dim);
    const out = new Float64Array(matrix.paddedCount);
    const sims = Float64Array.from({ length: segmentCount }, (_, s) => {
      pointDotsInto(store.segmentFeatures, s, matrix, out);
      return out[0]! * norms[s]!;
    });
    const order = Array.from({ length: segmentCount }, (_, s) => s).sort((a, b) => sims[b]! - sims[a]! || a - b);
    const matches: FeatureMatch[] = [];
    for (const s of order) {
      for (let j = start[s]!; j < start[s + 1]! && matches.length < k; j++) matches.push({ index: members[j]!, similarity: sims[s]! });
      if (matches.length >= k) break;
    }
    results.push(matches);
  }
  return results;
}
