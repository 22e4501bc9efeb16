/**
 * Semantic occupancy (DistillNeRF's 3D output, from a point cloud): a dense voxel grid over the
 * cloud's box with, per voxel, whether any point falls in it, the majority label of its points and
 * the mean relevancy of its points.
 *
 * Grid: world frame, metres. The origin is the minimum corner snapped down to a multiple of the
 * voxel size (grids of the same size from different scenes line up); voxel (ix, iy, iz) spans
 * origin + voxel·[i, i + 1) on each axis. Arrays are C order with shape [nx, ny, nz]: the flat index
 * is (ix·ny + iy)·nz + iz. Empty voxels: occupancy 0, label −1, relevancy NaN. A voxel whose points'
 * majority label is background (−1) also has label −1; ties go to the smaller label id.
 */

export interface OccupancyInput {
  readonly count: number;
  /** xyz metres, world frame; length 3·count. */
  readonly positions: Float32Array;
  /** Per-point label id (−1 = background), or null. */
  readonly labels?: Int32Array | null;
  /** Per-point relevancy, or null; NaN values are ignored. */
  readonly relevancy?: Float32Array | null;
}

export interface OccupancyGrid {
  /** Minimum corner of voxel (0, 0, 0), metres, world frame. */
  readonly originMetres: readonly [number, number, number];
  readonly voxelMetres: number;
  /** [nx, ny, nz]. */
  readonly shape: readonly [number, number, number];
  /** 1 where at least one point falls in the voxel. */
  readonly occupancy: Uint8Array;
  /** Points per voxel. */
  readonly pointCounts: Int32Array;
  /** Majority label per voxel (−1: empty, background, or no labels given). */
  readonly labels: Int32Array;
  /** Mean relevancy of the voxel's points (NaN: empty, or no relevancy given). */
  readonly relevancy: Float32Array;
}

/** Largest grid built (cells): 64 M cells hold 0.6 GB of arrays; larger asks for a coarser voxel. */
export const MAX_OCCUPANCY_CELLS = 64 * 1024 * 1024;

export function semanticOccupancy(input: OccupancyInput, voxelMetres: number): OccupancyGrid {
  if (!(voxelMetres > 0) || !Number.isFinite(voxelMetres)) throw new Error(`occupancy: voxel size must be a positive number of metres, found ${voxelMetres}`);
  const { count, positions } = input;
  if (input.labels && input.labels.length !== count) throw new Error(`occupancy: ${input.labels.length} labels for ${count} points`);
  if (input.relevancy && input.relevancy.length !== count) throw new Error(`occupancy: ${input.relevancy.length} relevancy values for ${count} points`);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[3 * i + a]!;
      if (v < lo[a]!) lo[a] = v;
      if (v > hi[a]!) hi[a] = v;
    }
  }
  if (count === 0 || !lo.every(Number.isFinite)) throw new Error('occupancy: the cloud has no finite points');
  const first = lo.map((v) => Math.floor(v / voxelMetres));
  const shape = [0, 1, 2].map((a) => Math.floor(hi[a]! / voxelMetres) - first[a]! + 1) as [number, number, number];
  const cells = shape[0] * shape[1] * shape[2];
  if (cells > MAX_OCCUPANCY_CELLS) {
    const extent = [0, 1, 2].map((a) => hi[a]! - lo[a]!);
    const minVoxel = Math.cbrt((extent[0]! * extent[1]! * extent[2]!) / MAX_OCCUPANCY_CELLS);
    throw new Error(
      `occupancy: a ${voxelMetres} m voxel grid over ${extent.map((e) => e.toFixed(2)).join(' × ')} m is ${shape.join(' × ')} = ${cells} cells (at most ${MAX_OCCUPANCY_CELLS}); choose a voxel of at least ${minVoxel.toFixed(3)} m`,
    );
  }
  const origin = first.map((f) => f * voxelMetres) as [number, number, number];
  const cellOf = new Int32Array(count);
  const pointCounts = new Int32Array(cells);
  for (let i = 0; i < count; i++) {
    // Clamped: float rounding may put a point on the far edge of the last voxel.
    const ix = clampIndex(Math.floor(positions[3 * i]! / voxelMetres) - first[0]!, shape[0]);
    const iy = clampIndex(Math.floor(positions[3 * i + 1]! / voxelMetres) - first[1]!, shape[1]);
    const iz = clampIndex(Math.floor(positions[3 * i + 2]! / voxelMetres) - first[2]!, shape[2]);
    const cell = (ix * shape[1] + iy) * shape[2] + iz;
    cellOf[i] = cell;
    pointCounts[cell]!++;
  }
  const occupancy = new Uint8Array(cells);
  for (let c = 0; c < cells; c++) occupancy[c] = pointCounts[c]! > 0 ? 1 : 0;
  return {
    originMetres: origin,
    voxelMetres,
    shape,
    occupancy,
    pointCounts,
    labels: input.labels ? majorityLabels(cellOf, input.labels, cells) : new Int32Array(cells).fill(-1),
    relevancy: input.relevancy ? meanPerCell(cellOf, input.relevancy, cells) : new Float32Array(cells).fill(NaN),
  };
}

