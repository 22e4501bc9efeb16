import { describe, expect, it } from 'vitest';
import { displayVoxels } from './displayVoxels.ts';

describe('displayVoxels', () => {
  // Three points in voxel (0,0,0) of size 0.1 m, one in voxel (1,0,0), one in (−1,−1,0).
  const positions = new Float32Array([0.01, 0.02, 0.03, 0.05, 0.05, 0.05, 0.09, 0.01, 0.0, 0.15, 0.0, 0.0, -0.05, -0.01, 0.02]);
  const colors = new Uint8Array([10, 0, 255, 20, 0, 255, 31, 100, 0, 7, 8, 9, 1, 2, 3]);

  it('one voxel per occupied cell, at the cell centre, with the mean display colour', () => {
    const v = displayVoxels(positions, colors, 5, 0.1);
    expect(v.count).toBe(3);
    expect(v.voxelSize).toBe(0.1);
    const centres = Array.from(v.centres, (x) => Math.round(x * 1000) / 1000);
    expect(centres).toEqual([0.05, 0.05, 0.05, 0.15, 0.05, 0.05, -0.05, -0.05, 0.05]);
    // (10 + 20 + 31) / 3 = 20.33 → 20; (0 + 0 + 100) / 3 = 33.3 → 33; (255 + 255 + 0) / 3 = 170.
    expect(Array.from(v.colors)).toEqual([20, 33, 170, 7, 8, 9, 1, 2, 3]);
  });

  it('a larger voxel merges more points', () => {
    expect(displayVoxels(positions, colors, 5, 1).count).toBe(2);
    expect(displayVoxels(positions, colors, 5, 0.01).count).toBe(5);
  });

  it('the crop box keeps only points inside it', () => {
    const v = displayVoxels(positions, colors, 5, 0.1, { min: [0, -1, -1], max: [0.1, 1, 1] });
    expect(v.count).toBe(1);
    expect(Array.from(v.colors)).toEqual([20, 33, 170]);
  });

  it('refuses a colour array shorter than the points', () => {
    expect(() => displayVoxels(positions, colors.subarray(0, 6), 5, 0.1)).toThrow(/5 points need 15 colour bytes/);
  });
});
