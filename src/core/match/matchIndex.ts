/**
 * Exact top-k cosine matching over a large target cloud by branch and bound on a two-level cluster
 * tree (SparseDFF-style correspondence, where 1 k queries × 1 M points × 512-d is 5·10¹¹
 * multiply-adds by brute force).
 *
 * Clusters: spatial voxels of ~64 points (cells of ~`FINE_POINTS`; consecutive runs of points when no
 * positions are given), grouped by 4× coarser voxels. Each cluster keeps the direction ĉ of the mean
 * of its members' unit features and its radius θ (the largest angle from ĉ to a member; for a coarse
 * cluster bounded from its children: angle(ĉ, ĉ_child) + θ_child). For a unit query q and any member f,
 * angle(q, f) ≥ angle(q, ĉ) − θ, so cos(q, f) ≤ cos(max(0, angle(q, ĉ) − θ)): a cluster whose bound
 * is below the query's current k-th best cannot hold a better match and is skipped. Results equal
 * brute force (up to float rounding of the bounds, covered by BOUND_SLACK); the speed comes from
 * feature continuity (features that vary smoothly in space give tight clusters), and degrades to
 * a full scan for features without it (random bring-your-own features), never to wrong answers.
 *
 * Stores: float32 rows, fp16 halves (HalfFeatures: decoded through the half table inside the dot
 * product, never expanded) or per-segment rows (SegmentFeatures: matched per segment exactly, see
 * matchSegments). Coarse similarities of all queries to all coarse clusters use the text-matrix
 * kernels (a register-blocked [Q, D] × [D, C] product).
 */
import { halfTable } from '../features/float16.ts';
import type { HalfFeatures } from '../features/featureStores.ts';
import { chooseKnnCellSize } from '../lift/outlierFilter.ts';
import { assignVoxels, coarsenCells, groupByCell } from '../lift/voxelGrid.ts';
import { buildTextMatrix, pointDotsInto } from '../query/textMatrixKernels.ts';

/** Float32 per-point rows. */
export interface Float32Rows {
  readonly kind: 'f32';
  readonly pointCount: number;
  readonly dim: number;
  readonly values: Float32Array;
}

export type RowStore = Float32Rows | HalfFeatures;

export interface FeatureMatch {
  /** Index into the target's points. */
  readonly index: number;
  /** Cosine similarity in [-1, 1]. */
  readonly similarity: number;
}

/** Points per fine cluster aimed at. */
export const FINE_POINTS = 64;
/** Angle slack (radians) added to every cluster radius: float rounding of centroids and norms. */
const BOUND_SLACK = 1e-4;
/** Queries per block of the coarse product. */
const QUERY_BLOCK = 64;

export interface MatchIndex {
  readonly store: RowStore;
  /** Fine clusters: members[start[c] … start[c + 1]). */
  readonly fineStart: Uint32Array;
  readonly fineMembers: Uint32Array;
  /** Unit centroid directions [fineCount, dim] and radii (radians). */
  readonly fineCentroids: Float32Array;
  readonly fineRadius: Float32Array;
  /** Angle (radians, slack included) from each member to its cluster's centroid, aligned with fineMembers; descending within a cluster. */
  readonly memberAngle: Float32Array;
  /** Coarse clusters: fine children[childStart[c] … childStart[c + 1]). */
  readonly coarseStart: Uint32Array;
  readonly coarseChildren: Uint32Array;
  readonly coarseCentroids: Float32Array;
  readonly coarseRadius: Float32Array;
  /** 1/‖f‖ per point (0 for a zero row). */
  readonly inverseNorms: Float32Array;
}

export function float32Rows(values: Float32Array, dim: number): Float32Rows {
  if (!Number.isInteger(dim) || dim <= 0 || values.length % dim !== 0) throw new Error(`match: ${values.length} values are not rows of ${dim}`);
  return { kind: 'f32', pointCount: values.length / dim, dim, values };
}

/** Dot product of row `i` of the store with `q` (decoding halves inside the sweep). */
function rowDot(store: RowStore, i: number, q: Float32Array, table: Float32Array): number {
  const dim = store.dim;
  const base = i * dim;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let d = 0;
  if (store.kind === 'fp16') {
    const h = store.halves;
    for (; d + 3 < dim; d += 4) {
      a0 += table[h[base + d]!]! * q[d]!;
      a1 += table[h[base + d + 1]!]! * q[d + 1]!;
      a2 += table[h[base + d + 2]!]! * q[d + 2]!;
      a3 += table[h[base + d + 3]!]! * q[d + 3]!;
    }
    for (; d < dim; d++) a0 += table[h[base + d]!]! * q[d]!;
  } else {
    const v = store.values;
    for (; d + 3 < dim; d += 4) {
      a0 += v[base + d]! * q[d]!;
      a1 += v[base + d + 1]! * q[d + 1]!;
      a2 += v[base + d + 2]! * q[d + 2]!;
      a3 += v[base + d + 3]! * q[d + 3]!;
    }
    for (; d < dim; d++) a0 += v[base + d]! * q[d]!;
  }
  return a0 + a1 + a2 + a3;
}

