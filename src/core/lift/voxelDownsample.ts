/**
 * Voxel down-sampling: one point per occupied voxel (cells of `voxelSizeMetres` anchored at the
 * world origin, see voxelGrid.ts).
 *
 * Each output point has
 * - the mean position of the voxel's points (accumulated in float64, stored as float32);
 * - the mean colour, per channel rounded to the nearest integer (halves up);
 * - the view and pixel of its representative: the input point closest to that mean (the lowest
 *   input index on ties), so results can still be drawn back onto the input images.
 * Output order is the order in which voxels are first occupied in the input: deterministic.
 *
 * Bring-your-own features follow the same voxels with `voxelDownsampleFeatures(values, dim,
 * result.assignment, result.cloud.count)`, which averages each voxel's feature rows.
 *
 * Ownership: inputs are only read; every returned array is fresh.
 */
import type { PointCloud } from './pointCloud.ts';
import { assignVoxels, groupByCell } from './voxelGrid.ts';
import { float32ToFloat16Bits, halfTable } from '../features/float16.ts';
import { asWorldPoints } from '../units.ts';

export interface VoxelDownsampleResult {
  readonly cloud: PointCloud;
  /** For each output point, the input index of its representative point; length cloud.count. */
  readonly sourceIndex: Uint32Array;
  /** For each input point, the output point (voxel) it was merged into; length input count. */
  readonly assignment: Uint32Array;
  /** Number of input points merged into each output point; length cloud.count. */
  readonly pointsPerVoxel: Uint32Array;
}

export function voxelDownsample(cloud: PointCloud, voxelSizeMetres: number): VoxelDownsampleResult {
  const n = cloud.count;
  const { positions, colors } = cloud;
  const grid = assignVoxels(positions, n, voxelSizeMetres);
  const cells = grid.cellCount;
  const assignment = grid.cellOfPoint;

  const sumPos = new Float64Array(cells * 3);
  const sumCol = new Float64Array(cells * 3);
  const pointsPerVoxel = new Uint32Array(cells);
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    const c3 = c * 3;
    const i3 = i * 3;
    sumPos[c3]! += positions[i3]!;
    sumPos[c3 + 1]! += positions[i3 + 1]!;
    sumPos[c3 + 2]! += positions[i3 + 2]!;
    sumCol[c3]! += colors[i3]!;
    sumCol[c3 + 1]! += colors[i3 + 1]!;
    sumCol[c3 + 2]! += colors[i3 + 2]!;
    pointsPerVoxel[c]!++;
  }

  const outPositions = new Float32Array(cells * 3);
  const outColors = new Uint8Array(cells * 3);
  for (let c = 0; c < cells; c++) {
    const inv = 1 / pointsPerVoxel[c]!;
    for (let a = 0; a < 3; a++) {
      const mean = sumPos[c * 3 + a]! * inv;
      sumPos[c * 3 + a] = mean; // the float64 mean, used below to pick representatives
      outPositions[c * 3 + a] = mean;
      outColors[c * 3 + a] = Math.floor(sumCol[c * 3 + a]! * inv + 0.5);
    }
  }

  // Representative: the point closest to its voxel's (float64) mean; first index wins ties.
  const bestDist = new Float64Array(cells).fill(Infinity);
  const sourceIndex = new Uint32Array(cells);
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    const dx = positions[i * 3]! - sumPos[c * 3]!;
    const dy = positions[i * 3 + 1]! - sumPos[c * 3 + 1]!;
    const dz = positions[i * 3 + 2]! - sumPos[c * 3 + 2]!;
    const d = dx * dx + dy * dy + dz * dz;
    if (d < bestDist[c]!) {
      bestDist[c] = d;
      sourceIndex[c] = i;
    }
  }

  const viewIndex = new Uint16Array(cells);
  const pixelIndex = new Uint32Array(cells);
  for (let c = 0; c < cells; c++) {
    const s = sourceIndex[c]!;
    viewIndex[c] = cloud.viewIndex[s]!;
    pixelIndex[c] = cloud.pixelIndex[s]!;
  }

  return {
    cloud: { count: cells, positions: asWorldPoints(outPositions), colors: outColors, viewIndex, pixelIndex },
    sourceIndex,
    assignment,
    pointsPerVoxel,
  };
}

/**
 * Averages per-point features over the voxels of a down-sampling: row o of the result is the mean
 * (accumulated in float64) of the rows i of `features` with assignment[i] = o.
 *
 * @param features row-major [N, dim] float32, or binary16 bits (the result then is halves too), N = assignment.length
 * @param assignment input point → output point, e.g. VoxelDownsampleResult.assignment
 * @param outputCount number of output points (every value of `assignment` is below it)
 * @returns row-major [outputCount, dim]; a row no point maps to is all zeros
 *
 * Means of unit vectors (CLIP-style embeddings) are shorter than 1; re-normalise afterwards when
 * the consumer expects unit length.
 */
export function voxelDownsampleFeatures<Rows extends Float32Array | Uint16Array>(
  features: Rows,
  dim: number,
  assignment: Uint32Array,
  outputCount: number,
): Rows {
  const n = assignment.length;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`voxelDownsampleFeatures: dim must be a positive integer, found ${dim}`);
  if (features.length !== n * dim) {
    throw new RangeError(`voxelDownsampleFeatures: ${n} points × ${dim} dims need ${n * dim} values, found ${features.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (assignment[i]! >= outputCount)
      throw new RangeError(`voxelDownsampleFeatures: point ${i} is assigned to output ${assignment[i]}, but there are only ${outputCount}`);
  }
  const { cellStart, cellPoints } = groupByCell(assignment, outputCount);
  const halves = features instanceof Uint16Array ? halfTable() : null;
  const out = new (features.constructor as new (length: number) => Rows)(outputCount * dim);
  const acc = new Float64Array(dim);
  for (let c = 0; c < outputCount; c++) {
    const start = cellStart[c]!;
    const end = cellStart[c + 1]!;
    if (end === start) continue;
    acc.fill(0);
    for (let j = start; j < end; j++) {
      const row = cellPoints[j]! * dim;
      if (halves) for (let d = 0; d < dim; d++) acc[d]! += halves[features[row + d]!]!;
      else for (let d = 0; d < dim; d++) acc[d]! += features[row + d]!;
    }
    const inv = 1 / (end - start);
    const o = c * dim;
    if (halves) for (let d = 0; d < dim; d++) out[o + d] = float32ToFloat16Bits(acc[d]! * inv);
    else for (let d = 0; d < dim; d++) out[o + d] = acc[d]! * inv;
  }
  return out;
}
