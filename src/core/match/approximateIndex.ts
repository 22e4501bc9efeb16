/**
 * Approximate top-k cosine matching for large targets (1 k queries × 1 M points × 512-d in
 * seconds): an inverted file over small clusters, ranked in a PCA-reduced space, scored exactly.
 *
 * Build (one pass over the rows): the target is cut into lists of ~FINE_POINTS points — spatial
 * voxels when positions are given, else runs of consecutive points (matchIndex.fineClusters) —
 * and each list keeps the unit direction ĉ of the mean of its members' unit features. The top R
 * principal axes P of the centroids (pca.ts, on ≤ 4096 of them) and their mean m give every
 * centroid a reduced form P(ĉ − m) plus the exact ĉ·m.
 *
 * Search, per unit query q:
 * 1. Every centroid's cosine estimated in R dims: q·ĉ ≈ P(q − m)·P(ĉ − m) + q·m + ĉ·m − m·m (the
 *    cross term outside the top-R subspace dropped); the best `shortlist` kept.
 * 2. Their exact cosines q·ĉ (D dims); the best `probes` lists kept.
 * 3. Every member of those lists scored exactly (fp16 rows decoded inside the dot): the top k.
 * So every returned similarity is exact; what may be missed is a true match in a list not probed.
 * That works when features vary smoothly in space (the property SparseDFF's pruning enforces and
 * the real feature fields have): a point's best matches sit in lists whose mean is near it. Recall
 * against the exact kernel is measured in src/bench/match.bench.ts and bounded in the tests.
 * With probes ≥ the number of lists the search is exhaustive, hence exact.
 */
import { halfTable } from '../features/float16.ts';
import { pcaProject, stratifiedSample } from '../query/pca.ts';
import { checkK, unitQueries } from './blockedExact.ts';
import { clusterCentroids, fineClusters, TopK, type FeatureMatch, type RowStore } from './matchIndex.ts';

/** Principal axes used to rank the lists. */
export const REDUCED_DIM = 32;
/** Lists scored exactly per query, by default. */
export const DEFAULT_PROBES = 32;

export interface ApproximateIndex {
  readonly store: RowStore;
  /** Lists: members[listStart[c] … listStart[c + 1]). */
  readonly listStart: Uint32Array;
  readonly members: Uint32Array;
  /** Unit centroid directions [lists, D]. */
  readonly centroids: Float32Array;
  /** P(ĉ − m) per list [lists, R]. */
  readonly reduced: Float32Array;
  /** ĉ·m − m·m per list. */
  readonly centroidOffset: Float32Array;
  /** Principal axes [R, D] and their centre m. */
  readonly axes: Float32Array;
  readonly mean: Float32Array;
  readonly reducedDim: number;
  /** 1/‖f‖ per point (0 for a zero row). */
  readonly inverseNorms: Float32Array;
}

export interface ApproximateSearch {
  /** Lists scored exactly per query (default DEFAULT_PROBES). */
  readonly probes?: number;
  /** Lists whose cosine is computed exactly before choosing the probes (default 4 × probes). */
  readonly shortlist?: number;
}

/** Builds the inverted file of a target store (`positions`: xyz metres per point, optional). */
export function buildApproximateIndex(store: RowStore, positions?: Float32Array): ApproximateIndex {
  const { pointCount: count, dim } = store;
  if (positions && positions.length < count * 3) throw new Error(`match: ${positions.length / 3} positions for ${count} points`);
  const lists = fineClusters(count, positions);
  const listCount = lists.start.length - 1;
  const { centroids, inverseNorms } = clusterCentroids(store, lists.start, lists.members);
  const reducedDim = Math.max(1, Math.min(REDUCED_DIM, dim, listCount));
  const sample = stratifiedSample(listCount, 4096);
  const sampled = new Float32Array(sample.length * dim);
  sample.forEach((c, j) => sampled.set(centroids.subarray(c * dim, (c + 1) * dim), j * dim));
  const pca = pcaProject(sampled, dim, { components: reducedDim, maxIterations: 30, tolerance: 1e-4 });
  const axes = Float32Array.from(pca.axes);
  const mean = Float32Array.from(pca.mean);
  let meanSq = 0;
  for (let d = 0; d < dim; d++) meanSq += mean[d]! * mean[d]!;
  const reduced = new Float32Array(listCount * reducedDim);
  const centroidOffset = new Float32Array(listCount);
  const centred = new Float32Array(dim);
  for (let c = 0; c < listCount; c++) {
    let cm = 0;
    for (let d = 0; d < dim; d++) {
      const v = centroids[c * dim + d]!;
      cm += v * mean[d]!;
      centred[d] = v - mean[d]!;
    }
    centroidOffset[c] = cm - meanSq;
    project(axes, centred, reducedDim, reduced, c * reducedDim);
  }
  return { store, listStart: lists.start, members: lists.members, centroids, reduced, centroidOffset, axes, mean, reducedDim, inverseNorms };
}