function readRow(store: RowStore, i: number, out: Float32Array, table: Float32Array): void {
  const dim = store.dim;
  if (store.kind === 'fp16') for (let d = 0; d < dim; d++) out[d] = table[store.halves[i * dim + d]!]!;
  else out.set(store.values.subarray(i * dim, (i + 1) * dim));
}

function normalise(row: Float32Array | Float64Array, out: Float32Array, offset: number): number {
  let s = 0;
  for (let d = 0; d < row.length; d++) s += row[d]! * row[d]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let d = 0; d < row.length; d++) out[offset + d] = row[d]! * inv;
  return inv;
}

const angleOf = (cos: number) => Math.acos(Math.max(-1, Math.min(1, cos)));

/** Fine clusters: spatial voxels of about FINE_POINTS points, or runs of consecutive points. */
export function fineClusters(
  count: number,
  positions: Float32Array | undefined,
): { start: Uint32Array; members: Uint32Array; coords: Int32Array | null; cellSize: number } {
  if (positions && count > FINE_POINTS) {
    const cellSize = chooseKnnCellSize(positions, count, FINE_POINTS);
    const cells = assignVoxels(positions, count, cellSize);
    const { cellStart, cellPoints } = groupByCell(cells.cellOfPoint, cells.cellCount);
    return { start: cellStart, members: cellPoints, coords: cells.cellCoords, cellSize };
  }
  const n = Math.ceil(count / FINE_POINTS);
  return {
    start: Uint32Array.from({ length: n + 1 }, (_, c) => Math.min(count, c * FINE_POINTS)),
    members: Uint32Array.from({ length: count }, (_, i) => i),
    coords: null,
    cellSize: 0,
  };
}

/**
 * Per cluster (members[start[c] … start[c + 1])), the unit direction of the mean of its members'
 * unit features; and 1/‖f‖ per point (0 for a zero or non-finite row).
 */
export function clusterCentroids(store: RowStore, start: Uint32Array, members: Uint32Array): { centroids: Float32Array; inverseNorms: Float32Array } {
  const { pointCount: count, dim } = store;
  const table = halfTable();
  const clusters = start.length - 1;
  const inverseNorms = new Float32Array(count);
  const centroids = new Float32Array(clusters * dim);
  const row = new Float32Array(dim);
  const sum = new Float64Array(dim);
  for (let c = 0; c < clusters; c++) {
    sum.fill(0);
    for (let j = start[c]!; j < start[c + 1]!; j++) {
      const i = members[j]!;
      readRow(store, i, row, table);
      let s = 0;
      for (let d = 0; d < dim; d++) s += row[d]! * row[d]!;
      const inv = s > 0 && Number.isFinite(s) ? 1 / Math.sqrt(s) : 0;
      inverseNorms[i] = inv;
      for (let d = 0; d < dim; d++) sum[d] = sum[d]! + row[d]! * inv;
    }
    normalise(sum, centroids, c * dim);
  }
  return { centroids, inverseNorms };
}

