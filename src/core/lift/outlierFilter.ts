/**
 * Statistical outlier removal, PCL's StatisticalOutlierRemoval (and Open3D's
 * remove_statistical_outlier):
 *   d̄ᵢ = mean Euclidean distance from point i to its k nearest neighbours (itself excluded);
 *   μ, σ = mean and sample standard deviation (n − 1) of d̄ over all points;
 *   point i is removed iff d̄ᵢ > μ + stdRatio · σ.
 * Defaults k = 20, stdRatio = 2. (Open3D counts the query point itself as one of its k neighbours,
 * at distance 0; PCL and this module do not. Open3D with k + 1 equals this with k up to the 1/k
 * scale of every d̄, which cancels in the test.)
 *
 * k-nearest neighbours are exact, found on a column grid (knnColumns.ts) whose cell size is chosen
 * from the data: cells are resized until a point shares its cell with about k/2 others, whatever
 * the intrinsic dimension of the cloud (a surface scan or a volume). The search is blocked per
 * cell (knnSearch.ts), reports progress and stops between blocks when its signal is aborted.
 *
 * Ownership: inputs are only read; every returned array is fresh.
 */
import { blockedKnnMeanDistances, type CancelSignal, type KnnOptions, type KnnProgress } from './knnSearch.ts';
import { assignVoxels } from './voxelGrid.ts';

export interface OutlierOptions {
  /** k: neighbours per point; default 20. */
  readonly neighbours?: number;
  /** Points whose mean neighbour distance exceeds mean + stdRatio · std are removed; default 2. */
  readonly stdRatio?: number;
  /** Grid cell size in metres; chosen from the data when omitted (see chooseKnnCellSize). */
  readonly cellSize?: number;
  /** Progress of the neighbour search (points done, total); called every 65,536 points or so. */
  readonly onProgress?: KnnProgress;
  /** Cancels the neighbour search: it throws the signal's reason (an AbortError) between blocks. */
  readonly signal?: CancelSignal;
}

export interface OutlierResult {
  /** 1 = inlier (kept), 0 = outlier; length count. */
  readonly keep: Uint8Array;
  readonly kept: number;
  readonly removed: number;
  /** d̄ᵢ per point, metres; length count. */
  readonly meanDistances: Float64Array;
  /** μ, σ and the threshold μ + stdRatio · σ, metres. */
  readonly mean: number;
  readonly std: number;
  readonly threshold: number;
}

export const DEFAULT_OUTLIER_NEIGHBOURS = 20;
export const DEFAULT_OUTLIER_STD_RATIO = 2;

export function removeStatisticalOutliers(positions: Float32Array, count: number, options: OutlierOptions = {}): OutlierResult {
  const k = options.neighbours ?? DEFAULT_OUTLIER_NEIGHBOURS;
  const stdRatio = options.stdRatio ?? DEFAULT_OUTLIER_STD_RATIO;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`outlier filter: neighbours must be a positive integer, found ${k}`);
  if (Number.isNaN(stdRatio)) throw new RangeError('outlier filter: stdRatio is NaN');
  const keep = new Uint8Array(count).fill(1);
  if (count < 3) {
    // Fewer than two mean distances: no spread to test against.
    return { keep, kept: count, removed: 0, meanDistances: new Float64Array(count), mean: 0, std: 0, threshold: Infinity };
  }
  const meanDistances = knnMeanDistances(positions, count, k, options.cellSize, options);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += meanDistances[i]!;
  const mean = sum / count;
  let sq = 0;
  for (let i = 0; i < count; i++) {
    const d = meanDistances[i]! - mean;
    sq += d * d;
  }
  const std = Math.sqrt(sq / (count - 1));
  const threshold = mean + stdRatio * std;
  let removed = 0;
  for (let i = 0; i < count; i++) {
    if (meanDistances[i]! > threshold) {
      keep[i] = 0;
      removed++;
    }
  }
  return { keep, kept: count - removed, removed, meanDistances, mean, std, threshold };
}

/**
 * A grid cell size at which a point shares its cell with about `targetOthers` other points
 * (estimated as Σ nc(nc − 1) / N over occupied cells). Starts from the bounding box as if the
 * points covered a surface, then rescales with the intrinsic dimension measured between tries.
 */
export function chooseKnnCellSize(positions: Float32Array, count: number, targetOthers: number): number {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a]!;
      if (v < min[a]!) min[a] = v;
      if (v > max[a]!) max[a] = v;
    }
  }
  const extents = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!].sort((a, b) => b - a);
  const diagonal = Math.hypot(extents[0]!, extents[1]!, extents[2]!);
  if (!Number.isFinite(diagonal)) throw new RangeError('outlier filter: positions must be finite');
  if (diagonal === 0) return 1; // all points coincide: any size puts them in one cell
  // Guess: a surface spanning the two largest extents (a line when the second is 0).
  const area = extents[1]! > 0 ? extents[0]! * extents[1]! : extents[0]! * extents[0]!;
  let size = Math.sqrt((area * Math.max(1, targetOthers)) / count);
  const floor = diagonal * 1e-7;
  size = Math.max(size, floor);
  let dimension = 2;
  let previous: { size: number; occupancy: number } | null = null;
  for (let attempt = 0; attempt < 6; attempt++) {
    const occupancy = cellOccupancy(positions, count, size);
    if (occupancy >= targetOthers / 2 && occupancy <= targetOthers * 2) break;
    if (previous && occupancy > 0 && previous.occupancy > 0 && size !== previous.size) {
      const measured = Math.log(occupancy / previous.occupancy) / Math.log(size / previous.size);
      if (Number.isFinite(measured)) dimension = Math.min(3, Math.max(1, measured));
    }
    previous = { size, occupancy };
    // Too few others per cell (none at all: grow by the largest step).
    const factor = occupancy > 0 ? Math.pow(targetOthers / occupancy, 1 / dimension) : 8;
    size = Math.min(diagonal, Math.max(floor, size * Math.min(8, Math.max(1 / 8, factor))));
  }
  return size;
}

/** Σ nc(nc − 1) / N: the mean number of other points in a point's cell. */
function cellOccupancy(positions: Float32Array, count: number, size: number): number {
  const { cellOfPoint, cellCount } = assignVoxels(positions, count, size);
  const perCell = new Uint32Array(cellCount);
  for (let i = 0; i < count; i++) perCell[cellOfPoint[i]!]!++;
  let pairs = 0;
  for (let c = 0; c < cellCount; c++) pairs += perCell[c]! * (perCell[c]! - 1);
  return pairs / count;
}

/**
 * d̄ᵢ for every point: the mean Euclidean distance to its min(k, count − 1) nearest other points
 * (exact).
 */
export function knnMeanDistances(positions: Float32Array, count: number, k: number, cellSize?: number, options: KnnOptions = {}): Float64Array {
  if (Math.min(k, count - 1) < 1) return new Float64Array(count);
  const size = cellSize ?? chooseKnnCellSize(positions, count, Math.max(1, k / 2));
  return blockedKnnMeanDistances(positions, count, k, size, options);
}
