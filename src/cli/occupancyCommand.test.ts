/**
 * `fieldlens occupancy` on a synthetic cloud whose grid is worked out by hand: occupied voxels,
 * shape, origin and the arrays' layout as the JSON header states it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../core/formats/npyEncode.ts';
import { parseNpy } from '../core/formats/npy.ts';
import { main } from './main.ts';

describe('fieldlens occupancy', () => {
  it('writes the occupancy grid and header a hand computation gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-occupancy-'));
    // Voxel 0.5 m. Points: (0.1, 0.1, 0.1) and (0.2, 0.3, 0.4) share voxel (0, 0, 0); (1.2, 0.1, 0.6) is in (2, 0, 1);
    // (−0.2, 0.7, 0.1) is in (−1, 1, 0). Grid origin = floor(min / 0.5)·0.5 = (−0.5, 0, 0); shape 4 × 2 × 2.
    const points = new Float32Array([0.1, 0.1, 0.1, 0.2, 0.3, 0.4, 1.2, 0.1, 0.6, -0.2, 0.7, 0.1]);
    writeFileSync(join(dir, 'points.npy'), encodeNpy(points, [4, 3]));
    const out = join(dir, 'grid');
    expect(await main(['occupancy', join(dir, 'points.npy'), '--voxel', '0.5', '--out', out, '--json'])).toBe(0);
    const header = JSON.parse(readFileSync(join(out, 'occupancy.json'), 'utf8')) as {
      originMetres: number[];
      voxelMetres: number;
      shape: number[];
      axes: string[];
      occupiedVoxels: number;
    };
    expect(header.shape).toEqual([4, 2, 2]);
    expect(header.originMetres).toEqual([-0.5, 0, 0]);
    expect(header.voxelMetres).toBe(0.5);
    expect(header.axes).toEqual(['x', 'y', 'z']);
    expect(header.occupiedVoxels).toBe(3);
    const occupancy = parseNpy(new Uint8Array(readFileSync(join(out, 'occupancy.npy'))), 'occupancy.npy');
    expect(occupancy.shape).toEqual([4, 2, 2]);
    // C order [ix, iy, iz] with ix counted from the origin: (0,0,0) → ix 1; (2,0,1) → ix 3; (−1,1,0) → ix 0.
    const at = (ix: number, iy: number, iz: number) => Number(occupancy.data[(ix * 2 + iy) * 2 + iz]);
    const occupied = [...occupancy.data].map(Number).reduce((a, b) => a + b, 0);
    expect([at(1, 0, 0), at(3, 0, 1), at(0, 1, 0), occupied]).toEqual([1, 1, 1, 3]);
    const labels = parseNpy(new Uint8Array(readFileSync(join(out, 'labels.npy'))), 'labels.npy');
    expect([...labels.data].every((v) => Number(v) === -1)).toBe(true);
  });
});
