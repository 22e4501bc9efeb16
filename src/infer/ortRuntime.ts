/**
 * The only module in FieldLens that imports onnxruntime-web. It runs in the scene worker
 * (browser) and under Node (CLI, unit tests); it touches neither DOM nor React nor three.
 *
 * Responsibilities (as transformers.js's backends/onnx.js):
 * - pick execution providers: WebGPU when a hardware adapter exists, else WASM (threaded when the
 *   page is cross-origin isolated), and report the provider a session was actually created on;
 * - serialise session creation and runs: concurrent `run` calls on one session fail in
 *   onnxruntime-web, and two WebGPU sessions racing for the device are slower than a queue.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { decodeHalves } from '../core/features/float16.ts';
import { withWasmFallback } from './backendFallback.ts';

/** The providers onnxruntime-web offers (page, worker, and Node's fallback). */
export type WebBackend = 'webgpu' | 'wasm';
/** Where a session's kernels run; `cpu` / `cuda` = native ONNX Runtime under Node (ortNativeRuntime.ts). */
export type ExecutionBackend = WebBackend | 'cpu' | 'cuda';
/**
 * What the caller asks for: `auto` = WebGPU when a hardware adapter exists, else WASM; `webgpu`
 * takes any adapter, software ones included (SwiftShader in headless CI).
 */
export type BackendPreference = 'auto' | WebBackend;

export type TensorElement = 'float32' | 'int64';
export interface TensorInput {
  readonly type: TensorElement;
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
}
export interface TensorOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface OrtSession {
  /** The provider this session was created on: the one that runs its kernels. */
  readonly backend: ExecutionBackend;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Why the session runs on another backend than asked (WebGPU lost or absent), for the user; null when as asked. */
  readonly backendNote?: string | null;
  /** Runs the model; runs across all sessions of this runtime are queued, never concurrent. */
  run(feeds: Record<string, TensorInput>): Promise<Record<string, TensorOutput>>;
  release(): Promise<void>;
}

/**
 * Reads a model's bytes again (from Cache Storage, else the network), for a WebGPU session that
 * must reopen on WASM: with one, the session holds no copy of its model (≈ 300 MB for real CLIP).
 */
export type ModelBytesReader = () => Promise<Uint8Array>;

/** Opens a session from ONNX bytes: this module's `createOrtSession`, or another runtime's (native under Node). */
export type OrtSessionFactory = (modelBytes: Uint8Array, preference: BackendPreference, rereadBytes?: ModelBytesReader) => Promise<OrtSession>;

let queue: Promise<unknown> = Promise.resolve();
/** Chains `task` after every earlier task; a failed task does not poison the queue. */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

interface WebGpuProbe {
  readonly adapter: boolean;
  /**
   * A software rasteriser (SwiftShader, or any adapter flagged as a fallback): a first query
   * there took 60–117 s against 3–5 s on WASM in the same page, so `auto` skips it.
   */
  readonly software: boolean;
  /** The adapter offers `shader-f16`: fp16 model variants run natively there. */
  readonly shaderF16: boolean;
}

/** The parts of a GPUAdapter the probe reads (older Chromium has `isFallbackAdapter` on the adapter, newer on `info`). */
export interface AdapterFacts {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly isFallbackAdapter?: boolean; readonly architecture?: string; readonly vendor?: string; readonly description?: string };
  readonly features?: { has(name: string): boolean };
}

/** Whether an adapter is a software one: flagged as fallback, or SwiftShader by name. */
export function isSoftwareAdapter(adapter: AdapterFacts): boolean {
  if (adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true) return true;
  const names = [adapter.info?.architecture, adapter.info?.description].map((n) => (n ?? '').toLowerCase());
  return names.some((n) => n.includes('swiftshader'));
}

let webgpuProbe: Promise<WebGpuProbe> | undefined;
/** Probed once per runtime: whether a WebGPU adapter can be had here, whether it is software, its f16 support. */
function probeWebGpu(): Promise<WebGpuProbe> {
  webgpuProbe ??= (async () => {
    const none = { adapter: false, software: false, shaderF16: false };
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterFacts | null> } } }).navigator?.gpu;
    if (!gpu) return none;
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return none;
      return { adapter: true, software: isSoftwareAdapter(adapter), shaderF16: adapter.features?.has('shader-f16') === true };
    } catch {
      return none;
    }
  })();
  return webgpuProbe;
}

export async function hasWebGpuAdapter(): Promise<boolean> {
  return (await probeWebGpu()).adapter;
}

/** Whether the WebGPU adapter supports `shader-f16` (false without an adapter). */
export async function hasShaderF16(): Promise<boolean> {
  return (await probeWebGpu()).shaderF16;
}

let wasmConfigured = false;
function configureWasm(): void {
  if (wasmConfigured) return;
  wasmConfigured = true;
  // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP/COEP headers).
  // Without isolation onnxruntime-web would try and fail; one thread still works everywhere.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  ort.env.wasm.numThreads = isolated ? Math.max(1, Math.min(4, cores)) : 1;
}

