/**
 * Voxel view of a coloured cloud: one cube per occupied voxel (cells of `voxelSizeMetres` anchored
 * at the world origin, as in voxelGrid.ts), drawn at the cell centre with the mean of the display
 * colours of its points. The colours are whatever the current colour mode shows (RGB, heatmap,
 * labels …), so voxel mode always agrees with point mode.
 *
 * An optional axis-aligned box (metres, world frame) keeps only the points inside it (inclusive),
 * matching the crop box of the point view.
 *
 * Ownership: inputs are only read; every returned array is fresh.
 */
import { assignVoxels } from './voxelGrid.ts';

export interface AxisBox {
  readonly min: readonly [number, number, number];
  readonly max: readonly [number, number, number];
}

export interface DisplayVoxels {
  readonly count: number;
  /** Edge length of each cube, metres. */
  readonly voxelSize: number;
  /** Cell centres, xyz per voxel, metres. */
  readonly centres: Float32Array;
  /** Mean display colour per voxel, rounded (halves up). */
  readonly colors: Uint8Array;
}

function inside(positions: Float32Array, i: number, box: AxisBox): boolean {
  for (let a = 0; a < 3; a++) {
    const v = positions[i * 3 + a]!;
    if (v < box.min[a]! || v > box.max[a]!) return false;
  }
  return true;
}

/** The points kept by `box`, as fresh position and colour arrays. */
function cropPoints(positions: Float32Array, colors: Uint8Array, count: number, box: AxisBox): { positions: Float32Array; colors: Uint8Array; count: number } {
  let kept = 0;
  for (let i = 0; i < count; i++) if (inside(positions, i, box)) kept++;
  const p = new Float32Array(kept * 3);
  const c = new Uint8Array(kept * 3);
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (!inside(positions, i, box)) continue;
    p.set(positions.subarray(i * 3, i * 3 + 3), k * 3);
    c.set(colors.subarray(i * 3, i * 3 + 3), k * 3);
    k++;
  }
  return { positions: p, colors: c, count: kept };
}

/** Voxels of the first `count` points; `colors` holds 3 display-colour bytes per point. */
export function displayVoxels(positions: Float32Array, colors: Uint8Array, count: number, voxelSizeMetres: number, box: AxisBox | null = null): DisplayVoxels {
  if (colors.length < count * 3) throw new RangeError(`display voxels: ${count} points need ${count * 3} colour bytes, found ${colors.length}`);
  const points = box ? cropPoints(positions, colors, count, box) : { positions, colors, count };
  const grid = assignVoxels(points.positions, points.count, voxelSizeMetres);
  const cells = grid.cellCount;
  const sums = new Float64Array(cells * 3);
  const members = new Uint32Array(cells);
  for (let i = 0; i < points.count; i++) {
    const c = grid.cellOfPoint[i]!;
    sums[c * 3]! += points.colors[i * 3]!;
    sums[c * 3 + 1]! += points.colors[i * 3 + 1]!;
    sums[c * 3 + 2]! += points.colors[i * 3 + 2]!;
    members[c]!++;
  }
  const centres = new Float32Array(cells * 3);
  const out = new Uint8Array(cells * 3);
  for (let c = 0; c < cells; c++) {
    const inv = 1 / members[c]!;
    for (let a = 0; a < 3; a++) {
      centres[c * 3 + a] = (grid.cellCoords[c * 3 + a]! + 0.5) * voxelSizeMetres;
      out[c * 3 + a] = Math.floor(sums[c * 3 + a]! * inv + 0.5);
    }
  }
  return { count: cells, voxelSize: voxelSizeMetres, centres, colors: out };
}
