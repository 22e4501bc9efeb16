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
 * k-nearest neighbours are exact, found on a voxel grid (voxelGrid.ts) whose cell size is chosen
 * from the data: cells are resized until a point shares its cell with about k/2 others, whatever
 * the intrinsic dimension of the cloud (a surface scan or a volume). Each query scans its own cell
 * and its 26 neighbours, skipping cells whose box is farther than the current k-th distance, then
 * a further ring of cells unless the k-th distance is within the searched cube. Points that this
 * does not settle (sparse regions, far outliers) continue on a pyramid of coarser cells (4× per
 * level) built on first need, so empty space costs one lookup per coarse cell.
 *
 * Ownership: inputs are only read; every returned array is fresh.
 */
import { assignVoxels, buildVoxelGrid, coarsenCells, neighbourCells, type CoarseLevel, type VoxelGrid } from './voxelGrid.ts';

export interface OutlierOptions {
  /** k: neighbours per point; default 20. */
  readonly neighbours?: number;
  /** Points whose mean neighbour distance exceeds mean + stdRatio · std are removed; default 2. */
  readonly stdRatio?: number;
  /** Grid cell size in metres; chosen from the data when omitted (see chooseKnnCellSize). */
  readonly cellSize?: number;
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
  const meanDistances = knnMeanDistances(positions, count, k, options.cellSize);
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
 * Offers squared distance d2 to `heap`, a max-heap of the `m` smallest distances so far (capacity
 * kk; heap[0] is the largest); returns the new fill.
 */
function offer(heap: Float64Array, m: number, kk: number, d2: number): number {
  if (m < kk) {
    let j = m;
    while (j > 0) {
      const parent = (j - 1) >> 1;
      const p = heap[parent]!;
      if (p >= d2) break;
      heap[j] = p;
      j = parent;
    }
    heap[j] = d2;
    return m + 1;
  }
  if (d2 >= heap[0]!) return m;
  let j = 0;
  for (;;) {
    const left = 2 * j + 1;
    if (left >= kk) break;
    let child = left;
    let cv = heap[left]!;
    const right = left + 1;
    if (right < kk && heap[right]! > cv) {
      child = right;
      cv = heap[right]!;
    }
    if (cv <= d2) break;
    heap[j] = cv;
    j = child;
  }
  heap[j] = d2;
  return m;
}

/** Scans sorted points [start, end) except index `skip`; returns the new fill of `heap`. */
function scanRange(
  sp: Float64Array,
  start: number,
  end: number,
  skip: number,
  qx: number,
  qy: number,
  qz: number,
  heap: Float64Array,
  m: number,
  kk: number,
): number {
  for (let t = start; t < end; t++) {
    const dx = sp[t * 3]! - qx;
    const dy = sp[t * 3 + 1]! - qy;
    const dz = sp[t * 3 + 2]! - qz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if ((m < kk || d2 < heap[0]!) && t !== skip) m = offer(heap, m, kk, d2);
  }
  return m;
}

/** Squared distance from (qx, qy, qz) to the box of cell (ix, iy, iz) of edge `size`, less `slack`. */
function boxDistance2(ix: number, iy: number, iz: number, size: number, slack: number, qx: number, qy: number, qz: number): number {
  const lx = ix * size;
  const ly = iy * size;
  const lz = iz * size;
  let dx = (qx < lx ? lx - qx : qx - (lx + size)) - slack;
  let dy = (qy < ly ? ly - qy : qy - (ly + size)) - slack;
  let dz = (qz < lz ? lz - qz : qz - (lz + size)) - slack;
  if (dx < 0) dx = 0;
  if (dy < 0) dy = 0;
  if (dz < 0) dz = 0;
  return dx * dx + dy * dy + dz * dz;
}

/** Distance from (qx, qy, qz) to the nearest face of the cube of cells c ± r of edge `size`, less `slack`. */
function insideDistance(cx: number, cy: number, cz: number, r: number, size: number, slack: number, qx: number, qy: number, qz: number): number {
  return (
    Math.min(qx - (cx - r) * size, (cx + r + 1) * size - qx, qy - (cy - r) * size, (cy + r + 1) * size - qy, qz - (cz - r) * size, (cz + r + 1) * size - qz) -
    slack
  );
}

/** Rings searched at one level before moving to the next coarser one. */
const MAX_RING = 2;
/** Coarse levels are built until one has at most this many cells; it is then searched whole. */
const TOP_CELLS = 64;

/**
 * The search for points that the fine rings do not settle (sparse regions, far outliers): a
 * pyramid of coarser levels (4× per level) over the fine cells. At each level the search restarts:
 * rings of coarse cells around the query, descending into children with box pruning, so empty
 * space costs one lookup per coarse cell. The k-th distance of the previous level bounds the
 * pruning from the start. The top level (≤ TOP_CELLS cells) is searched whole, which ends it.
 */
class CoarseSearch {
  private levels: CoarseLevel[] | null = null;
  // Query state.
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private skip = -1;
  private m = 0;
  /** Squared upper bound on the k-th distance, from an earlier full heap (Infinity when none). */
  private bound = Infinity;

