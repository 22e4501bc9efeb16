/**
 * The CLIP text encoder and the 3D student as runnable objects: bytes fetched and verified by the
 * model loader, sessions opened by ortRuntime, and each session's signature checked against the
 * manifest before the first run (a wrong file fails here with both signatures named, not later
 * with an opaque runtime error).
 */
import { findModel, selectModelVariant, type ModelEntry, type ModelManifest, type ModelPrecision, type TensorSignature } from '../core/models/manifest.ts';
import { createClipTokenizer, type ClipTokenizer } from '../core/text/clipTokenizer.ts';
import { l2Normalize } from '../core/query/relevancy.ts';
import { unwindowRows, windowPoints, type WindowSpec } from '../core/models/pointWindows.ts';
import { encodeHalves } from '../core/features/float16.ts';
import { fetchModelBytes, type FetchOptions } from './modelLoader.ts';
import {
  createOrtSession,
  hasShaderF16,
  resolveBackend,
  type BackendPreference,
  type ExecutionBackend,
  type OrtSession,
  type OrtSessionFactory,
} from './ortRuntime.ts';

export interface ModelSource {
  readonly manifest: ModelManifest;
  /** Where relative model paths in the manifest resolve from (the manifest's own URL). */
  readonly baseUrl: URL;
  readonly backend: BackendPreference;
  readonly fetch?: FetchOptions;
  /** Models to use instead of the manifest's defaults. */
  readonly modelIds?: { readonly text?: string | undefined; readonly student?: string | undefined };
  /** Opens sessions on another runtime (the CLI's native ONNX Runtime); onnxruntime-web's when absent. */
  readonly openSession?: OrtSessionFactory;
}

function checkSignature(entry: ModelEntry, session: OrtSession): void {
  const names = (sigs: readonly TensorSignature[]) => sigs.map((s) => s.name);
  const missingIn = entry.inputs.filter((s) => !session.inputNames.includes(s.name));
  const missingOut = entry.outputs.filter((s) => !session.outputNames.includes(s.name));
  if (missingIn.length > 0 || missingOut.length > 0) {
    throw new Error(
      `model "${entry.id}": signature mismatch — the manifest expects inputs [${names(entry.inputs).join(', ')}] → outputs [${names(entry.outputs).join(', ')}], ` +
        `the ONNX file has inputs [${session.inputNames.join(', ')}] → outputs [${session.outputNames.join(', ')}]`,
    );
  }
}

interface OpenedModel {
  readonly session: OrtSession;
  readonly precision: ModelPrecision;
}

async function openFile(source: ModelSource, entry: ModelEntry, file: string, sha256: string, bytes: number, backend: BackendPreference): Promise<OrtSession> {
  // The same verified read again, from Cache Storage when the loader caches: what a WebGPU session
  // reopens on WASM from, instead of holding the bytes.
  const read = () => fetchModelBytes(new URL(file, source.baseUrl), { ...source.fetch, expectedSha256: sha256, expectedBytes: bytes });
  const session = await (source.openSession ?? createOrtSession)(await read(), backend, read);
  checkSignature(entry, session);
  return session;
}

/** Opens the entry's fp16 variant where the device runs fp16 natively, else (or if that fails) fp32. */
async function openModel(source: ModelSource, entry: ModelEntry): Promise<OpenedModel> {
  const backend = entry.variants?.fp16 ? await resolveBackend(source.backend) : 'wasm';
  const variant = selectModelVariant(entry, { backend, shaderF16: backend === 'webgpu' && (await hasShaderF16()) });
  if (variant.precision === 'fp16') {
    try {
      return { session: await openFile(source, entry, variant.file, variant.sha256, entry.variants!.fp16!.bytes, 'webgpu'), precision: 'fp16' };
    } catch (error) {
      // Some drivers advertise shader-f16 yet fail to compile a kernel: fp32 still works there.
      console.warn(`model "${entry.id}": the fp16 variant could not be opened (${(error as Error).message}); using fp32`);
    }
  }
  return { session: await openFile(source, entry, entry.file, entry.sha256, entry.bytes, source.backend), precision: 'fp32' };
}

export class ClipTextEncoder {
  private readonly cache = new Map<string, Float32Array>();
  private constructor(
    readonly entry: ModelEntry,
    readonly tokenizer: ClipTokenizer,
    private readonly session: OrtSession,
    /** The precision the session runs in (fp16 only on WebGPU with shader-f16). */
    readonly precision: ModelPrecision,
  ) {}

