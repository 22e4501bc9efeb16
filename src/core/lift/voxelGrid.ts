/**
 * The shared spatial hash of the lift stage: integer voxel keys for points, an open-addressing
 * hash from (ix, iy, iz) to a dense cell id, and the points of each cell in CSR form.
 *
 * Keys: a point p lies in voxel (⌊x/s⌋, ⌊y/s⌋, ⌊z/s⌋) for a voxel size s in metres, measured from
 * the world origin (so voxel boundaries do not move when the cloud changes). Negative coordinates
 * floor downwards: x = −0.25, s = 0.25 → −1; x = −0.2 → −1; x = 0 → 0. Each key is a signed 32-bit
 * integer; a point whose |x/s| reaches 2³¹ (or that is not finite) is refused with an error.
 *
 * Cell ids are dense (0 … cellCount − 1). In a VoxelAssignment (assignVoxels) they follow the first
 * occurrence of each cell in the input, so what is built on them (voxel down-sampling's output
 * order) is deterministic for a given input; in a VoxelGrid (buildVoxelGrid, for neighbour scans)
 * they follow (ix, iy, iz) lexicographically, so cells near in space are mostly near in memory.
 * `coarsenCells` builds coarser levels over a grid's cells (a sparse pyramid for far searches).
 *
 * Ownership: nothing here keeps a reference to the caller's arrays; every array returned is fresh
 * and owned by the caller.
 */

const EMPTY = -1;
const INT32_LIMIT = 2 ** 31;