  constructor(
    private readonly grid: VoxelGrid,
    private readonly heap: Float64Array,
    private readonly kk: number,
    private readonly slack: number,
  ) {}

  private pyramid(): CoarseLevel[] {
    if (this.levels) return this.levels;
    const levels: CoarseLevel[] = [];
    let coords = this.grid.cellCoords;
    let count = this.grid.cellCount;
    let size = this.grid.cellSize;
    while (count > TOP_CELLS) {
      const level = coarsenCells(coords, count, size);
      levels.push(level);
      coords = level.cellCoords;
      count = level.cellCount;
      size = level.cellSize;
    }
    this.levels = levels;
    return levels;
  }

  /**
   * Completes the search of the query at sorted index j (fine cell coords cx, cy, cz) whose heap
   * holds m candidates from the fine rings. The heap ends full.
   */
  run(j: number, cx: number, cy: number, cz: number, m: number): void {
    const { heap, kk } = this;
    const sp = this.grid.sortedPositions;
    this.qx = sp[j * 3]!;
    this.qy = sp[j * 3 + 1]!;
    this.qz = sp[j * 3 + 2]!;
    this.skip = j;
    this.bound = m === kk ? heap[0]! : Infinity;
    const levels = this.pyramid();
    let lx = cx;
    let ly = cy;
    let lz = cz;
    for (let level = 1; level <= levels.length; level++) {
      const coarse = levels[level - 1]!;
      lx >>= 2;
      ly >>= 2;
      lz >>= 2;
      this.m = 0;
      if (level === levels.length) {
        for (let id = 0; id < coarse.cellCount; id++) this.visit(level, id);
        return;
      }
      for (let r = 0; r <= MAX_RING; r++) {
        this.visitShell(level, coarse, lx, ly, lz, r);
        if (this.m === kk && heap[0]! <= insideDistance(lx, ly, lz, r, coarse.cellSize, this.slack, this.qx, this.qy, this.qz) ** 2) return;
      }
      if (this.m === kk && heap[0]! < this.bound) this.bound = heap[0]!;
    }
    // No coarse level (the fine grid has ≤ TOP_CELLS cells): search it whole.
    this.m = 0;
    for (let id = 0; id < this.grid.cellCount; id++) this.visit(0, id);
  }

  private visitShell(level: number, coarse: CoarseLevel, cx: number, cy: number, cz: number, r: number): void {
    for (let dx = -r; dx <= r; dx++) {
      const faceX = dx === -r || dx === r;
      for (let dy = -r; dy <= r; dy++) {
        const step = faceX || dy === -r || dy === r ? 1 : 2 * r;
        for (let dz = -r; dz <= r; dz += step) {
          const id = coarse.hash.find(cx + dx, cy + dy, cz + dz);
          if (id >= 0) this.visit(level, id);
        }
      }
    }
  }