  get backend(): ExecutionBackend {
    return this.session.backend;
  }

  /** Why the model runs on another backend than asked (WebGPU lost or absent); null when as asked. */
  get backendNote(): string | null {
    return this.session.backendNote ?? null;
  }

  /** Frees the session (its WebGPU buffers or WASM memory); the object is unusable afterwards. */
  release(): Promise<void> {
    return this.session.release();
  }

  static async load(source: ModelSource, id = source.modelIds?.text): Promise<ClipTextEncoder> {
    const entry = findModel(source.manifest, 'clip-text', id);
    const spec = entry.tokenizer!;
    const tokenizerBytes = await fetchModelBytes(new URL(spec.file, source.baseUrl), {
      ...source.fetch,
      expectedSha256: spec.sha256,
      ...(spec.bytes !== undefined ? { expectedBytes: spec.bytes } : {}),
    });
    const tokenizer = createClipTokenizer(JSON.parse(new TextDecoder().decode(tokenizerBytes)), spec);
    const opened = await openModel(source, entry);
    return new ClipTextEncoder(entry, tokenizer, opened.session, opened.precision);
  }

  /** L2-normalised text embeddings, cached per text for the life of this encoder. */
  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length > 0) {
      const ctx = this.tokenizer.spec.contextLength;
      const input = this.entry.inputs[0]!;
      const output = this.entry.outputs[0]!;
      const result = await this.session.run({ [input.name]: { type: 'int64', data: this.tokenizer.encodeBatch(missing), dims: [missing.length, ctx] } });
      const embeds = result[output.name]!;
      const dim = this.entry.embeddingDim;
      if (embeds.dims[1] !== dim) throw new Error(`model "${this.entry.id}": produced ${embeds.dims[1]}-dimensional embeddings, the manifest says ${dim}`);
      missing.forEach((t, b) => this.cache.set(t, l2Normalize(embeds.data.slice(b * dim, (b + 1) * dim))));
    }
    return texts.map((t) => this.cache.get(t)!);
  }
}

/** Points per student run: bounds peak memory of one run (N·D floats out, activations inside). */
const STUDENT_CHUNK_POINTS = 65536;

export class Student3d {
  private constructor(
    readonly entry: ModelEntry,
    private readonly session: OrtSession,
  ) {}

  get backend(): ExecutionBackend {
    return this.session.backend;
  }

  /** Why the model runs on another backend than asked (WebGPU lost or absent); null when as asked. */
  get backendNote(): string | null {
    return this.session.backendNote ?? null;
  }

  /** Frees the session (its WebGPU buffers or WASM memory); the object is unusable afterwards. */
  release(): Promise<void> {
    return this.session.release();
  }

  static async load(source: ModelSource, id = source.modelIds?.student): Promise<Student3d> {
    const entry = findModel(source.manifest, 'student3d', id);
    return new Student3d(entry, (await openModel(source, entry)).session);
  }

  /**
   * Per-point features [count, D], row-major, as binary16 bits: each run's float32 output is
   * rounded into the halves as it arrives, so no float32 copy of the whole field ever exists.
   * Positions in world metres, colours 0..255. `wanted` is asked between runs: once it says no (the
   * cloud was replaced), the inference stops with an error instead of finishing work nobody needs.
   */
  async infer(positions: Float32Array, colors: Uint8Array, count: number, wanted: () => boolean = () => true): Promise<Uint16Array> {
    const windows = this.entry.preprocess?.windows;
    if (windows) return this.inferWindowed(positions, colors, count, windows, wanted);
    const dim = this.entry.embeddingDim;
    const [posSig, colSig] = this.entry.inputs;
    const outName = this.entry.outputs[0]!.name;
    const features = new Uint16Array(count * dim);
    for (let start = 0; start < count; start += STUDENT_CHUNK_POINTS) {
      this.checkWanted(wanted);
      const n = Math.min(STUDENT_CHUNK_POINTS, count - start);
      const rgb = new Float32Array(n * 3);
      for (let i = 0; i < n * 3; i++) rgb[i] = (colors[start * 3 + i] as number) / 255;
      const result = await this.session.run({
        [posSig!.name]: { type: 'float32', data: positions.slice(start * 3, (start + n) * 3), dims: [n, 3] },
        [colSig!.name]: { type: 'float32', data: rgb, dims: [n, 3] },
      });
      const out = result[outName]!;
      if (out.dims[0] !== n || out.dims[1] !== dim) {
        throw new Error(`model "${this.entry.id}": expected features [${n}, ${dim}], found [${out.dims.join(', ')}]`);
      }
      encodeHalves(out.data, features.subarray(start * dim, (start + n) * dim));
    }
    return features;
  }
  /** The windowed path (manifest `preprocess.windows`): Morton windows in, per-point rows out. */
  private checkWanted(wanted: () => boolean): void {
    if (!wanted()) throw new Error(`model "${this.entry.id}": the point cloud was replaced while its features were computed`);
  }

