/**
 * The only module in FieldLens that imports onnxruntime-node: native ONNX Runtime for the CLI
 * (CPU kernels on native threads; the CUDA execution provider where its libraries were installed).
 * It offers the same `OrtSession` as ortRuntime.ts (onnxruntime-web), so the model wrappers and the
 * scene engine run unchanged on either.
 *
 * onnxruntime-node is not a dependency (≈ 290 MB unpacked: every platform's binaries): the CLI
 * installs it on demand and passes the URL of its entry module here, so this module imports it
 * by URL and names no package — and nothing else in the tree can import it by accident.
 */
import type { OrtSession, OrtSessionFactory, TensorInput, TensorOutput } from './ortRuntime.ts';

/** The slice of onnxruntime-node's API used here (it re-exports onnxruntime-common's types). */
interface NativeTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}
interface NativeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, NativeTensor>): Promise<Record<string, NativeTensor>>;
  release(): Promise<void>;
}
interface NativeOrtModule {
  readonly InferenceSession: { create(bytes: Uint8Array, options: object): Promise<NativeSession> };
  readonly Tensor: new (type: string, data: Float32Array | BigInt64Array, dims: readonly number[]) => NativeTensor;
}

export interface NativeRuntimeOptions {
  /** file: URL of onnxruntime-node's entry module. */
  readonly moduleUrl: string;
  /** Intra-op threads per session (the cores this process may use). */
  readonly threads: number;
  /** Try the CUDA execution provider first (its libraries must be installed beside the package). */
  readonly cuda: boolean;
}

export interface NativeRuntime {
  readonly openSession: OrtSessionFactory;
  readonly threads: number;
}

export async function loadNativeRuntime(o: NativeRuntimeOptions): Promise<NativeRuntime> {
  const imported = (await import(o.moduleUrl)) as NativeOrtModule & { default?: NativeOrtModule };
  const ort = imported.InferenceSession ? imported : imported.default!;
  // Runs on this runtime are queued like onnxruntime-web's: one model at a time owns the threads.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  const create = (bytes: Uint8Array, cuda: boolean) =>
    ort.InferenceSession.create(bytes, {
      executionProviders: cuda ? ['cuda', 'cpu'] : ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: o.threads,
      interOpNumThreads: 1,
    });
  let cudaFailure: string | null = null;
  const openSession: OrtSessionFactory = async (bytes) => {
    let session: NativeSession | null = null;
    let backend: 'cpu' | 'cuda' = 'cpu';
    if (o.cuda && cudaFailure === null) {
      try {
        session = await serialised(() => create(bytes, true));
        backend = 'cuda';
      } catch (error) {
        // Reported once: a node without a GPU (or without CUDA 12 / cuDNN 9) still runs on CPU.
        cudaFailure = (error as Error).message;
        console.warn(`onnxruntime-node: the CUDA execution provider could not be used (${cudaFailure}); running on CPU`);
      }
    }
    session ??= await serialised(() => create(bytes, false));
    const opened = session;
    const wrapped: OrtSession = {
      backend,
      inputNames: opened.inputNames,
      outputNames: opened.outputNames,
      run: (feeds) => serialised(() => runNative(ort, opened, feeds)),
      release: () => serialised(() => opened.release()),
    };
    return wrapped;
  };
  return { openSession, threads: o.threads };
}

async function runNative(ort: NativeOrtModule, session: NativeSession, feeds: Record<string, TensorInput>): Promise<Record<string, TensorOutput>> {
  const nativeFeeds: Record<string, NativeTensor> = {};
  for (const [name, t] of Object.entries(feeds)) nativeFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  const results = await session.run(nativeFeeds);
  const out: Record<string, TensorOutput> = {};
  for (const [name, tensor] of Object.entries(results)) {
    // The CLI opens fp32 files only (fp16 variants are chosen for WebGPU with shader-f16).
    if (tensor.type !== 'float32') throw new Error(`output ${name}: expected float32, the model produced ${tensor.type}`);
    out[name] = { data: tensor.data as Float32Array, dims: tensor.dims };
  }
  return out;
}