  /** Scans cell `id` of `level` (0 = the fine grid), descending into children, with pruning. */
  private visit(level: number, id: number): void {
    const coarse = level === 0 ? null : this.levels![level - 1]!;
    const coords = coarse ? coarse.cellCoords : this.grid.cellCoords;
    const size = coarse ? coarse.cellSize : this.grid.cellSize;
    const d2 = boxDistance2(coords[id * 3]!, coords[id * 3 + 1]!, coords[id * 3 + 2]!, size, this.slack, this.qx, this.qy, this.qz);
    if (this.m === this.kk ? d2 >= this.heap[0]! : d2 > this.bound) return;
    if (!coarse) {
      const { cellStart, sortedPositions } = this.grid;
      this.m = scanRange(sortedPositions, cellStart[id]!, cellStart[id + 1]!, this.skip, this.qx, this.qy, this.qz, this.heap, this.m, this.kk);
      return;
    }
    for (let c = coarse.childStart[id]!; c < coarse.childStart[id + 1]!; c++) this.visit(level - 1, coarse.children[c]!);
  }
}

/**
 * d̄ᵢ for every point: the mean Euclidean distance to its min(k, count − 1) nearest other points
 * (exact).
 */
export function knnMeanDistances(positions: Float32Array, count: number, k: number, cellSize?: number): Float64Array {
  const out = new Float64Array(count);
  const kk = Math.min(k, count - 1);
  if (kk < 1) return out;
  const size = cellSize ?? chooseKnnCellSize(positions, count, Math.max(1, k / 2));
  const grid = buildVoxelGrid(positions, count, size);
  const { cellStart, cellPoints, sortedPositions: sp, cellCoords, cellCount, hash } = grid;
  // Box and ring bounds are lowered by this much, so float rounding in the cell keys (⌊x/s⌋ of a
  // point a hair outside its nominal box) can never prune a true neighbour.
  const slack = size * 1e-6;
  const heap = new Float64Array(kk);
  const ring1 = new Int32Array(27);
  const coarse = new CoarseSearch(grid, heap, kk, slack);

  for (let c = 0; c < cellCount; c++) {
    const cx = cellCoords[c * 3]!;
    const cy = cellCoords[c * 3 + 1]!;
    const cz = cellCoords[c * 3 + 2]!;
    const near = neighbourCells(grid, c, ring1); // own cell first, nearer cells first
    const cStart = cellStart[c]!;
    const cEnd = cellStart[c + 1]!;
    for (let j = cStart; j < cEnd; j++) {
      const qx = sp[j * 3]!;
      const qy = sp[j * 3 + 1]!;
      const qz = sp[j * 3 + 2]!;
      let m = scanRange(sp, cStart, cEnd, j, qx, qy, qz, heap, 0, kk);
      for (let n = 1; n < near; n++) {
        const id = ring1[n]!;
        if (m === kk && boxDistance2(cellCoords[id * 3]!, cellCoords[id * 3 + 1]!, cellCoords[id * 3 + 2]!, size, slack, qx, qy, qz) >= heap[0]!) continue;
        m = scanRange(sp, cellStart[id]!, cellStart[id + 1]!, -1, qx, qy, qz, heap, m, kk);
      }
      // Further fine rings until the k-th distance lies inside the searched cube of cells; then
      // the coarse levels.
      for (let r = 1; ; r++) {
        if (m === kk) {
          const inside = insideDistance(cx, cy, cz, r, size, slack, qx, qy, qz);
          if (inside > 0 && heap[0]! <= inside * inside) break;
        }
        if (r === MAX_RING) {
          coarse.run(j, cx, cy, cz, m);
          break;
        }
        const next = r + 1;
        for (let dx = -next; dx <= next; dx++) {
          const faceX = dx === -next || dx === next;
          for (let dy = -next; dy <= next; dy++) {
            const step = faceX || dy === -next || dy === next ? 1 : 2 * next;
            for (let dz = -next; dz <= next; dz += step) {
              const id = hash.find(cx + dx, cy + dy, cz + dz);
              if (id < 0) continue;
              if (m === kk && boxDistance2(cx + dx, cy + dy, cz + dz, size, slack, qx, qy, qz) >= heap[0]!) continue;
              m = scanRange(sp, cellStart[id]!, cellStart[id + 1]!, -1, qx, qy, qz, heap, m, kk);
            }
          }
        }
      }
      let sum = 0;
      for (let t = 0; t < kk; t++) sum += Math.sqrt(heap[t]!);
      out[cellPoints[j]!] = sum / kk;
    }
  }
  return out;
}