  private async inferWindowed(positions: Float32Array, colors: Uint8Array, count: number, spec: WindowSpec, wanted: () => boolean): Promise<Uint16Array> {
    const dim = this.entry.embeddingDim;
    const [posSig, colSig] = this.entry.inputs;
    const outName = this.entry.outputs[0]!.name;
    const windowed = windowPoints(positions, colors, count, spec);
    const W = spec.size;
    const perRun = Math.max(1, Math.floor(STUDENT_CHUNK_POINTS / W));
    const features = new Uint16Array(count * dim);
    for (let first = 0; first < windowed.numWindows; first += perRun) {
      this.checkWanted(wanted);
      const n = Math.min(perRun, windowed.numWindows - first);
      const range = [first * W * 3, (first + n) * W * 3] as const;
      const result = await this.session.run({
        [posSig!.name]: { type: 'float32', data: windowed.positions.slice(...range), dims: [n, W, 3] },
        [colSig!.name]: { type: 'float32', data: windowed.colors.slice(...range), dims: [n, W, 3] },
      });
      const out = result[outName]!;
      if (out.dims[0] !== n || out.dims[1] !== W || out.dims[2] !== dim) {
        throw new Error(`model "${this.entry.id}": expected features [${n}, ${W}, ${dim}], found [${out.dims.join(', ')}]`);
      }
      unwindowRows(encodeHalves(out.data), dim, windowed, features, first * W);
    }
    return features;
  }
}

/** Images per image-encoder run: bounds the [B, 3, 224, 224] input (B · 600 kB). */
const IMAGE_CHUNK = 16;

/** A CLIP image encoder (`pixel_values` [B, 3, S, S] → `image_embeds` [B, D]), e.g. the teacher's. */
export class ClipImageEncoder {
  private constructor(
    readonly entry: ModelEntry,
    private readonly session: OrtSession,
  ) {}

  get backend(): ExecutionBackend {
    return this.session.backend;
  }

  /** Why the model runs on another backend than asked (WebGPU lost or absent); null when as asked. */
  get backendNote(): string | null {
    return this.session.backendNote ?? null;
  }

  /** Frees the session (its WebGPU buffers or WASM memory); the object is unusable afterwards. */
  release(): Promise<void> {
    return this.session.release();
  }

  static async load(source: ModelSource, id?: string): Promise<ClipImageEncoder> {
    const entry = findModel(source.manifest, 'clip-image', id);
    if (!entry.imagePreprocess) throw new Error(`model "${entry.id}": a clip-image model needs "imagePreprocess" in the manifest`);
    return new ClipImageEncoder(entry, (await openModel(source, entry)).session);
  }

  /** Raw (unnormalised) embeddings [batch, D] of CLIP-preprocessed `pixel_values`. */
  async encode(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    const size = this.entry.imagePreprocess!.size;
    const per = 3 * size * size;
    if (pixelValues.length !== batch * per)
      throw new Error(`model "${this.entry.id}": expected ${batch}×3×${size}×${size} pixel values, got ${pixelValues.length}`);
    const dim = this.entry.embeddingDim;
    const out = new Float32Array(batch * dim);
    for (let start = 0; start < batch; start += IMAGE_CHUNK) {
      const n = Math.min(IMAGE_CHUNK, batch - start);
      const result = await this.session.run({
        [this.entry.inputs[0]!.name]: { type: 'float32', data: pixelValues.slice(start * per, (start + n) * per), dims: [n, 3, size, size] },
      });
      const embeds = result[this.entry.outputs[0]!.name]!;
      if (embeds.dims[0] !== n || embeds.dims[1] !== dim)
        throw new Error(`model "${this.entry.id}": expected image_embeds [${n}, ${dim}], found [${embeds.dims.join(', ')}]`);
      out.set(embeds.data, start * dim);
    }
    return out;
  }
}
