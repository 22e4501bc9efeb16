/**
 * Segments of any per-point feature field by region growing that combines geometry and feature
 * similarity: points are pooled into voxels (edge `voxelSize`, metres; one mean normalised feature
 * per voxel), then regions grow from the most populous unassigned voxel across 26-connected occupied
 * voxels whose feature has cosine ≥ `minCosine` with the region's running mean feature. Comparing
 * with the region's mean (not the neighbour's) stops slow drift along a gradient from chaining two
 * objects together; the voxel gap stops two touching-in-feature but separate objects from merging.
 * Regions with fewer than `minPoints` points are dropped (−1). Ids by size, largest first.
 */
import { assignVoxels, neighbourCells } from '../lift/voxelGrid.ts';
import { forEachFeatureChunk, type PointFeatureRows, type Segmentation } from './segmentFeatures.ts';

export interface RegionGrowingOptions {
  readonly voxelSize?: number;
  readonly minCosine?: number;
  readonly minPoints?: number;
}

export const DEFAULT_REGION_GROWING: Required<RegionGrowingOptions> = { voxelSize: 0.02, minCosine: 0.9, minPoints: 30 };

export function regionGrowingSegments(positions: Float32Array, rows: PointFeatureRows, options: RegionGrowingOptions = {}): Segmentation {
  const o = { ...DEFAULT_REGION_GROWING, ...options };
  const n = rows.pointCount;
  const dim = rows.dim;
  const grid = assignVoxels(positions, n, o.voxelSize);
  const C = grid.cellCount;
  const cellFeatures = new Float64Array(C * dim);
  const cellCounts = new Uint32Array(C);
  forEachFeatureChunk(rows, (chunk, first, count) => {
    for (let k = 0; k < count; k++) {
      const c = grid.cellOfPoint[first + k]!;
      cellCounts[c]!++;
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += chunk[k * dim + d]! * chunk[k * dim + d]!;
      if (!(norm > 0)) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < dim; d++) cellFeatures[c * dim + d]! += chunk[k * dim + d]! * inv;
    }
  });
  for (let c = 0; c < C; c++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += cellFeatures[c * dim + d]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) cellFeatures[c * dim + d]! *= inv;
  }
  const regionOfCell = new Int32Array(C).fill(-1);
  const seeds = Uint32Array.from({ length: C }, (_, c) => c).sort((a, b) => cellCounts[b]! - cellCounts[a]! || a - b);
  const neighbours = new Int32Array(27);
  const mean = new Float64Array(dim);
  const queue = new Int32Array(C);
  const regionPoints: number[] = [];
  for (const seed of seeds) {
    if (regionOfCell[seed]! >= 0) continue;
    const region = regionPoints.length;
    let points = 0;
    mean.fill(0);
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    regionOfCell[seed] = region;
    while (head < tail) {
      const c = queue[head++]!;
      points += cellCounts[c]!;
      for (let d = 0; d < dim; d++) mean[d]! += cellFeatures[c * dim + d]! * cellCounts[c]!;
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += mean[d]! ** 2;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const found = neighbourCells(grid, c, neighbours);
      for (let k = 1; k < found; k++) {
        const m = neighbours[k]!;
        if (regionOfCell[m]! >= 0) continue;
        let cosine = 0;
        for (let d = 0; d < dim; d++) cosine += mean[d]! * inv * cellFeatures[m * dim + d]!;
        if (cosine < o.minCosine) continue;
        regionOfCell[m] = region;
        queue[tail++] = m;
      }
    }
    regionPoints.push(points);
  }
  // Renumber: kept regions by size, largest first (ties: the earlier region).
  const order = regionPoints.map((_, r) => r).filter((r) => regionPoints[r]! >= o.minPoints);
  order.sort((a, b) => regionPoints[b]! - regionPoints[a]! || a - b);
  const newId = new Int32Array(regionPoints.length).fill(-1);
  order.forEach((r, i) => (newId[r] = i));
  const segmentOfPoint = new Int32Array(n);
  for (let i = 0; i < n; i++) segmentOfPoint[i] = newId[regionOfCell[grid.cellOfPoint[i]!]!]!;
  return { segmentOfPoint, segmentCount: order.length };
}
