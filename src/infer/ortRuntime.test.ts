import { afterEach, describe, expect, it, vi } from 'vitest';
import { GraphBuilder } from '../../models/build/onnxGraph.ts';
import { createOrtSession, float16ToFloat32, isSoftwareAdapter, resolveBackend, wasmReopener, type AdapterFacts, type OrtSession } from './ortRuntime.ts';
import { withWasmFallback } from './backendFallback.ts';

/** y = x · W with W = [[1, 2], [3, 4], [5, 6]]: small enough to check by hand. */
function matMulModel(): Uint8Array {
  const g = new GraphBuilder();
  const w = g.constant('w', 'float32', [3, 2], [1, 2, 3, 4, 5, 6]);
  g.node('MatMul', ['x', w], {}, ['y']);
  return g.build('matmul', [{ name: 'x', type: 'float32', shape: ['N', 3] }], [{ name: 'y', type: 'float32', shape: ['N', 2] }], 'test');
}

describe('ortRuntime', () => {
  it('falls back to WASM where no WebGPU adapter exists (Node), an explicit WebGPU request included', async () => {
    expect(await resolveBackend('auto')).toBe('wasm');
    expect(await resolveBackend('webgpu')).toBe('wasm');
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

  it('a WebGPU session that fails reopens on WASM from its reader (Cache Storage), not from bytes it kept', async () => {
    let reads = 0;
    const reopen = wasmReopener(() => {
      reads++;
      return Promise.resolve(matMulModel());
    });
    const lostGpu: OrtSession = {
      backend: 'webgpu',
      inputNames: ['x'],
      outputNames: ['y'],
      run: () => Promise.reject(new Error('device lost')),
      release: () => Promise.resolve(),
    };
    const session = withWasmFallback(lostGpu, reopen);
    expect(reads).toBe(0);
    const out = await session.run({ x: { type: 'float32', data: new Float32Array([0, 0, 1]), dims: [1, 3] } });
    expect(Array.from(out.y!.data)).toEqual([5, 6]);
    expect(session.backend).toBe('wasm');
    await session.run({ x: { type: 'float32', data: new Float32Array([1, 0, 0]), dims: [1, 3] } });
    expect(reads).toBe(1);
  });

  it('a failing run rejects without poisoning the queue', async () => {
    const session = await createOrtSession(matMulModel(), 'wasm');
    await expect(session.run({ x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } })).rejects.toThrow();
    const ok = await session.run({ x: { type: 'float32', data: new Float32Array([0, 1, 0]), dims: [1, 3] } });
    expect(Array.from(ok.y!.data)).toEqual([3, 4]);
  });

  it('widens a float16 output to float32 (fp16 exports that keep half-precision outputs)', async () => {
    const g = new GraphBuilder();
    const w = g.constant('w', 'float16', [2], [0.5, -1]);
    g.node('Mul', [g.node('Cast', ['x'], { to: 10 }), w], {}, ['y']);
    const model = g.build('half_out', [{ name: 'x', type: 'float32', shape: [2] }], [{ name: 'y', type: 'float16', shape: [2] }], 'test');
    const session = await createOrtSession(model, 'wasm');
    const out = await session.run({ x: { type: 'float32', data: new Float32Array([3, 1 / 3]), dims: [2] } });
    expect(out.y!.data).toBeInstanceOf(Float32Array);
    // 1/3 rounds to 0.333251953125 in fp16: the value really went through half precision.
    expect(Array.from(out.y!.data)).toEqual([1.5, -0.333251953125]);
  });

  it('float16ToFloat32 decodes normals, subnormals, zero, infinities and NaN', () => {
    const bits = Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7bff]);
    expect(Array.from(float16ToFloat32(bits))).toEqual([1, -2, 2 ** -24, -0, Infinity, -Infinity, NaN, 65504]);
  });

  describe('auto skips software WebGPU adapters', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
      vi.resetModules();
    });
    /** A fresh copy of the module (the adapter probe is cached per module) on a page offering `adapter`. */
    async function runtimeWith(adapter: AdapterFacts | null) {
      vi.resetModules();
      vi.stubGlobal('navigator', { gpu: { requestAdapter: () => Promise.resolve(adapter) } });
      return import('./ortRuntime.ts');
    }
    // As Chromium reports them: SwiftShader (headless CI) and a discrete GPU.
    const swiftShader: AdapterFacts = { info: { vendor: 'google', architecture: 'swiftshader', description: '' } };
    const flagged: AdapterFacts = { isFallbackAdapter: true, info: { vendor: 'unknown', architecture: '' } };
    const nvidia: AdapterFacts = { isFallbackAdapter: false, info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' } };

    it('recognises SwiftShader by name and any adapter flagged as a fallback', () => {
      expect(isSoftwareAdapter(swiftShader)).toBe(true);
      expect(isSoftwareAdapter(flagged)).toBe(true);
      expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
      expect(isSoftwareAdapter(nvidia)).toBe(false);
    });

    it('auto → wasm on a software adapter, webgpu on a hardware one; an explicit webgpu takes either', async () => {
      for (const [adapter, auto] of [
        [swiftShader, 'wasm'],
        [flagged, 'wasm'],
        [nvidia, 'webgpu'],
      ] as const) {
        const runtime = await runtimeWith(adapter);
        expect(await runtime.resolveBackend('auto')).toBe(auto);
        expect(await runtime.resolveBackend('webgpu')).toBe('webgpu');
        expect(await runtime.resolveBackend('wasm')).toBe('wasm');
      }
    });
  });
});