/** Whether models would run on a software WebGPU adapter (only when WebGPU is forced: `auto` picks WASM there). */
export async function runsOnSoftwareGpu(preference: BackendPreference): Promise<boolean> {
  return (await resolveBackend(preference)) === 'webgpu' && (await probeWebGpu()).software;
}

export async function resolveBackend(preference: BackendPreference): Promise<WebBackend> {
  if (preference === 'wasm') return 'wasm';
  const probe = await probeWebGpu();
  // Forced WebGPU without an adapter runs on WASM; createOrtSession's session says so (NO_ADAPTER_NOTE).
  if (preference === 'webgpu') return probe.adapter ? 'webgpu' : 'wasm';
  return probe.adapter && !probe.software ? 'webgpu' : 'wasm';
}

/**
 * Creates a session on the preferred backend; falls back from WebGPU to WASM on `auto`, and to
 * WASM with a note when WebGPU was asked for but no adapter exists. A WebGPU session re-runs on
 * WASM when a run fails there (withWasmFallback): it reopens the model from `rereadBytes` when
 * given, and only otherwise keeps the bytes for that.
 */
export async function createOrtSession(modelBytes: Uint8Array, preference: BackendPreference, rereadBytes?: ModelBytesReader): Promise<OrtSession> {
  configureWasm();
  if (preference === 'webgpu' && !(await hasWebGpuAdapter())) {
    const session = await serialised(() => openSession(modelBytes, 'wasm'));
    return { ...session, backendNote: NO_ADAPTER_NOTE };
  }
  const backend = await resolveBackend(preference);
  let session: OrtSession;
  try {
    session = await serialised(() => openSession(modelBytes, backend));
  } catch (error) {
    if (backend === 'webgpu' && preference === 'auto') return serialised(() => openSession(modelBytes, 'wasm'));
    throw error;
  }
  return backend === 'webgpu' ? withWasmFallback(session, wasmReopener(rereadBytes ?? retained(modelBytes))) : session;
}

/** A reader that answers the bytes it was given: the session then holds them for its whole life. */
function retained(modelBytes: Uint8Array): ModelBytesReader {
  return () => Promise.resolve(modelBytes);
}

/**
 * The WASM opener of a WebGPU session. A function of its own so that its closure captures only
 * the reader: a closure inside createOrtSession would share that scope, and keep `modelBytes` alive.
 */
export function wasmReopener(
  readBytes: ModelBytesReader,
  open: (bytes: Uint8Array) => Promise<OrtSession> = (bytes) => openSession(bytes, 'wasm'),
): () => Promise<OrtSession> {
  return async () => {
    const bytes = await readBytes();
    return serialised(() => open(bytes));
  };
}

/**
 * Destroys ONNX Runtime's WebGPU device, as a driver reset or a GPU-process crash loses it; for the
 * fault e2e test only (reached through the worker's fault hooks, absent from production builds).
 * Returns false when no WebGPU session was ever opened (there is no device to lose).
 */
export async function loseWebGpuDevice(): Promise<boolean> {
  if (!webGpuOpened) return false;
  const device = (await ort.env.webgpu.device) as { destroy(): void } | undefined;
  if (!device) return false;
  device.destroy();
  return true;
}
let webGpuOpened = false;

export const NO_ADAPTER_NOTE = 'WebGPU was asked for, but this browser has no WebGPU adapter: the models run on WASM';

async function openSession(modelBytes: Uint8Array, backend: WebBackend): Promise<OrtSession> {
  const session = await ort.InferenceSession.create(modelBytes, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
  });
  if (backend === 'webgpu') webGpuOpened = true;
  return {
    backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: (feeds) => serialised(() => runSession(session, feeds)),
    release: () => serialised(() => session.release()),
  };
}

async function runSession(session: ort.InferenceSession, feeds: Record<string, TensorInput>): Promise<Record<string, TensorOutput>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorOutput> = {};
  for (const [name, tensor] of Object.entries(results)) {
    if (tensor.type !== 'float32' && tensor.type !== 'float16') throw new Error(`output ${name}: expected float32, the model produced ${tensor.type}`);
    // getData() downloads GPU-resident outputs; for CPU outputs it returns the tensor's own array.
    const data = await tensor.getData();
    out[name] = { data: tensor.type === 'float16' ? float16ToFloat32(data as Uint16Array) : (data as Float32Array), dims: tensor.dims };
    tensor.dispose();
  }
  return out;
}

/**
 * Widens float16 outputs (fp16 exports that keep half-precision outputs) to float32, so callers
 * see one element type whatever variant ran. Accepts raw bits (Uint16Array) or a Float16Array.
 */
export function float16ToFloat32(half: ArrayLike<number>): Float32Array {
  return half instanceof Uint16Array ? decodeHalves(half) : Float32Array.from(half);
}