/** Mixes three signed 32-bit integers into a 32-bit hash (multiplicative mix + murmur3 finaliser). */
function hash3(ix: number, iy: number, iz: number): number {
  let h = Math.imul(ix, 0x9e3779b1) ^ Math.imul(iy, 0x85ebca77) ^ Math.imul(iz, 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Open-addressing (linear probing) hash set of integer voxel keys with dense ids. The table holds
 * only ids (Int32, −1 = empty); keys live in `coords` at 3·id, so a slot costs 4 bytes. The table
 * doubles when it is half full. No deletion.
 */
export class VoxelHash {
  private table: Int32Array;
  private mask: number;
  private keys: Int32Array;
  private count = 0;

  constructor(expectedCells = 1024) {
    let capacity = 16;
    while (capacity < expectedCells * 2) capacity *= 2;
    this.table = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.keys = new Int32Array(Math.max(16, expectedCells) * 3);
  }

  /** Number of distinct keys inserted. */
  get size(): number {
    return this.count;
  }

  /** The keys by id: (ix, iy, iz) of cell id at [3·id, 3·id + 3). A view; copy it to keep it. */
  get coords(): Int32Array {
    return this.keys.subarray(0, this.count * 3);
  }

  /** The id of cell (ix, iy, iz), or −1 when it holds no point. */
  find(ix: number, iy: number, iz: number): number {
    const { table, mask, keys } = this;
    let slot = hash3(ix, iy, iz) & mask;
    for (;;) {
      const id = table[slot]!;
      if (id === EMPTY) return EMPTY;
      const k = id * 3;
      if (keys[k] === ix && keys[k + 1] === iy && keys[k + 2] === iz) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** The id of cell (ix, iy, iz), inserting it with the next id when absent. */
  insert(ix: number, iy: number, iz: number): number {
    const { table, mask } = this;
    let slot = hash3(ix, iy, iz) & mask;
    for (;;) {
      const id = table[slot]!;
      if (id === EMPTY) break;
      const k = id * 3;
      const keys = this.keys;
      if (keys[k] === ix && keys[k + 1] === iy && keys[k + 2] === iz) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    if (id * 3 + 3 > this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[id * 3] = ix;
    this.keys[id * 3 + 1] = iy;
    this.keys[id * 3 + 2] = iz;
    table[slot] = id;
    if (this.count * 2 > table.length) this.rehash(table.length * 2);
    return id;
  }

  private rehash(capacity: number): void {
    const table = new Int32Array(capacity).fill(EMPTY);
    const mask = capacity - 1;
    const keys = this.keys;
    for (let id = 0; id < this.count; id++) {
      let slot = hash3(keys[id * 3]!, keys[id * 3 + 1]!, keys[id * 3 + 2]!) & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Which cell every point is in. */
export interface VoxelAssignment {
  /** Edge length of a cell, metres. */
  readonly cellSize: number;
  /** Number of points assigned. */
  readonly pointCount: number;
  /** Number of occupied cells. */
  readonly cellCount: number;
  /** Cell id of each point; length pointCount. Ids are in order of first occurrence. */
  readonly cellOfPoint: Uint32Array;
  /** (ix, iy, iz) of each cell; length 3·cellCount. */
  readonly cellCoords: Int32Array;
  /** The hash from integer keys to cell ids (for neighbour lookups). */
  readonly hash: VoxelHash;
}

/**
 * The points of each cell in CSR form, for neighbour scans. Unlike a VoxelAssignment, cell ids here
 * are in lexicographic (ix, iy, iz) order, so cells that are near in space are mostly near in
 * memory; `sortedPositions` follows the same order.
 */
export interface VoxelGrid extends VoxelAssignment {
  /** Points of cell c are cellPoints[cellStart[c] … cellStart[c + 1]), ascending; length cellCount + 1. */
  readonly cellStart: Uint32Array;
  /** Point indices grouped by cell; length pointCount. */
  readonly cellPoints: Uint32Array;
  /** xyz of cellPoints[j] at [3j, 3j + 3), for cache-friendly scans of a cell; length 3·pointCount. */
  readonly sortedPositions: Float64Array;
}

/** The integer voxel key of one coordinate (throws when it does not fit a signed 32-bit integer). */
export function voxelKey(coordinate: number, cellSize: number): number {
  const f = Math.floor(coordinate / cellSize);
  if (!(f >= -INT32_LIMIT && f < INT32_LIMIT)) {
    throw new RangeError(`voxel grid: coordinate ${coordinate} at cell size ${cellSize} m has no 32-bit voxel key (not finite, or too far from the origin)`);
  }
  return f;
}

function checkCellSize(cellSize: number): void {
  if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new RangeError(`voxel grid: cell size must be a positive number of metres, found ${cellSize}`);
}

/** Assigns each of the first `count` points (xyz in `positions`) to its voxel of edge `cellSize`. */
export function assignVoxels(positions: Float32Array, count: number, cellSize: number): VoxelAssignment {
  checkCellSize(cellSize);
  if (positions.length < count * 3) throw new RangeError(`voxel grid: ${count} points need ${count * 3} coordinates, found ${positions.length}`);
  const hash = new VoxelHash(Math.min(count, 1 << 16));
  const cellOfPoint = new Uint32Array(count);
  // Fast path: one hash lookup per point, with the previous point's cell reused when the key repeats
  // (consecutive pixels of a depth image usually share a voxel).
  let px = NaN;
  let py = NaN;
  let pz = NaN;
  let pid = 0;
  for (let i = 0; i < count; i++) {
    const ix = Math.floor(positions[i * 3]! / cellSize);
    const iy = Math.floor(positions[i * 3 + 1]! / cellSize);
    const iz = Math.floor(positions[i * 3 + 2]! / cellSize);
    if (ix === px && iy === py && iz === pz) {
      cellOfPoint[i] = pid;
      continue;
    }
    if (!(ix >= -INT32_LIMIT && ix < INT32_LIMIT && iy >= -INT32_LIMIT && iy < INT32_LIMIT && iz >= -INT32_LIMIT && iz < INT32_LIMIT)) {
      const p = `(${positions[i * 3]}, ${positions[i * 3 + 1]}, ${positions[i * 3 + 2]})`;
      throw new RangeError(`voxel grid: point ${i} ${p} at cell size ${cellSize} m has no 32-bit voxel key (not finite, or too far from the origin)`);
    }
    pid = hash.insert(ix, iy, iz);
    px = ix;
    py = iy;
    pz = iz;
    cellOfPoint[i] = pid;
  }
  return { cellSize, pointCount: count, cellCount: hash.size, cellOfPoint, cellCoords: hash.coords.slice(), hash };
}

/**
 * Groups points by cell: CSR offsets and member lists (a stable counting sort by cell id, so the
 * members of a cell are in ascending point order).
 */
export function groupByCell(cellOfPoint: Uint32Array, cellCount: number): { cellStart: Uint32Array; cellPoints: Uint32Array } {
  const cellStart = new Uint32Array(cellCount + 1);
  for (let i = 0; i < cellOfPoint.length; i++) cellStart[cellOfPoint[i]! + 1]!++;
  for (let c = 0; c < cellCount; c++) cellStart[c + 1]! += cellStart[c]!;
  const next = cellStart.slice(0, cellCount);
  const cellPoints = new Uint32Array(cellOfPoint.length);
  for (let i = 0; i < cellOfPoint.length; i++) cellPoints[next[cellOfPoint[i]!]!++] = i;
  return { cellStart, cellPoints };
}

/** Cell ids ordered by (ix, iy, iz), lexicographically. */
function lexicographicCellOrder(coords: Int32Array, cellCount: number): Uint32Array {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < cellCount; c++) {
    for (let a = 0; a < 3; a++) {
      const v = coords[c * 3 + a]!;
      if (v < lo[a]!) lo[a] = v;
      if (v > hi[a]!) hi[a] = v;
    }
  }
  const ny = hi[1]! - lo[1]! + 1;
  const nz = hi[2]! - lo[2]! + 1;
  const span = (hi[0]! - lo[0]! + 1) * ny * nz;
  if (span * cellCount < 2 ** 53) {
    // Fast path: key · cellCount + id packed exactly in one float64, sorted natively.
    const packed = new Float64Array(cellCount);
    for (let c = 0; c < cellCount; c++) {
      const key = ((coords[c * 3]! - lo[0]!) * ny + (coords[c * 3 + 1]! - lo[1]!)) * nz + (coords[c * 3 + 2]! - lo[2]!);
      packed[c] = key * cellCount + c;
    }
    packed.sort();
    const order = new Uint32Array(cellCount);
    for (let r = 0; r < cellCount; r++) order[r] = packed[r]! % cellCount;
    return order;
  }
  const order = Uint32Array.from({ length: cellCount }, (_, c) => c);
  return order.sort((a, b) => coords[a * 3]! - coords[b * 3]! || coords[a * 3 + 1]! - coords[b * 3 + 1]! || coords[a * 3 + 2]! - coords[b * 3 + 2]!);
}

/** Builds the full grid: assignment, per-cell member lists, and positions in member order. */
export function buildVoxelGrid(positions: Float32Array, count: number, cellSize: number): VoxelGrid {
  const first = assignVoxels(positions, count, cellSize);
  const { cellCount } = first;
  // Renumber cells in lexicographic order: a fresh hash, keys inserted in that order.
  const order = lexicographicCellOrder(first.cellCoords, cellCount);
  const hash = new VoxelHash(cellCount);
  const rank = new Uint32Array(cellCount);
  for (let r = 0; r < cellCount; r++) {
    const c = order[r]!;
    hash.insert(first.cellCoords[c * 3]!, first.cellCoords[c * 3 + 1]!, first.cellCoords[c * 3 + 2]!);
    rank[c] = r;
  }
  const cellOfPoint = new Uint32Array(count);
  for (let i = 0; i < count; i++) cellOfPoint[i] = rank[first.cellOfPoint[i]!]!;
  const { cellStart, cellPoints } = groupByCell(cellOfPoint, cellCount);
  const sortedPositions = new Float64Array(count * 3);
  for (let j = 0; j < count; j++) {
    const i = cellPoints[j]! * 3;
    sortedPositions[j * 3] = positions[i]!;
    sortedPositions[j * 3 + 1] = positions[i + 1]!;
    sortedPositions[j * 3 + 2] = positions[i + 2]!;
  }
  return { cellSize, pointCount: count, cellCount, cellOfPoint, cellCoords: hash.coords.slice(), hash, cellStart, cellPoints, sortedPositions };
}

/**
 * A coarser level over the cells of a grid: cells of edge 2^shift times the level below, keyed by
 * the lower cells' keys shifted right (arithmetic shift: ⌊k / 2^shift⌋, also for negative keys), so
 * each coarse box is exactly the union of its children's boxes. Ids by first occurrence.
 */
export interface CoarseLevel {
  readonly cellSize: number;
  readonly cellCount: number;
  /** (ix, iy, iz) of each cell; length 3·cellCount. */
  readonly cellCoords: Int32Array;
  readonly hash: VoxelHash;
  /** Children of cell c (cell ids of the level below): children[childStart[c] … childStart[c + 1]). */
  readonly childStart: Uint32Array;
  readonly children: Uint32Array;
}

/** Builds the level above cells with keys `cellCoords` (3 per cell) of edge `cellSize`. */
export function coarsenCells(cellCoords: Int32Array, cellCount: number, cellSize: number, shift = 2): CoarseLevel {
  const hash = new VoxelHash(Math.max(16, cellCount >> (shift * 2)));
  const parentOf = new Uint32Array(cellCount);
  for (let c = 0; c < cellCount; c++) {
    parentOf[c] = hash.insert(cellCoords[c * 3]! >> shift, cellCoords[c * 3 + 1]! >> shift, cellCoords[c * 3 + 2]! >> shift);
  }
  const { cellStart: childStart, cellPoints: children } = groupByCell(parentOf, hash.size);
  return { cellSize: cellSize * 2 ** shift, cellCount: hash.size, cellCoords: hash.coords.slice(), hash, childStart, children };
}

/** The 27 offsets of a cell's neighbourhood: (0, 0, 0), the 6 faces, 12 edges, then 8 corners. */
export const NEIGHBOUR_OFFSETS: readonly (readonly [number, number, number])[] = (() => {
  const offsets: [number, number, number][] = [];
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) offsets.push([dx, dy, dz]);
  const order = (o: readonly number[]) => Math.abs(o[0]!) + Math.abs(o[1]!) + Math.abs(o[2]!);
  return offsets.sort((a, b) => order(a) - order(b)); // stable: lexicographic within a class
})();
const FLAT_OFFSETS = Int32Array.from(NEIGHBOUR_OFFSETS.flat());

/**
 * Writes into `out` the ids of the occupied cells among the 27 cells around (and including) cell
 * `cell`, in NEIGHBOUR_OFFSETS order (own cell first, then nearer cells before farther ones), and
 * returns how many. `out` must hold at least 27 entries.
 */
export function neighbourCells(grid: VoxelAssignment, cell: number, out: Int32Array | Uint32Array): number {
  const cx = grid.cellCoords[cell * 3]!;
  const cy = grid.cellCoords[cell * 3 + 1]!;
  const cz = grid.cellCoords[cell * 3 + 2]!;
  out[0] = cell;
  let n = 1;
  for (let o = 3; o < 81; o += 3) {
    const id = grid.hash.find(cx + FLAT_OFFSETS[o]!, cy + FLAT_OFFSETS[o + 1]!, cz + FLAT_OFFSETS[o + 2]!);
    if (id !== EMPTY) out[n++] = id;
  }
  return n;
}
