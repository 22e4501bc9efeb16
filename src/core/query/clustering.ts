/**
 * Instances from a relevancy mask: group the selected points of a cloud into separate objects.
 *
 * - `connectedComponentsOnVoxelGrid`: voxelise the selected points, join occupied voxels that touch
 *   (26-connectivity: faces, edges and corners), drop components with fewer than `minPoints` points.
 *   Linear time; the voxel size is the gap that separates instances.
 * - `dbscan`: classic DBSCAN (Ester et al. 1996) with Euclidean radius `eps`; neighbour queries on a
 *   uniform grid of cell size eps (27 cells per query).
 *
 * Both return a per-point instance id (Int32Array, −1 = not selected / noise / too small) and one
 * `Instance` per id. Ids are ordered by size, largest first (ties: the instance holding the lower
 * point index first), so id 0 is the main object and results are deterministic.
 *
 * Positions are row-major Float32Array [N, 3]; `mask` is Uint8Array [N] (non-zero = selected) or
 * null for all points. Points with a non-finite coordinate are never selected. Self-contained: the
 * small spatial hash below is this file's own.
 */

export type Vec3 = readonly [number, number, number];

export interface Instance {
  readonly id: number;
  /** Number of points. */
  readonly count: number;
  readonly centroid: Vec3;
  /** Axis-aligned bounds of the points. */
  readonly min: Vec3;
  readonly max: Vec3;
}

export interface Instances {
  /** Instance id per point, −1 = none. */
  readonly instanceIds: Int32Array;
  readonly instances: readonly Instance[];
}

// ---------------------------------------------------------------------------------------------
// Spatial hash: integer cell (x, y, z) → dense id, open addressing with linear probing
// ---------------------------------------------------------------------------------------------

const CELL_LIMIT = 2 ** 30; // cell coordinates (and their ±1 neighbours) stay exact int32s

class CellHash {
  private readonly keys: Int32Array;
  private readonly ids: Int32Array;
  private readonly slotMask: number;
  /** Cell coordinates by id. */
  readonly cx: Int32Array;
  readonly cy: Int32Array;
  readonly cz: Int32Array;
  size = 0;

  constructor(maxCells: number) {
    let capacity = 16;
    while (capacity < maxCells * 2) capacity *= 2;
    this.keys = new Int32Array(capacity * 3);
    this.ids = new Int32Array(capacity).fill(-1);
    this.slotMask = capacity - 1;
    this.cx = new Int32Array(Math.max(1, maxCells));
    this.cy = new Int32Array(Math.max(1, maxCells));
    this.cz = new Int32Array(Math.max(1, maxCells));
  }

  private slot(x: number, y: number, z: number): number {
    let h = Math.imul(x, 0x8da6b343) ^ Math.imul(y, 0xd8163841) ^ Math.imul(z, 0xcb1ab31f);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h & this.slotMask;
  }

  /** The id of cell (x, y, z), or −1. */
  get(x: number, y: number, z: number): number {
    for (let s = this.slot(x, y, z); ; s = (s + 1) & this.slotMask) {
      const id = this.ids[s]!;
      if (id < 0) return -1;
      if (this.keys[s * 3] === x && this.keys[s * 3 + 1] === y && this.keys[s * 3 + 2] === z) return id;
    }
  }

  /** The id of cell (x, y, z), added with the next id when new. */
  intern(x: number, y: number, z: number): number {
    for (let s = this.slot(x, y, z); ; s = (s + 1) & this.slotMask) {
      const id = this.ids[s]!;
      if (id < 0) {
        const fresh = this.size++;
        this.ids[s] = fresh;
        this.keys[s * 3] = x;
        this.keys[s * 3 + 1] = y;
        this.keys[s * 3 + 2] = z;
        this.cx[fresh] = x;
        this.cy[fresh] = y;
        this.cz[fresh] = z;
        return fresh;
      }
      if (this.keys[s * 3] === x && this.keys[s * 3 + 1] === y && this.keys[s * 3 + 2] === z) return id;
    }
  }
}

/** Selected points with finite coordinates, in index order. */
function selectedPoints(positions: Float32Array, mask: Uint8Array | null): Int32Array {
  if (positions.length % 3 !== 0) throw new Error(`clustering: ${positions.length} position floats is not [N, 3]`);
  const n = positions.length / 3;
  if (mask && mask.length !== n) throw new Error(`clustering: mask has ${mask.length} entries for ${n} points`);
  const out = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    if (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)) out[count++] = i;
  }
  return out.slice(0, count);
}

/**
 * Buckets `points` into cells of side `size`. Returns the hash and, per entry of `points`, its cell
 * id, plus a CSR listing (cellStart [cells + 1], cellPoints) of the point indices in each cell,
 * in index order.
 */
