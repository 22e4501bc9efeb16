/**
 * The k nearest spatial neighbours of every point (metres), from a hash grid whose cells hold about
 * k points: candidates are the 27 cells around a point's own, so a neighbour farther than one cell
 * may be missed (the list is then shorter, never wrong about distance order). Used by feature
 * pruning and refinement (SparseDFF's neighbourhoods).
 */
import { chooseKnnCellSize } from '../lift/outlierFilter.ts';
import { buildVoxelGrid, neighbourCells } from '../lift/voxelGrid.ts';

export interface Neighbours {
  readonly k: number;
  /** [count, k] point indices, nearest first; −1 pads a shorter list. */
  readonly index: Int32Array;
  /** [count, k] squared distances (m²), Infinity where padded. */
  readonly squaredDistance: Float32Array;
}

export function spatialNeighbours(positions: Float32Array, count: number, k: number): Neighbours {
  const index = new Int32Array(count * k).fill(-1);
  const squaredDistance = new Float32Array(count * k).fill(Infinity);
  if (count < 2) return { k, index, squaredDistance };
  const grid = buildVoxelGrid(positions, count, chooseKnnCellSize(positions, count, k));
  const cells = new Int32Array(27);
  for (let c = 0; c < grid.cellCount; c++) {
    const n = neighbourCells(grid, c, cells);
    for (let a = grid.cellStart[c]!; a < grid.cellStart[c + 1]!; a++) {
      const i = grid.cellPoints[a]!;
      const x = positions[3 * i]!,
        y = positions[3 * i + 1]!,
        z = positions[3 * i + 2]!;
      const base = i * k;
      for (let t = 0; t < n; t++) {
        const cell = cells[t]!;
        for (let b = grid.cellStart[cell]!; b < grid.cellStart[cell + 1]!; b++) {
          const j = grid.cellPoints[b]!;
          if (j === i) continue;
          const d = (positions[3 * j]! - x) ** 2 + (positions[3 * j + 1]! - y) ** 2 + (positions[3 * j + 2]! - z) ** 2;
          if (d >= squaredDistance[base + k - 1]!) continue;
          let s = k - 1;
          while (s > 0 && squaredDistance[base + s - 1]! > d) {
            squaredDistance[base + s] = squaredDistance[base + s - 1]!;
            index[base + s] = index[base + s - 1]!;
            s--;
          }
          squaredDistance[base + s] = d;
          index[base + s] = j;
        }
      }
    }
  }
  return { k, index, squaredDistance };
}

/** Cosine of rows i and j of [count, dim] features (0 when either is zero). */
export function rowCosine(values: Float32Array, dim: number, i: number, j: number): number {
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let d = 0; d < dim; d++) {
    const x = values[i * dim + d]!;
    const y = values[j * dim + d]!;
    dot += x * y;
    a += x * x;
    b += y * y;
  }
  return a > 0 && b > 0 ? dot / Math.sqrt(a * b) : 0;
}