/** Builds the cluster tree of a target store (`positions`: xyz metres per point, optional). */
export function buildMatchIndex(store: RowStore, positions?: Float32Array): MatchIndex {
  const { pointCount: count, dim } = store;
  if (positions && positions.length < count * 3) throw new Error(`match: ${positions.length / 3} positions for ${count} points`);
  const table = halfTable();
  const fine = fineClusters(count, positions);
  const fineCount = fine.start.length - 1;
  const { centroids: fineCentroids, inverseNorms } = clusterCentroids(store, fine.start, fine.members);
  const fineRadius = new Float32Array(fineCount);
  const memberAngle = new Float32Array(count);
  for (let c = 0; c < fineCount; c++) {
    const centroid = fineCentroids.subarray(c * dim, (c + 1) * dim);
    const first = fine.start[c]!;
    const end = fine.start[c + 1]!;
    const members = Array.from(fine.members.subarray(first, end), (i) => {
      // A zero row has cosine 0 with everything: its bound is the query's angle to any direction, so count it as 90°.
      const cos = inverseNorms[i]! > 0 ? rowDot(store, i, centroid, table) * inverseNorms[i]! : 0;
      return { i, angle: angleOf(cos) + BOUND_SLACK };
    }).sort((a, b) => b.angle - a.angle || a.i - b.i);
    members.forEach((m, j) => {
      fine.members[first + j] = m.i;
      memberAngle[first + j] = m.angle;
    });
    fineRadius[c] = members.length > 0 ? members[0]!.angle : 0;
  }
  // Coarse level: 4× coarser voxels over the fine ones, or runs of 16 fine clusters.
  let coarseStart: Uint32Array;
  let coarseChildren: Uint32Array;
  if (fine.coords) {
    const level = coarsenCells(fine.coords, fineCount, fine.cellSize, 2);
    coarseStart = level.childStart;
    coarseChildren = level.children;
  } else {
    const n = Math.ceil(fineCount / 16);
    coarseStart = Uint32Array.from({ length: n + 1 }, (_, c) => Math.min(fineCount, c * 16));
    coarseChildren = Uint32Array.from({ length: fineCount }, (_, i) => i);
  }
  const coarseCount = coarseStart.length - 1;
  const coarseCentroids = new Float32Array(coarseCount * dim);
  const coarseRadius = new Float32Array(coarseCount);
  const sum = new Float64Array(dim);
  for (let c = 0; c < coarseCount; c++) {
    sum.fill(0);
    for (let j = coarseStart[c]!; j < coarseStart[c + 1]!; j++) {
      const f = coarseChildren[j]!;
      const weight = fine.start[f + 1]! - fine.start[f]!;
      for (let d = 0; d < dim; d++) sum[d] = sum[d]! + fineCentroids[f * dim + d]! * weight;
    }
    normalise(sum, coarseCentroids, c * dim);
    let radius = 0;
    for (let j = coarseStart[c]!; j < coarseStart[c + 1]!; j++) {
      const f = coarseChildren[j]!;
      let cos = 0;
      for (let d = 0; d < dim; d++) cos += coarseCentroids[c * dim + d]! * fineCentroids[f * dim + d]!;
      radius = Math.max(radius, angleOf(cos) + fineRadius[f]!);
    }
    coarseRadius[c] = radius + BOUND_SLACK;
  }
  return {
    store,
    fineStart: fine.start,
    fineMembers: fine.members,
    fineCentroids,
    fineRadius,
    memberAngle,
    coarseStart,
    coarseChildren,
    coarseCentroids,
    coarseRadius,
    inverseNorms,
  };
}

/** The upper bound on cos(q, f) for members f of a cluster at cosine `cos` from q with radius `radius`. */
const bound = (cos: number, radius: number) => {
  const a = angleOf(cos) - radius;
  return a <= 0 ? 1 : Math.cos(a);
};

/** Sorts the first n entries of `ids` and `cos` together by descending cosine (insertion sort: n is a few dozen). */
function sortByCosine(ids: Uint32Array, cos: Float64Array, n: number): void {
  for (let a = 1; a < n; a++) {
    const id = ids[a]!;
    const c = cos[a]!;
    let b = a;
    while (b > 0 && cos[b - 1]! < c) {
      ids[b] = ids[b - 1]!;
      cos[b] = cos[b - 1]!;
      b--;
    }
    ids[b] = id;
    cos[b] = c;
  }
}

/** Top-k of one query as parallel arrays, best first; insertion keeps them sorted (k is small). */
export class TopK {
  readonly index: Int32Array;
  readonly sim: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.index = new Int32Array(k);
    this.sim = new Float64Array(k);
  }
  /** The similarity a candidate must beat. */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.sim[this.k - 1]!;
  }
  push(i: number, s: number): void {
    if (s <= this.floor) return;
    let j = Math.min(this.size, this.k - 1);
    while (j > 0 && this.sim[j - 1]! < s) {
      this.sim[j] = this.sim[j - 1]!;
      this.index[j] = this.index[j - 1]!;
      j--;
    }
    this.sim[j] = s;
    this.index[j] = i;
    if (this.size < this.k) this.size++;
  }
  toMatches(): FeatureMatch[] {
    return Array.from({ length: this.size }, (_, j) => ({ index: this.index[j]!, similarity: this.sim[j]! }));
  }
}

export interface MatchStats {
  /** Target rows whose exact similarity was computed, summed over queries. */
  readonly rowsScored: number;
  readonly queries: number;
  readonly points: number;
}

/**
 * Exact top-k cosine matches of each query row ([Q, dim] float32) in the index's store. A zero or
 * non-finite query gets no matches.
 */
