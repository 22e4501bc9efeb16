/**
 * Model inference on WebGPU outside a browser: `FIELDLENS_DAWN=/path/to/webgpu/index.js npx tsx
 * src/bench/gpuInference.bench.ts [manifest.json]`.
 *
 * Chromium is too large to take to the lent GPU machine, so WebGPU figures there come from Dawn
 * (the `webgpu` npm package, the same WebGPU implementation Chromium uses) driving
 * onnxruntime-web's WebGPU provider under Node. FIELDLENS_DAWN names its index.js; it is not a
 * dependency of the repo. Prints, for every student and text model of the manifest, the time per
 * 100k points / per phrase on WebGPU and on WASM in the same run (the peer), and the WebGPU adapter.
 */
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../core/synth/prng.ts';
import { ClipTextEncoder, Student3d, type ModelSource } from '../infer/loadedModels.ts';
import { nodeModelSourceAt, readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { exitAfterWasm } from '../node/wasmExit.ts';
import { medianMs } from './timing.ts';

const dawnPath = process.env.FIELDLENS_DAWN;
if (!dawnPath) throw new Error('set FIELDLENS_DAWN to the index.js of the `webgpu` npm package (Dawn for Node)');
const dawn = (await import(pathToFileURL(dawnPath).href)) as {
  create(flags: string[]): { requestAdapter(): Promise<{ info: Record<string, string>; features: Set<string> } | null> };
  globals: Record<string, unknown>;
};
Object.assign(globalThis, dawn.globals);
// onnxruntime-web hands WebGPU views of its (shared) wasm memory; Dawn for Node accepts only
// views of plain ArrayBuffers, so those uploads are copied first (browsers accept both).
const queueProto = (
  dawn.globals.GPUQueue as {
    prototype: { writeBuffer: (this: unknown, buffer: unknown, offset: number, data: ArrayBufferView, dataOffset?: number, size?: number) => void };
  }
).prototype;
const writeBuffer = queueProto.writeBuffer;
queueProto.writeBuffer = function (this: unknown, buffer: unknown, offset: number, data: ArrayBufferView, dataOffset?: number, size?: number) {
  const plain = data.buffer instanceof SharedArrayBuffer ? new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : data;
  return writeBuffer.call(this, buffer, offset, plain, dataOffset, size);
};
// Dawn switches, e.g. FIELDLENS_DAWN_FLAGS='enable-dawn-features=allow_unsafe_apis' (comma-free list, space separated).
const gpu = dawn.create(process.env.FIELDLENS_DAWN_FLAGS?.split(' ').filter(Boolean) ?? []);
Object.defineProperty(globalThis, 'navigator', { value: { gpu, hardwareConcurrency: 1 }, configurable: true });
const adapter = await gpu.requestAdapter();
if (!adapter) throw new Error('Dawn found no WebGPU adapter (is a Vulkan driver installed?)');
console.log(
  `adapter: ${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}; shader-f16: ${adapter.features.has('shader-f16')}; features: ${[...adapter.features].sort().join(' ')}`,
);

const manifestPath = process.argv[2] ?? defaultManifestFile;
const manifest = readModelManifest(manifestPath);
const POINTS = Number(process.env.FIELDLENS_BENCH_POINTS ?? 100_000);

function source(backend: 'webgpu' | 'wasm'): ModelSource {
  return { ...nodeModelSourceAt(manifestPath), backend };
}

const random = mulberry32(7);
const positions = Float32Array.from({ length: POINTS * 3 }, () => random() * 2 - 1);
const colors = Uint8Array.from({ length: POINTS * 3 }, () => Math.floor(random() * 256));
let phrase = 0;
for (const entry of manifest.models) {
  if (entry.file.includes('://')) continue; // production weights are not on this machine
  const figures: string[] = [];
  for (const backend of ['webgpu', 'wasm'] as const) {
    if (entry.kind === 'student3d') {
      const student = await Student3d.load(source(backend), entry.id);
      const ms = await medianMs(5, () => student.infer(positions, colors, POINTS));
      figures.push(`${student.backend} ${((ms * 100_000) / POINTS).toFixed(1)} ms/100k pts`);
    } else if (entry.kind === 'clip-text') {
      const text = await ClipTextEncoder.load(source(backend), entry.id);
      const ms = await medianMs(9, () => text.encode([`a photo of a red mug number ${phrase++}`]));
      figures.push(`${text.backend} ${text.precision} ${ms.toFixed(2)} ms/phrase`);
    }
  }
  if (figures.length) console.log(`${entry.id}: ${figures.join(' | ')}`);
}
exitAfterWasm(0);