const clampIndex = (i: number, n: number): number => (i < 0 ? 0 : i >= n ? n - 1 : i);

function meanPerCell(cellOf: Int32Array, values: Float32Array, cells: number): Float32Array {
  const sum = new Float64Array(cells);
  const n = new Int32Array(cells);
  for (let i = 0; i < cellOf.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    sum[cellOf[i]!]! += v;
    n[cellOf[i]!]!++;
  }
  const out = new Float32Array(cells);
  for (let c = 0; c < cells; c++) out[c] = n[c]! > 0 ? sum[c]! / n[c]! : NaN;
  return out;
}

/** Majority vote per occupied cell, background (−1) included as a candidate; ties → smaller id. */
function majorityLabels(cellOf: Int32Array, labels: Int32Array, cells: number): Int32Array {
  // Points sorted by cell, then one vote count per run of equal cells (no per-cell map).
  const order = Array.from({ length: cellOf.length }, (_, i) => i).sort((a, b) => cellOf[a]! - cellOf[b]! || labels[a]! - labels[b]!);
  const out = new Int32Array(cells).fill(-1);
  let k = 0;
  while (k < order.length) {
    const cell = cellOf[order[k]!]!;
    let best = -1,
      bestVotes = 0;
    while (k < order.length && cellOf[order[k]!] === cell) {
      const label = labels[order[k]!]!;
      let votes = 0;
      while (k < order.length && cellOf[order[k]!] === cell && labels[order[k]!] === label) {
        votes++;
        k++;
      }
      // Labels arrive in ascending order, so a strict > keeps the smaller id on a tie.
      if (votes > bestVotes) {
        best = label < 0 ? -1 : label;
        bestVotes = votes;
      }
    }
    out[cell] = best;
  }
  return out;
}

/** The JSON header written beside the arrays. */
export interface OccupancyHeader {
  readonly format: 'fieldlens-occupancy@1';
  readonly frame: string;
  readonly originMetres: readonly [number, number, number];
  readonly voxelMetres: number;
  readonly shape: readonly [number, number, number];
  readonly axes: readonly ['x', 'y', 'z'];
  readonly order: string;
  readonly labelNames: readonly string[];
  readonly relevancyQuery: string | null;
  readonly occupiedVoxels: number;
  readonly files: Readonly<Record<'occupancy' | 'labels' | 'relevancy', string>>;
}

export function occupancyHeader(
  grid: OccupancyGrid,
  meta: { readonly labelNames: readonly string[]; readonly relevancyQuery: string | null; readonly files: OccupancyHeader['files'] },
): OccupancyHeader {
  let occupied = 0;
  for (const o of grid.occupancy) occupied += o;
  return {
    format: 'fieldlens-occupancy@1',
    frame: 'world, metres (the scene frame FieldLens shows)',
    originMetres: grid.originMetres,
    voxelMetres: grid.voxelMetres,
    shape: grid.shape,
    axes: ['x', 'y', 'z'],
    order: 'C order, array index [ix, iy, iz]; voxel (ix, iy, iz) spans originMetres + voxelMetres·[i, i + 1) per axis; labels −1 = empty or background; relevancy NaN = empty',
    labelNames: meta.labelNames,
    relevancyQuery: meta.relevancyQuery,
    occupiedVoxels: occupied,
    files: meta.files,
  };
}