function bucket(positions: Float32Array, points: Int32Array, size: number) {
  const hash = new CellHash(points.length);
  const cellOf = new Int32Array(points.length);
  const inv = 1 / size;
  for (let k = 0; k < points.length; k++) {
    const i = points[k]!;
    const x = Math.floor(positions[i * 3]! * inv);
    const y = Math.floor(positions[i * 3 + 1]! * inv);
    const z = Math.floor(positions[i * 3 + 2]! * inv);
    if (Math.abs(x) >= CELL_LIMIT || Math.abs(y) >= CELL_LIMIT || Math.abs(z) >= CELL_LIMIT) {
      throw new RangeError(`clustering: point ${i} is ${CELL_LIMIT} cells from the origin at cell size ${size}; use a larger size`);
    }
    cellOf[k] = hash.intern(x, y, z);
  }
  const cells = hash.size;
  const cellStart = new Int32Array(cells + 1);
  for (let k = 0; k < points.length; k++) cellStart[cellOf[k]! + 1] = cellStart[cellOf[k]! + 1]! + 1;
  for (let c = 0; c < cells; c++) cellStart[c + 1] = cellStart[c + 1]! + cellStart[c]!;
  const fill = cellStart.slice(0, cells);
  const cellPoints = new Int32Array(points.length);
  for (let k = 0; k < points.length; k++) {
    const c = cellOf[k]!;
    cellPoints[fill[c]!] = points[k]!;
    fill[c] = fill[c]! + 1;
  }
  return { hash, cellOf, cellStart, cellPoints };
}

/**
 * Relabels raw cluster labels (per point, −1 = none, 0..clusters−1) so ids run largest first (ties:
 * lower first point index first), and computes each instance's statistics. Clusters with fewer
 * than `minPoints` points become −1. Writes `labels` in place and returns the instances.
 */
function finalise(positions: Float32Array, labels: Int32Array, clusters: number, minPoints: number): Instance[] {
  const count = new Int32Array(clusters);
  const first = new Int32Array(clusters).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c < 0) continue;
    count[c] = count[c]! + 1;
    if (first[c]! < 0) first[c] = i;
  }
  const kept = Array.from({ length: clusters }, (_, c) => c)
    .filter((c) => count[c]! >= minPoints)
    .sort((a, b) => count[b]! - count[a]! || first[a]! - first[b]!);
  const remap = new Int32Array(clusters).fill(-1);
  kept.forEach((c, id) => (remap[c] = id));
  const k = kept.length;
  const sum = new Float64Array(k * 3);
  const lo = new Float64Array(k * 3).fill(Infinity);
  const hi = new Float64Array(k * 3).fill(-Infinity);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    const id = c < 0 ? -1 : remap[c]!;
    labels[i] = id;
    if (id < 0) continue;
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a]!;
      sum[id * 3 + a] = sum[id * 3 + a]! + v;
      if (v < lo[id * 3 + a]!) lo[id * 3 + a] = v;
      if (v > hi[id * 3 + a]!) hi[id * 3 + a] = v;
    }
  }
  return kept.map((c, id) => {
    const n = count[c]!;
    const o = id * 3;
    return {
      id,
      count: n,
      centroid: [sum[o]! / n, sum[o + 1]! / n, sum[o + 2]! / n] as const,
      min: [lo[o]!, lo[o + 1]!, lo[o + 2]!] as const,
      max: [hi[o]!, hi[o + 1]!, hi[o + 2]!] as const,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Connected components on a voxel grid
// ---------------------------------------------------------------------------------------------

export interface VoxelComponentsOptions {
  /** Components with fewer points are dropped (their points get −1). Default 1. */
  readonly minPoints?: number;
}

/** The 13 neighbour offsets with (dz, dy, dx) lexicographically positive: half of the 26. */
const FORWARD_NEIGHBOURS: readonly Vec3[] = (() => {
  const out: Vec3[] = [];
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) out.push([dx, dy, dz]);
      }
    }
  }
  return out;
})();

/**
 * Connected components of the occupied voxels (side `voxelSize`, cells ⌊p / voxelSize⌋) under
 * 26-connectivity; every selected point takes its voxel's component. Union–find over voxels,
 * each voxel checking its 13 forward neighbours.
 */
