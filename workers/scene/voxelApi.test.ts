import { describe, expect, it } from 'vitest';
import type { SceneSession } from './session.ts';
import { voxelApi } from './voxelApi.ts';

/** A session whose installed cloud is `positions` (all the voxel call reads of it). */
function sessionWith(positions: Float32Array | null): () => SceneSession {
  const scene = positions ? { loaded: { cloud: { positions, count: positions.length / 3 } } } : null;
  return () => ({ scene }) as unknown as SceneSession;
}

/** Independent reference: string-keyed cells, mean colour per cell rounded half up, keyed by centre. */
function referenceVoxels(positions: Float32Array, colors: Uint8Array, size: number): Map<string, number[]> {
  const sums = new Map<string, { cell: number[]; sum: number[]; n: number }>();
  for (let i = 0; i < positions.length / 3; i++) {
    const cell = [0, 1, 2].map((a) => Math.floor(positions[i * 3 + a]! / size));
    const key = cell.join(',');
    const entry = sums.get(key) ?? { cell, sum: [0, 0, 0], n: 0 };
    for (let a = 0; a < 3; a++) entry.sum[a]! += colors[i * 3 + a]!;
    entry.n++;
    sums.set(key, entry);
  }
  const out = new Map<string, number[]>();
  for (const { cell, sum, n } of sums.values())
    out.set(
      cell.map((c) => Math.fround((c + 0.5) * size).toFixed(6)).join(','),
      sum.map((s) => Math.floor(s / n + 0.5)),
    );
  return out;
}

describe('the scene worker voxel call', () => {
  const positions = new Float32Array([0.01, 0.01, 0.01, 0.03, 0.02, 0.01, 0.5, -0.3, 0.2, 0.51, -0.29, 0.21, -0.05, 0, 0]);
  const colors = new Uint8Array([10, 20, 30, 11, 21, 31, 200, 0, 0, 100, 50, 25, 7, 7, 7]);

  it('voxelises its own cloud with the page colours, as an independent reference does', async () => {
    for (const size of [0.02, 0.05, 1]) {
      const voxels = await voxelApi(sessionWith(positions)).displayVoxels(colors, 'rgb', 5, size, null);
      const got = new Map<string, number[]>();
      for (let v = 0; v < voxels.count; v++) {
        const centre = [0, 1, 2].map((a) => voxels.centres[v * 3 + a]!.toFixed(6)).join(',');
        got.set(centre, Array.from(voxels.colors.subarray(v * 3, v * 3 + 3)));
      }
      expect(voxels.voxelSize).toBe(size);
      expect(got).toEqual(referenceVoxels(positions, colors, size));
    }
  });

  it('keeps only the points inside the crop box', async () => {
    const voxels = await voxelApi(sessionWith(positions)).displayVoxels(colors, 'rgb', 5, 0.05, { min: [0, 0, 0], max: [0.1, 0.1, 0.1] });
    expect(voxels.count).toBe(1);
    expect(Array.from(voxels.colors)).toEqual([11, 21, 31]); // (10+11)/2 = 10.5 → 11 (halves up)
  });

  it('reuses the colours it keeps when none are sent, and refuses a request for colours it does not keep', async () => {
    const api = voxelApi(sessionWith(positions));
    await expect(api.displayVoxels(null, 'rgb', 5, 0.05, null)).rejects.toThrow('keeps no display colours for rgb');
    const sent = await api.displayVoxels(colors.slice(), 'rgb', 5, 0.05, null);
    const reused = await api.displayVoxels(null, 'rgb', 5, 0.05, null);
    expect(Array.from(reused.colors)).toEqual(Array.from(sent.colors));
    await expect(api.displayVoxels(null, 'heatmap', 5, 0.05, null)).rejects.toThrow('keeps no display colours for heatmap');
  });

  it('refuses colours drawn for a cloud of another size, and a session without a cloud', async () => {
    await expect(voxelApi(sessionWith(positions)).displayVoxels(colors, 'rgb', 4, 0.02, null)).rejects.toThrow(
      'the page drew 4 points, the scene worker holds 5',
    );
    await expect(voxelApi(sessionWith(null)).displayVoxels(colors, 'rgb', 5, 0.02, null)).rejects.toThrow('no point cloud is loaded');
  });
});
