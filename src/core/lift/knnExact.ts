/**
 * The exact k-nearest-neighbour search of one query at a time on a voxel grid (voxelGrid.ts): the
 * plain way to find exact k-NN on a grid, which `npm run bench:outliers` and the tests hold the
 * blocked search (knnSearch.ts) against. It scans the query's own cell and its 26 neighbours,
 * skipping cells whose box is farther than the current k-th distance, then a further ring of cells
 * unless the k-th distance is within the searched cube; points that this does not settle continue
 * on a pyramid of coarser cells (4× per level) built on first need, so empty space costs one lookup
 * per coarse cell.
 *
 * Ownership: reads the grid; the heap is the caller's scratch (its first k entries hold the k
 * smallest squared distances after a query).
 */
import { buildVoxelGrid, coarsenCells, neighbourCells, type CoarseLevel, type VoxelGrid } from './voxelGrid.ts';

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

/** Exact k-NN of single queries on a grid, with the coarse pyramid shared between queries. */
export class ExactKnn {
  private readonly ring1 = new Int32Array(27);
  private readonly coarse: CoarseSearch;

  /**
   * `heap` (length kk) receives the kk smallest squared distances of each query; `slack` lowers
   * every box and ring bound so float rounding in the cell keys can never prune a true neighbour.
   */
  constructor(
    private readonly grid: VoxelGrid,
    private readonly heap: Float64Array,
    private readonly kk: number,
    private readonly slack: number,
  ) {
    this.coarse = new CoarseSearch(grid, heap, kk, slack);
  }

  /** Mean distance from the point at sorted index j (in cell c) to its kk nearest other points. */
  meanDistance(j: number, c: number): number {
    const { grid, heap, kk, slack, ring1 } = this;
    const { cellStart, sortedPositions: sp, cellCoords, hash, cellSize: size } = grid;
    const cx = cellCoords[c * 3]!;
    const cy = cellCoords[c * 3 + 1]!;
    const cz = cellCoords[c * 3 + 2]!;
    const near = neighbourCells(grid, c, ring1); // own cell first, nearer cells first
    const qx = sp[j * 3]!;
    const qy = sp[j * 3 + 1]!;
    const qz = sp[j * 3 + 2]!;
    let m = scanRange(sp, cellStart[c]!, cellStart[c + 1]!, j, qx, qy, qz, heap, 0, kk);
    for (let n = 1; n < near; n++) {
      const id = ring1[n]!;
      if (m === kk && boxDistance2(cellCoords[id * 3]!, cellCoords[id * 3 + 1]!, cellCoords[id * 3 + 2]!, size, slack, qx, qy, qz) >= heap[0]!) continue;
      m = scanRange(sp, cellStart[id]!, cellStart[id + 1]!, -1, qx, qy, qz, heap, m, kk);
    }
    // Further fine rings until the k-th distance lies inside the searched cube of cells; then the
    // coarse levels.
    for (let r = 1; ; r++) {
      if (m === kk) {
        const inside = insideDistance(cx, cy, cz, r, size, slack, qx, qy, qz);
        if (inside > 0 && heap[0]! <= inside * inside) break;
      }
      if (r === MAX_RING) {
        this.coarse.run(j, cx, cy, cz, m);
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
    return sum / kk;
  }
}

/**
 * d̄ᵢ for every point by the per-query search alone (no blocking), on a grid of cells of edge
 * `cellSize` metres: the yardstick the blocked search (knnSearch.ts) is timed and checked against.
 */
export function exactKnnMeanDistances(positions: Float32Array, count: number, k: number, cellSize: number): Float64Array {
  const out = new Float64Array(count);
  const kk = Math.min(k, count - 1);
  if (kk < 1) return out;
  const grid = buildVoxelGrid(positions, count, cellSize);
  const exact = new ExactKnn(grid, new Float64Array(kk), kk, cellSize * 1e-6);
  for (let j = 0; j < count; j++) {
    const i = grid.cellPoints[j]!;
    out[i] = exact.meanDistance(j, grid.cellOfPoint[i]!);
  }
  return out;
}
