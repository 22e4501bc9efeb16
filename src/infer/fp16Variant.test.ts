/**
 * fp16 variant selection through ClipTextEncoder.load under Node. The WebGPU adapter is a stand-in
 * (onnxruntime-web's WebGPU initialisation never settles under Node): the runtime module reports
 * the adapter the test chooses, and every session — the fp16 one included — really opens and runs
 * on onnxruntime-web's WASM backend. So the fp16 branch runs here: the fp16 file is fetched and
 * verified, its session asked for WebGPU, and its embeddings compared with the fp32 model's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { readModelManifest } from '../node/modelSource.ts';
import type { BackendPreference } from './ortRuntime.ts';
import { ClipTextEncoder, type ModelSource } from './loadedModels.ts';

/** The stand-in adapter, and the backend each session was asked for. */
const adapter = vi.hoisted(() => ({ webgpu: false, shaderF16: false, failFp16: false, requested: [] as string[] }));

vi.mock('./ortRuntime.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./ortRuntime.ts')>();
  return {
    ...real,
    resolveBackend: (preference: BackendPreference) => Promise.resolve(preference === 'wasm' || !adapter.webgpu ? 'wasm' : 'webgpu'),
    hasShaderF16: () => Promise.resolve(adapter.webgpu && adapter.shaderF16),
    createOrtSession: (bytes: Uint8Array, backend: BackendPreference) => {
      adapter.requested.push(backend);
      if (backend === 'webgpu' && adapter.failFp16) return Promise.reject(new Error('stand-in driver: shader compile failed'));
      return real.createOrtSession(bytes, 'wasm');
    },
  };
});

function sourceReading(files: string[], backend: ModelSource['backend']): ModelSource {
  return {
    manifest: readModelManifest(defaultManifestFile),
    baseUrl: pathToFileURL(defaultManifestFile),
    backend,
    fetch: {
      readLocalFile: (url) => {
        files.push(url.pathname.split('/').pop()!);
        return Promise.resolve(new Uint8Array(readFileSync(url)));
      },
      // node:crypto, as the Node model source (src/node/modelSource.ts) hashes.
      sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    },
  };
}

const PHRASES = ['yellow dice', 'a photo of a red mug', 'blue ball', 'wooden table'];

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // both L2-normalised
}

describe('fp16 variants', () => {
  beforeEach(() => {
    Object.assign(adapter, { webgpu: false, shaderF16: false, failFp16: false, requested: [] });
  });

  it('on WASM the fp16 file is never fetched', async () => {
    const files: string[] = [];
    const encoder = await ClipTextEncoder.load(sourceReading(files, 'wasm'));
    expect(files).toEqual(['tokenizer.json', 'clip-text-tiny.onnx']);
    expect(encoder.precision).toBe('fp32');
  });

  it('a WebGPU adapter without shader-f16 gets the fp32 file', async () => {
    adapter.webgpu = true;
    const files: string[] = [];
    const encoder = await ClipTextEncoder.load(sourceReading(files, 'auto'));
    expect(files).toEqual(['tokenizer.json', 'clip-text-tiny.onnx']);
    expect(encoder.precision).toBe('fp32');
  });

  it('a WebGPU adapter with shader-f16 gets the fp16 file, which gives the fp32 model’s embeddings to fp16 precision', async () => {
    Object.assign(adapter, { webgpu: true, shaderF16: true });
    const files: string[] = [];
    const fp16 = await ClipTextEncoder.load(sourceReading(files, 'auto'));
    expect(files).toEqual(['tokenizer.json', 'clip-text-tiny-fp16.onnx']);
    expect(adapter.requested).toEqual(['webgpu']);
    expect(fp16.precision).toBe('fp16');
    const fp32 = await ClipTextEncoder.load(sourceReading([], 'wasm'));
    const half = await fp16.encode(PHRASES);
    const full = await fp32.encode(PHRASES);
    for (let p = 0; p < PHRASES.length; p++) {
      expect(half[p]).toHaveLength(16);
      expect(cosine(half[p]!, full[p]!)).toBeGreaterThan(0.999);
    }
    // The variant really is another model file: not bit-identical to fp32.
    expect(half.some((h, p) => h.some((v, d) => v !== full[p]![d]))).toBe(true);
  });

  it('an fp16 session that fails to open falls back to fp32', async () => {
    Object.assign(adapter, { webgpu: true, shaderF16: true, failFp16: true });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const files: string[] = [];
    const encoder = await ClipTextEncoder.load(sourceReading(files, 'auto'));
    expect(files).toEqual(['tokenizer.json', 'clip-text-tiny-fp16.onnx', 'clip-text-tiny.onnx']);
    expect(encoder.precision).toBe('fp32');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('the fp16 variant could not be opened (stand-in driver: shader compile failed); using fp32'));
    warn.mockRestore();
  });
});