export interface MatchOptions {
  /**
   * Approximate search: score at most this many fine clusters per query (best bound first); the
   * result may then miss true matches (recall measured in src/bench/match.bench.ts). Absent = exact.
   */
  readonly maxClusters?: number;
}

export function matchWithIndex(
  index: MatchIndex,
  queries: Float32Array,
  k: number,
  options: MatchOptions = {},
  stats?: { rowsScored: number },
): FeatureMatch[][] {
  const maxClusters = options.maxClusters ?? Infinity;
  const { store } = index;
  const dim = store.dim;
  if (queries.length % dim !== 0) throw new Error(`match: query features are not rows of the target's ${dim} dimensions (${queries.length} values)`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`match: k must be a whole number ≥ 1, found ${k}`);
  const qCount = queries.length / dim;
  const unit = new Float32Array(queries.length);
  const valid = new Uint8Array(qCount);
  for (let q = 0; q < qCount; q++) valid[q] = normalise(queries.subarray(q * dim, (q + 1) * dim), unit, q * dim) > 0 ? 1 : 0;
  const coarseCount = index.coarseStart.length - 1;
  const table = halfTable();
  const results: FeatureMatch[][] = [];
  const coarseCos = new Float64Array(QUERY_BLOCK * coarseCount);
  const scratch = new Float64Array(QUERY_BLOCK + 8);
  const order = new Uint32Array(coarseCount);
  const coarseBound = new Float64Array(coarseCount);
  let widest = 0;
  for (let c = 0; c < coarseCount; c++) widest = Math.max(widest, index.coarseStart[c + 1]! - index.coarseStart[c]!);
  const fineCos = new Float64Array(widest);
  const fineOrder = new Uint32Array(widest);
  let scored = 0;
  for (let q0 = 0; q0 < qCount; q0 += QUERY_BLOCK) {
    const qn = Math.min(QUERY_BLOCK, qCount - q0);
    // Coarse product: every query of the block against every coarse centroid.
    const matrix = buildTextMatrix(
      Array.from({ length: qn }, (_, j) => unit.subarray((q0 + j) * dim, (q0 + j + 1) * dim)),
      dim,
    );
    for (let c = 0; c < coarseCount; c++) {
      pointDotsInto(index.coarseCentroids, c, matrix, scratch);
      for (let j = 0; j < qn; j++) coarseCos[j * coarseCount + c] = scratch[j]!;
    }
    for (let j = 0; j < qn; j++) {
      const q = q0 + j;
      const top = new TopK(k);
      if (!valid[q]) {
        results.push([]);
        continue;
      }
      const qv = unit.subarray(q * dim, (q + 1) * dim);
      for (let c = 0; c < coarseCount; c++) {
        coarseBound[c] = bound(coarseCos[j * coarseCount + c]!, index.coarseRadius[c]!);
        order[c] = c;
      }
      // Nearest centroids first (so the k-th best rises early); a cluster is skipped on its bound,
      // which is not monotone in this order, so the walk goes on past a skipped one.
      const cosOf = coarseCos.subarray(j * coarseCount, (j + 1) * coarseCount);
      order.sort((a, b) => cosOf[b]! - cosOf[a]!);
      let visited = 0;
      for (let o = 0; o < coarseCount && visited < maxClusters; o++) {
        const c = order[o]!;
        if (coarseBound[c]! <= top.floor) continue;
        const first = index.coarseStart[c]!;
        const children = index.coarseStart[c + 1]! - first;
        for (let f = 0; f < children; f++) {
          const fine = index.coarseChildren[first + f]!;
          let cos = 0;
          for (let d = 0; d < dim; d++) cos += index.fineCentroids[fine * dim + d]! * qv[d]!;
          fineCos[f] = cos;
          fineOrder[f] = fine;
        }
        sortByCosine(fineOrder, fineCos, children);
        for (let f = 0; f < children && visited < maxClusters; f++) {
          const fine = fineOrder[f]!;
          const cos = fineCos[f]!;
          if (bound(cos, index.fineRadius[fine]!) <= top.floor) continue;
          visited++;
          // Members by descending angle to the centroid: each one's own bound cos(angle(q, ĉ) − θ_f) falls along the run.
          const qAngle = angleOf(cos);
          for (let m = index.fineStart[fine]!; m < index.fineStart[fine + 1]!; m++) {
            const gap = qAngle - index.memberAngle[m]!;
            if (gap > 0 && Math.cos(gap) <= top.floor) break;
            const i = index.fineMembers[m]!;
            top.push(i, rowDot(store, i, qv, table) * index.inverseNorms[i]!);
            scored++;
          }
        }
      }
      results.push(top.toMatches());
    }
  }
  if (stats) stats.rowsScored += scored;
  return results;
}