export function connectedComponentsOnVoxelGrid(
  positions: Float32Array,
  mask: Uint8Array | null,
  voxelSize: number,
  options: VoxelComponentsOptions = {},
): Instances {
  if (!(voxelSize > 0) || !Number.isFinite(voxelSize))
    throw new Error(`connectedComponentsOnVoxelGrid: voxel size must be a positive number, got ${voxelSize}`);
  const minPoints = options.minPoints ?? 1;
  const points = selectedPoints(positions, mask);
  const labels = new Int32Array(positions.length / 3).fill(-1);
  const { hash, cellOf } = bucket(positions, points, voxelSize);
  const cells = hash.size;

  const parent = new Int32Array(cells);
  for (let c = 0; c < cells; c++) parent[c] = c;
  const find = (c: number): number => {
    while (parent[c] !== c) {
      const grand = parent[parent[c]!]!;
      parent[c] = grand;
      c = grand;
    }
    return c;
  };
  for (let c = 0; c < cells; c++) {
    const x = hash.cx[c]!;
    const y = hash.cy[c]!;
    const z = hash.cz[c]!;
    for (const [dx, dy, dz] of FORWARD_NEIGHBOURS) {
      const other = hash.get(x + dx, y + dy, z + dz);
      if (other < 0) continue;
      const ra = find(c);
      const rb = find(other);
      if (ra !== rb) {
        // The smaller root wins: labels do not depend on hash layout.
        if (ra < rb) parent[rb] = ra;
        else parent[ra] = rb;
      }
    }
  }
  const component = new Int32Array(cells).fill(-1);
  let clusters = 0;
  for (let c = 0; c < cells; c++) {
    const r = find(c);
    if (component[r]! < 0) component[r] = clusters++;
    component[c] = component[r]!;
  }
  for (let k = 0; k < points.length; k++) labels[points[k]!] = component[cellOf[k]!]!;
  const instances = finalise(positions, labels, clusters, minPoints);
  return { instanceIds: labels, instances };
}

// ---------------------------------------------------------------------------------------------
// DBSCAN
// ---------------------------------------------------------------------------------------------

/**
 * DBSCAN over the selected points: a point is core when at least `minPts` selected points
 * (itself included, as in scikit-learn) lie within distance `eps` (inclusive); clusters are the
 * eps-connected core points plus the border points they reach (a border point reachable from two
 * clusters joins the one discovered first, scanning points in index order); everything else is
 * noise (−1).
 */
export function dbscan(positions: Float32Array, mask: Uint8Array | null, eps: number, minPts: number): Instances {
  if (!(eps > 0) || !Number.isFinite(eps)) throw new Error(`dbscan: eps must be a positive number, got ${eps}`);
  if (!Number.isInteger(minPts) || minPts < 1) throw new Error(`dbscan: minPts must be a positive integer, got ${minPts}`);
  const points = selectedPoints(positions, mask);
  const n = positions.length / 3;
  const labels = new Int32Array(n).fill(-1);
  const { hash, cellOf, cellStart, cellPoints } = bucket(positions, points, eps);
  const eps2 = eps * eps;
  const slotOf = new Int32Array(n).fill(-1); // point index → entry in `points`
  for (let k = 0; k < points.length; k++) slotOf[points[k]!] = k;

  /**
   * Calls `visit(j)` for every selected point j within eps of point i (i included) until `visit`
   * returns false.
   */
  const neighbours = (i: number, visit: (j: number) => boolean): void => {
    const c = cellOf[slotOf[i]!]!;
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    const cx = hash.cx[c]!;
    const cy = hash.cy[c]!;
    const cz = hash.cz[c]!;
    for (let dz = -1; dz <= 1; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const cell = hash.get(cx + dx, cy + dy, cz + dz);
          if (cell < 0) continue;
          for (let s = cellStart[cell]!, end = cellStart[cell + 1]!; s < end; s++) {
            const j = cellPoints[s]!;
            const ex = positions[j * 3]! - x;
            const ey = positions[j * 3 + 1]! - y;
            const ez = positions[j * 3 + 2]! - z;
            if (ex * ex + ey * ey + ez * ez <= eps2 && !visit(j)) return;
          }
        }
      }
    }
  };

  const core = new Uint8Array(n);
  let found = 0;
  const countUpTo = (): boolean => ++found < minPts;
  for (let k = 0; k < points.length; k++) {
    const i = points[k]!;
    found = 0;
    neighbours(i, countUpTo);
    if (found >= minPts) core[i] = 1;
  }

  const queue = new Int32Array(points.length);
  let clusters = 0;
  let tail = 0;
  let current = 0;
  const expand = (j: number): boolean => {
    if (labels[j]! < 0) {
      labels[j] = current;
      if (core[j]) queue[tail++] = j;
    }
    return true;
  };
  for (let k = 0; k < points.length; k++) {
    const i = points[k]!;
    if (!core[i] || labels[i]! >= 0) continue;
    current = clusters++;
    labels[i] = current;
    let head = 0;
    tail = 0;
    queue[tail++] = i;
    while (head < tail) neighbours(queue[head++]!, expand);
  }
  const instances = finalise(positions, labels, clusters, 1);
  return { instanceIds: labels, instances };
}

/**
 * The instance list of ids that are already final (dense 0..k−1, largest first — as every function
 * here returns them), e.g. read back from an exported PLY: the same numbers the clustering gave.
 */
export function instancesFromIds(positions: Float32Array, instanceIds: Int32Array): Instance[] {
  let clusters = 0;
  for (let i = 0; i < instanceIds.length; i++) if (instanceIds[i]! >= clusters) clusters = instanceIds[i]! + 1;
  return finalise(positions, Int32Array.from(instanceIds), clusters, 1);
}
