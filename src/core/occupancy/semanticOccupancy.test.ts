import { describe, expect, it } from 'vitest';
import { occupancyHeader, semanticOccupancy } from './semanticOccupancy.ts';

// Hand-placed points on a 0.1 m grid; every expected voxel below was worked out on paper.
// x: 0.05 → cell 0, 0.15 → 1, 0.25 → 2; y: −0.05 → −1 (origin snaps down to −0.1); z: 0.31 → 3.
const points = [
  [0.05, -0.05, 0.31], // A: cell (0, 0, 0) relative to the origin (0, −0.1, 0.3)
  [0.06, -0.04, 0.32], // A
  [0.07, -0.03, 0.33], // A
  [0.25, 0.05, 0.31], // B: cell (2, 1, 0)
  [0.25, 0.05, 0.45], // C: cell (2, 1, 1)
];

function cloud() {
  return { count: points.length, positions: new Float32Array(points.flat()) };
}

const flat = (ix: number, iy: number, iz: number, shape: readonly number[]) => (ix * shape[1]! + iy) * shape[2]! + iz;

describe('semanticOccupancy', () => {
  it('snaps the origin to the voxel size and sizes the grid to the cloud', () => {
    const grid = semanticOccupancy(cloud(), 0.1);
    expect(grid.originMetres[0]).toBeCloseTo(0, 9);
    expect(grid.originMetres[1]).toBeCloseTo(-0.1, 9);
    expect(grid.originMetres[2]).toBeCloseTo(0.3, 9);
    expect(grid.shape).toEqual([3, 2, 2]);
    const occupied = [...grid.occupancy.keys()].filter((c) => grid.occupancy[c] === 1);
    expect(occupied).toEqual([flat(0, 0, 0, grid.shape), flat(2, 1, 0, grid.shape), flat(2, 1, 1, grid.shape)].sort((a, b) => a - b));
    expect(grid.pointCounts[flat(0, 0, 0, grid.shape)]).toBe(3);
    expect(grid.labels.every((l) => l === -1)).toBe(true);
    expect(grid.relevancy.every(Number.isNaN)).toBe(true);
  });

  it('takes the majority label (ties to the smaller id, background wins its majority) and the mean relevancy', () => {
    const labels = new Int32Array([2, 1, 2, -1, 1]);
    const relevancy = new Float32Array([0.2, 0.4, NaN, 0.9, 0.5]);
    const grid = semanticOccupancy({ ...cloud(), labels, relevancy }, 0.1);
    const a = flat(0, 0, 0, grid.shape),
      b = flat(2, 1, 0, grid.shape),
      c = flat(2, 1, 1, grid.shape);
    expect([grid.labels[a], grid.labels[b], grid.labels[c]]).toEqual([2, -1, 1]);
    expect(grid.relevancy[a]).toBeCloseTo(0.3, 6); // (0.2 + 0.4) / 2, the NaN ignored
    expect(grid.relevancy[b]).toBeCloseTo(0.9, 6);
    expect(Number.isNaN(grid.relevancy[flat(1, 0, 0, grid.shape)]!)).toBe(true);
    const tie = semanticOccupancy({ count: 2, positions: new Float32Array([0.01, 0.01, 0.01, 0.02, 0.02, 0.02]), labels: new Int32Array([3, 1]) }, 0.1);
    expect([...tie.labels]).toEqual([1]);
  });

  it('writes a header naming origin, voxel, axes and labels', () => {
    const grid = semanticOccupancy(cloud(), 0.1);
    const header = occupancyHeader(grid, { labelNames: ['mug', 'plate'], relevancyQuery: 'mug', files: { occupancy: 'o.npy', labels: 'l.npy', relevancy: 'r.npy' } });
    expect(header.axes).toEqual(['x', 'y', 'z']);
    expect(header.occupiedVoxels).toBe(3);
    expect(header.labelNames).toEqual(['mug', 'plate']);
    expect(header.voxelMetres).toBe(0.1);
  });

  it('refuses a grid too large, naming the voxel to choose', () => {
    const far = { count: 2, positions: new Float32Array([0, 0, 0, 100, 100, 100]) };
    expect(() => semanticOccupancy(far, 0.01)).toThrow(/choose a voxel of at least/);
    expect(() => semanticOccupancy(cloud(), 0)).toThrow(/positive number of metres/);
  });
});
