import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/build/onnxGraph.ts';
import { createOrtSession, resolveBackend } from './ortRuntime.ts';

/** y = x · W with W = [[1, 2], [3, 4], [5, 6]]: small enough to check by hand. */
function matMulModel(): Uint8Array {
  const g = new GraphBuilder();
  const w = g.constant('w', 'float32', [3, 2], [1, 2, 3, 4, 5, 6]);
  g.node('MatMul', ['x', w], {}, ['y']);
  return g.build('matmul', [{ name: 'x', type: 'float32', shape: ['N', 3] }], [{ name: 'y', type: 'float32', shape: ['N', 2] }], 'test');
}

describe('ortRuntime', () => {
  it('falls back to WASM where no WebGPU adapter exists (Node), and refuses an explicit WebGPU request', async () => {
    expect(await resolveBackend('auto')).toBe('wasm');
    await expect(resolveBackend('webgpu')).rejects.toThrow(/no WebGPU adapter/);
  });

  it('reports the backend and runs a model to hand-computed outputs', async () => {
    const session = await createOrtSession(matMulModel(), 'auto');
    expect(session.backend).toBe('wasm');
    expect(session.inputNames).toEqual(['x']);
    const out = await session.run({ x: { type: 'float32', data: new Float32Array([1, 0, 0, 1, 1, 1]), dims: [2, 3] } });
    expect(Array.from(out.y!.data)).toEqual([1, 2, 9, 12]);
    expect(out.y!.dims).toEqual([2, 2]);
  });

  it('serialises concurrent runs on one session: all succeed with their own results', async () => {
    const session = await createOrtSession(matMulModel(), 'wasm');
    const runs = Array.from({ length: 8 }, (_, i) =>
      session.run({ x: { type: 'float32', data: new Float32Array([i, 0, 0]), dims: [1, 3] } }).then((r) => Array.from(r.y!.data)),
    );
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 8 }, (_, i) => [i, 2 * i]));
  });

  it('a failing run rejects without poisoning the queue', async () => {
    const session = await createOrtSession(matMulModel(), 'wasm');
    await expect(session.run({ x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } })).rejects.toThrow();
    const ok = await session.run({ x: { type: 'float32', data: new Float32Array([0, 1, 0]), dims: [1, 3] } });
    expect(Array.from(ok.y!.data)).toEqual([3, 4]);
  });
});