function project(axes: Float32Array, v: Float32Array, r: number, out: Float32Array, offset: number): void {
  const dim = v.length;
  for (let a = 0; a < r; a++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += axes[a * dim + d]! * v[d]!;
    out[offset + a] = s;
  }
}

/** The lists each valid query probes ([Q, probes], −1 padded), best first. */
function probedLists(index: ApproximateIndex, unit: Float32Array, valid: Uint8Array, probes: number, shortlist: number): Int32Array {
  const { reducedDim: r, mean } = index;
  const dim = index.store.dim;
  const listCount = index.listStart.length - 1;
  const qCount = valid.length;
  const out = new Int32Array(qCount * probes).fill(-1);
  const centred = new Float32Array(dim);
  const qr = new Float32Array(r);
  for (let q = 0; q < qCount; q++) {
    if (!valid[q]) continue;
    if (probes >= listCount) {
      for (let c = 0; c < listCount; c++) out[q * probes + c] = c;
      continue;
    }
    const qv = unit.subarray(q * dim, (q + 1) * dim);
    let qm = 0;
    for (let d = 0; d < dim; d++) {
      qm += qv[d]! * mean[d]!;
      centred[d] = qv[d]! - mean[d]!;
    }
    project(index.axes, centred, r, qr, 0);
    const rough = new TopK(shortlist);
    for (let c = 0; c < listCount; c++) {
      let s = qm + index.centroidOffset[c]!;
      const base = c * r;
      for (let a = 0; a < r; a++) s += qr[a]! * index.reduced[base + a]!;
      if (s > rough.floor) rough.push(c, s);
    }
    const fine = new TopK(probes);
    for (let j = 0; j < rough.size; j++) {
      const c = rough.index[j]!;
      let s = 0;
      for (let d = 0; d < dim; d++) s += qv[d]! * index.centroids[c * dim + d]!;
      fine.push(c, s);
    }
    out.set(fine.index.subarray(0, fine.size), q * probes);
  }
  return out;
}

/**
 * Top-k cosine matches of each query row ([Q, D] float32), best first; see the module doc. The
 * probed lists are visited list by list: each list's rows are decoded once into a float32 tile and
 * dotted against every query that probes it.
 */
export function searchApproximate(index: ApproximateIndex, queries: Float32Array, k: number, options: ApproximateSearch = {}): FeatureMatch[][] {
  checkK(k);
  const { store } = index;
  const dim = store.dim;
  const listCount = index.listStart.length - 1;
  const probes = Math.min(listCount, options.probes ?? DEFAULT_PROBES);
  const shortlist = Math.min(listCount, Math.max(probes, options.shortlist ?? 4 * probes));
  if (!Number.isInteger(probes) || probes < 1) throw new Error(`match: probes must be a whole number ≥ 1, found ${options.probes}`);
  const { unit, valid } = unitQueries(queries, dim);
  const qCount = valid.length;
  const probed = probedLists(index, unit, valid, probes, shortlist);
  // Invert: the queries probing each list (CSR).
  const start = new Uint32Array(listCount + 1);
  for (const c of probed) if (c >= 0) start[c + 1]!++;
  for (let c = 0; c < listCount; c++) start[c + 1]! += start[c]!;
  const askers = new Uint32Array(start[listCount]!);
  const next = start.slice(0, listCount);
  probed.forEach((c, j) => {
    if (c >= 0) askers[next[c]!++] = Math.floor(j / probes);
  });
  let widest = 0;
  for (let c = 0; c < listCount; c++) widest = Math.max(widest, index.listStart[c + 1]! - index.listStart[c]!);
  const tile = new Float32Array(widest * dim);
  const table = halfTable();
  const tops = Array.from({ length: qCount }, () => new TopK(k));
  for (let c = 0; c < listCount; c++) {
    if (start[c] === start[c + 1]) continue;
    const first = index.listStart[c]!;
    const n = index.listStart[c + 1]! - first;
    for (let m = 0; m < n; m++) {
      const base = index.members[first + m]! * dim;
      if (store.kind === 'fp16') for (let d = 0; d < dim; d++) tile[m * dim + d] = table[store.halves[base + d]!]!;
      else tile.set(store.values.subarray(base, base + dim), m * dim);
    }
    for (let a = start[c]!; a < start[c + 1]!; a++) {
      const q = askers[a]!;
      const qb = q * dim;
      const top = tops[q]!;
      for (let m = 0; m < n; m++) {
        const rb = m * dim;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let d = 0;
        for (; d + 3 < dim; d += 4) {
          a0 += tile[rb + d]! * unit[qb + d]!;
          a1 += tile[rb + d + 1]! * unit[qb + d + 1]!;
          a2 += tile[rb + d + 2]! * unit[qb + d + 2]!;
          a3 += tile[rb + d + 3]! * unit[qb + d + 3]!;
        }
        for (; d < dim; d++) a0 += tile[rb + d]! * unit[qb + d]!;
        const i = index.members[first + m]!;
        top.push(i, (a0 + a1 + a2 + a3) * index.inverseNorms[i]!);
      }
    }
  }
  return tops.map((top, q) => (valid[q] ? top.toMatches() : []));
}
