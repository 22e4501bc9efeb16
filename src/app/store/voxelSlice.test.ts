import { describe, expect, it, vi } from 'vitest';

/** Each worker call waits until the test answers it. */
const calls: { size: number; colors: Uint8Array | null; answer: (count: number) => void; fail: (error: Error) => void }[] = [];
vi.mock('../../../workers/scene/client.ts', () => ({
  isQuietError: () => false,
  sceneWorker: {
    call: (_method: string, [colors, , , size]: [Uint8Array | null, string, number, number]) =>
      new Promise((resolve, reject) => {
        calls.push({
          size,
          colors,
          answer: (count) => resolve({ count, voxelSize: size, centres: new Float32Array(count * 3), colors: new Uint8Array(count * 3) }),
          fail: reject,
        });
      }),
  },
}));

const { requestDisplayVoxels } = await import('./voxelSlice.ts');
const { useFieldLens } = await import('./store.ts');
const { drawBuffers } = await import('./drawBuffers.ts');

const request = (size: number, colors = new Uint8Array([1, 2, 3]), colorsKey = 'rgb') => ({
  key: `k${size}|${colorsKey}`,
  sceneVersion: 1,
  colors,
  colorsKey,
  pointCount: 1,
  voxelSizeMetres: size,
  box: null,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('voxel requests (a voxel-size drag)', () => {
  it('computes the size in flight and then only the latest; the stale answer is dropped, the shown cubes stay until then', async () => {
    requestDisplayVoxels(request(0.01));
    requestDisplayVoxels(request(0.02));
    requestDisplayVoxels(request(0.03));
    await settle();
    expect(calls.map((c) => c.size)).toEqual([0.01]);
    calls[0]!.answer(5);
    await settle();
    // 0.01 is no longer wanted: not shown; 0.02 was never sent.
    expect(useFieldLens.getState().voxels).toBeNull();
    expect(calls.map((c) => c.size)).toEqual([0.01, 0.03]);
    calls[1]!.answer(7);
    await settle();
    expect(useFieldLens.getState().voxels).toEqual({ key: 'k0.03|rgb', sceneVersion: 1, count: 7, failed: false });
    expect(drawBuffers.voxels?.voxelSize).toBe(0.03);
  });

  it('sends the colours once per colours key, as a copy (the page rewrites its colour cache in place)', async () => {
    // The drag above sent the 'rgb' colours with its first request only.
    expect(calls.map((c) => c.colors !== null)).toEqual([true, false]);
    const colors = new Uint8Array([9, 9, 9]);
    requestDisplayVoxels(request(0.04, colors, 'heatmap'));
    await settle();
    const sent = calls.at(-1)!;
    expect(sent.colors).not.toBe(colors);
    expect(Array.from(sent.colors!)).toEqual([9, 9, 9]);
    sent.answer(1);
    await settle();
  });

  it('sends the colours again when the worker keeps none (a restarted worker)', async () => {
    requestDisplayVoxels(request(0.045, new Uint8Array([4, 5, 6]), 'heatmap'));
    await settle();
    expect(calls.at(-1)!.colors).toBeNull();
    calls.at(-1)!.fail(new Error('voxel view: the scene worker keeps no display colours for heatmap'));
    await settle();
    expect(Array.from(calls.at(-1)!.colors!)).toEqual([4, 5, 6]);
    calls.at(-1)!.answer(2);
    await settle();
    expect(useFieldLens.getState().voxels).toMatchObject({ key: 'k0.045|heatmap', count: 2, failed: false });
  });

  it('a refused latest request is reported and marks the view failed (the points stay drawn)', async () => {
    requestDisplayVoxels(request(0.05));
    await settle();
    calls.at(-1)!.fail(new Error('voxel view: a point is too far from the origin'));
    await settle();
    expect(useFieldLens.getState().voxels).toMatchObject({ key: 'k0.05|rgb', failed: true });
    expect(useFieldLens.getState().errors.map((e) => e.message)).toContain('voxel view: a point is too far from the origin');
  });
});
