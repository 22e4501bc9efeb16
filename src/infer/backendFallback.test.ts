import { describe, expect, it } from 'vitest';
import { withWasmFallback } from './backendFallback.ts';
import { createOrtSession, NO_ADAPTER_NOTE, type OrtSession, type TensorInput } from './ortRuntime.ts';
import { GraphBuilder } from '../../models/build/onnxGraph.ts';

/** A stub session: `fail` makes its runs reject as a lost WebGPU device does; counts its runs. */
function stub(backend: 'webgpu' | 'wasm', output: number, fail = false): OrtSession & { runs: number; released: boolean } {
  const s = {
    backend,
    inputNames: ['x'],
    outputNames: ['y'],
    runs: 0,
    released: false,
    run: () => {
      s.runs++;
      if (fail) return Promise.reject(new Error('GPUDevice was lost: device destroyed'));
      return Promise.resolve({ y: { data: new Float32Array([output]), dims: [1] } });
    },
    release: () => {
      s.released = true;
      return Promise.resolve();
    },
  };
  return s;
}

const feeds = { x: { type: 'float32', data: new Float32Array([1]), dims: [1] } as TensorInput };

describe('WebGPU → WASM fallback', () => {
  it('a WebGPU device lost during a run: the run is retried on WASM, the session stays there and says why', async () => {
    const gpu = stub('webgpu', 1, true);
    const cpu = stub('wasm', 2);
    let opened = 0;
    const session = withWasmFallback(gpu, () => {
      opened++;
      return Promise.resolve(cpu);
    });
    expect(session.backend).toBe('webgpu');
    expect(session.backendNote).toBeNull();
    const [a, b] = await Promise.all([session.run(feeds), session.run(feeds)]);
    expect([a.y!.data[0], b.y!.data[0]]).toEqual([2, 2]);
    expect(opened).toBe(1);
    expect(gpu.released).toBe(true);
    expect(session.backend).toBe('wasm');
    expect(session.backendNote).toMatch(/^WebGPU failed during a run \(GPUDevice was lost: device destroyed\); it was retried on WASM/);
    await session.run(feeds);
    expect([gpu.runs, cpu.runs]).toEqual([2, 3]);
  });

  it('a WebGPU session that works is left alone', async () => {
    const session = withWasmFallback(stub('webgpu', 7), () => Promise.reject(new Error('not needed')));
    expect((await session.run(feeds)).y!.data[0]).toBe(7);
    expect([session.backend, session.backendNote]).toEqual(['webgpu', null]);
  });

  it('a failing WASM run is the model’s own error: passed on, no switch', async () => {
    const session = withWasmFallback(stub('wasm', 0, true), () => Promise.reject(new Error('must not open')));
    await expect(session.run(feeds)).rejects.toThrow(/GPUDevice was lost/);
  });

  it('WebGPU asked for where no adapter exists (Node): the session runs on WASM and says so', async () => {
    const g = new GraphBuilder();
    g.node('Identity', ['x'], {}, ['y']);
    const model = g.build('id', [{ name: 'x', type: 'float32', shape: [1] }], [{ name: 'y', type: 'float32', shape: [1] }], 'test');
    const session = await createOrtSession(model, 'webgpu');
    expect(session.backend).toBe('wasm');
    expect(session.backendNote).toBe(NO_ADAPTER_NOTE);
    expect(Array.from((await session.run({ x: { type: 'float32', data: new Float32Array([5]), dims: [1] } })).y!.data)).toEqual([5]);
  });
});
