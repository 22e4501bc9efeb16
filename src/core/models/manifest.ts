/**
 * `models/manifest.json`: what FieldLens knows about each model — where its bytes live, how to
 * verify them, its exact ONNX signature and the embedding space its outputs live in. Loading code
 * checks a session against this signature, and refuses to compare features and text embeddings
 * from different spaces.
 */

export type ModelKind = 'clip-text' | 'student3d' | 'clip-image';
export type TensorDType = 'float32' | 'int64' | 'float16';
/** A dimension: fixed size, or a symbolic name such as "batch" or "N" (dynamic). */
export type ModelDim = number | string;

export interface TensorSignature {
  readonly name: string;
  readonly dtype: TensorDType;
  readonly shape: readonly ModelDim[];
}

export interface TokenizerSpec {
  /** Hugging Face `tokenizer.json`, relative to the manifest (or an absolute URL). */
  readonly file: string;
  readonly sha256: string;
  readonly contextLength: number;
  readonly startId: number;
  readonly endId: number;
  /** Byte size, when known (production entries): `models:verify` checks it before hashing. */
  readonly bytes?: number;
}

/** Numeric precision a session runs in; fp16 variants are picked only where the GPU computes in fp16. */
export type ModelPrecision = 'fp32' | 'fp16';

/** Another file with the same signature as the entry, in a different precision. */
export interface ModelVariantFile {
  /** Path relative to the manifest, or an absolute https URL. */
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** clip-image models: how an RGB image becomes `pixel_values` (CLIP's resize + centre crop + normalise). */
export interface ImagePreprocessSpec {
  /** Square input side in pixels (shortest side resized to this, then centre-cropped). */
  readonly size: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly resample: 'bicubic';
}

export interface ModelEntry {
  readonly id: string;
  readonly kind: ModelKind;
  /** Path relative to the manifest, or an absolute https URL. */
  readonly file: string;
  /** Hex sha256 of the file's bytes; the loader refuses bytes that do not match. */
  readonly sha256: string;
  readonly bytes: number;
  readonly inputs: readonly TensorSignature[];
  readonly outputs: readonly TensorSignature[];
  readonly embeddingDim: number;
  /** The joint text/feature space, e.g. "openai-clip-vit-b32" — features and text must agree. */
  readonly space: string;
  readonly license: string;
  readonly description: string;
  /** clip-text models only. */
  readonly tokenizer?: TokenizerSpec;
  /** student3d models only: how positions and colours are fed. */
  readonly preprocess?: {
    readonly positions: 'world-metres';
    readonly colors: 'rgb-0-1';
    /**
     * Windowed students only: points are Morton-sorted on a `grid`-metre voxel grid and cut into
     * windows of `size` (src/core/models/pointWindows.ts); inputs are then [windows, size, 3].
     */
    readonly windows?: { readonly size: number; readonly order: 'morton'; readonly grid: number };
  };
  /** clip-image models only. */
  readonly imagePreprocess?: ImagePreprocessSpec;
  /** Same graph in other precisions; `selectModelVariant` decides which file a runtime loads. */
  readonly variants?: { readonly fp16?: ModelVariantFile };
}

/**
 * A model set: the models that work together in one embedding space (a text encoder, optionally
 * the image encoder that computes teacher features and a 3D student). The studio and the CLI pick
 * a set, not single models; a set without a student gets its 3D features from the teacher or from
 * the capture's own feature channels.
 */
export interface ModelSet {
  readonly id: string;
  /** Short human name for pickers ("Demo (tiny, offline)"). */
  readonly label: string;
  /** The space every member lives in; the parser checks each member against it. */
  readonly space: string;
  /** Model ids: a clip-text model, and optionally a clip-image model and a student3d model. */
  readonly text: string;
  readonly image?: string;
  readonly student?: string;
  /**
   * Bytes a first use downloads: the members' fp32 files and the tokenizer (what a WASM session
   * loads; a WebGPU device with shader-f16 fetches the smaller fp16 variants where there are any).
   */
  readonly totalBytes: number;
}

export interface ModelManifest {
  readonly format: 'fieldlens-models@1';
  readonly models: readonly ModelEntry[];
  /**
   * The model id used for each kind when the user picks none. A text model is required; a
   * manifest of encoders only (e.g. the stand-ins') has no student.
   */
  readonly defaults: { readonly 'clip-text': string; readonly student3d?: string; readonly 'clip-image'?: string };
  /** Named model sets (see `ModelSet`); absent in older hand-written manifests. */
  readonly modelSets?: readonly ModelSet[];
  /** The set used when the user picks none; required when `modelSets` is given. */
  readonly defaultModelSet?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The largest model file a manifest may list: browsers cap one ArrayBuffer near 2 GiB. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 ** 3;

/**
 * A manifest file location: a path relative to the manifest, or an http(s) URL. Anything else
 * (javascript:, data:, file:, blob:, a protocol-relative //host) is refused before it is fetched.
 * `local:` names a model file the user dropped (src/infer/localModels.ts): it is never fetched.
 */
function locationProblem(location: unknown): string | null {
  if (typeof location !== 'string' || location === '') return 'is missing';
  if (location.startsWith('//') || location.startsWith('\\\\')) return `must be a relative path or an http(s) URL, found ${JSON.stringify(location)}`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https' && scheme !== 'local')
    return `must be a relative path or an http(s) URL, found the scheme "${scheme}:"`;
  return null;
}

function sizeProblem(bytes: unknown, required: boolean): string | null {
  if (bytes === undefined && !required) return null;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes <= 0) return `must be a positive whole number of bytes, found ${JSON.stringify(bytes)}`;
  if (bytes > MAX_MODEL_FILE_BYTES) return `is ${bytes} bytes, over the ${MAX_MODEL_FILE_BYTES} a browser tab can hold`;
  return null;
}

/** Validates an untrusted manifest object; throws naming the offending entry and field. */
export function parseModelManifest(raw: unknown, source = 'models/manifest.json'): ModelManifest {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('expected a JSON object');
  const m = raw as Partial<ModelManifest>;
  if (m.format !== 'fieldlens-models@1') fail(`expected format "fieldlens-models@1", found ${JSON.stringify(m.format)}`);
  if (!Array.isArray(m.models) || m.models.length === 0) fail('expected a non-empty "models" array');
  for (const entry of m.models as ModelEntry[]) {
    const where = `model ${JSON.stringify(entry.id)}`;
    if (typeof entry.id !== 'string' || entry.id === '') fail('every model needs a string "id"');
    if (entry.kind !== 'clip-text' && entry.kind !== 'student3d' && entry.kind !== 'clip-image') {
      fail(`${where}: kind must be clip-text, student3d or clip-image, found ${JSON.stringify(entry.kind)}`);
    }
    const fileProblem = locationProblem(entry.file);
    if (fileProblem) fail(`${where}: "file" ${fileProblem}`);
    if (!SHA256_HEX.test(entry.sha256 ?? '')) fail(`${where}: "sha256" must be 64 lowercase hex digits`);
    const bytesProblem = sizeProblem(entry.bytes, true);
    if (bytesProblem) fail(`${where}: "bytes" ${bytesProblem}`);
    if (entry.tokenizer) {
      const problem = locationProblem(entry.tokenizer.file) ?? sizeProblem(entry.tokenizer.bytes, false);
      if (problem) fail(`${where}: tokenizer "file" / "bytes" ${problem}`);
      if (!SHA256_HEX.test(entry.tokenizer.sha256 ?? '')) fail(`${where}: tokenizer "sha256" must be 64 lowercase hex digits`);
    }
    if (!Number.isInteger(entry.embeddingDim) || entry.embeddingDim <= 0) fail(`${where}: "embeddingDim" must be a positive integer`);
    if (typeof entry.space !== 'string' || entry.space === '') fail(`${where}: missing "space"`);
    if (!Array.isArray(entry.inputs) || !Array.isArray(entry.outputs)) fail(`${where}: needs "inputs" and "outputs" arrays`);
    if (entry.kind === 'clip-text' && !entry.tokenizer) fail(`${where}: a clip-text model needs a "tokenizer"`);
    const windows = entry.preprocess?.windows;
    if (windows && (!Number.isInteger(windows.size) || windows.size <= 0 || windows.order !== 'morton' || !(windows.grid > 0))) {
      fail(`${where}: preprocess.windows needs a positive integer "size", order "morton" and a "grid" > 0 metres`);
    }
    if (entry.kind === 'clip-image' && !entry.imagePreprocess) fail(`${where}: a clip-image model needs "imagePreprocess"`);
    const fp16 = entry.variants?.fp16;
    if (fp16 && (locationProblem(fp16.file) !== null || !SHA256_HEX.test(fp16.sha256 ?? '') || sizeProblem(fp16.bytes, true) !== null)) {
      fail(`${where}: variants.fp16 needs "file" (a relative path or an http(s) URL), a 64-hex "sha256" and positive "bytes" ≤ ${MAX_MODEL_FILE_BYTES}`);
    }
  }
  const models = m.models as ModelEntry[];
  for (const kind of ['clip-text', 'student3d', 'clip-image'] as const) {
    const id = m.defaults?.[kind];
    if (id === undefined && kind !== 'clip-text') continue;
    if (!models.some((e) => e.id === id && e.kind === kind)) fail(`defaults.${kind} must name a ${kind} model, found ${JSON.stringify(id)}`);
  }
  if (m.modelSets !== undefined) checkModelSets(m.modelSets, models, m.defaultModelSet, fail);
  else if (m.defaultModelSet !== undefined) fail('"defaultModelSet" is given but there are no "modelSets"');
  return m as ModelManifest;
}

const SET_MEMBERS = [
  ['text', 'clip-text'],
  ['image', 'clip-image'],
  ['student', 'student3d'],
] as const;

function checkModelSets(sets: unknown, models: readonly ModelEntry[], defaultSet: unknown, fail: (msg: string) => never): void {
  if (!Array.isArray(sets) || sets.length === 0) fail('"modelSets" must be a non-empty array');
  const seen = new Set<string>();
  for (const set of sets as ModelSet[]) {
    if (typeof set?.id !== 'string' || set.id === '') fail('every model set needs a string "id"');
    const where = `model set ${JSON.stringify(set.id)}`;
    if (seen.has(set.id)) fail(`${where} appears twice`);
    seen.add(set.id);
    if (typeof set.label !== 'string' || set.label === '') fail(`${where}: missing "label"`);
    if (typeof set.space !== 'string' || set.space === '') fail(`${where}: missing "space"`);
    if (!Number.isInteger(set.totalBytes) || set.totalBytes <= 0)
      fail(`${where}: "totalBytes" must be a positive integer, found ${JSON.stringify(set.totalBytes)}`);
    if (set.text === undefined) fail(`${where}: needs a "text" model`);
    for (const [field, kind] of SET_MEMBERS) {
      const id = set[field];
      if (id === undefined) continue;
      const entry = models.find((e) => e.id === id);
      if (!entry) fail(`${where}: "${field}" names ${JSON.stringify(id)}, which is not a model in this manifest`);
      if (entry.kind !== kind) fail(`${where}: "${field}" must name a ${kind} model, ${JSON.stringify(id)} is ${entry.kind}`);
      if (entry.space !== set.space) fail(`${where}: "${field}" model ${JSON.stringify(id)} lives in ${entry.space}, the set in ${set.space}`);
    }
  }
  if (typeof defaultSet !== 'string' || !seen.has(defaultSet))
    fail(`"defaultModelSet" must name one of the model sets (${[...seen].join(', ')}), found ${JSON.stringify(defaultSet)}`);
}

/** A model set with its member entries looked up. */
export interface ResolvedModelSet {
  readonly set: ModelSet;
  readonly text: ModelEntry;
  readonly image?: ModelEntry;
  readonly student?: ModelEntry;
}

/**
 * The model set `id` (the manifest's default set when absent). A manifest without `modelSets`
 * (hand-written, older) has one implicit set, "default", of its default models.
 */
export function resolveModelSet(manifest: ModelManifest, id?: string, source = 'the manifest'): ResolvedModelSet {
  const sets = manifest.modelSets ?? [implicitModelSet(manifest)];
  const wanted = id ?? manifest.defaultModelSet ?? sets[0]!.id;
  const set = sets.find((s) => s.id === wanted);
  if (!set) throw new Error(`model set "${wanted}" is not in ${source} (known: ${sets.map((s) => s.id).join(', ')})`);
  const member = (field: 'text' | 'image' | 'student', kind: ModelKind): ModelEntry | undefined => {
    const memberId = set[field];
    return memberId === undefined ? undefined : findModel(manifest, kind, memberId);
  };
  const image = member('image', 'clip-image');
  const student = member('student', 'student3d');
  return { set, text: member('text', 'clip-text')!, ...(image ? { image } : {}), ...(student ? { student } : {}) };
}

function implicitModelSet(manifest: ModelManifest): ModelSet {
  const text = findModel(manifest, 'clip-text');
  const members = [text.id, manifest.defaults['clip-image'], manifest.defaults.student3d].filter((x): x is string => x !== undefined);
  const entries = members.map((memberId) => manifest.models.find((e) => e.id === memberId)!).filter((e) => e.space === text.space);
  const image = entries.find((e) => e.kind === 'clip-image');
  const student = entries.find((e) => e.kind === 'student3d');
  return {
    id: 'default',
    label: 'Default models',
    space: text.space,
    text: text.id,
    ...(image ? { image: image.id } : {}),
    ...(student ? { student: student.id } : {}),
    totalBytes: modelSetBytes(entries),
  };
}

/** What a first use of these models downloads: each fp32 file plus the tokenizers whose size is known. */
export function modelSetBytes(entries: readonly ModelEntry[]): number {
  return entries.reduce((sum, e) => sum + e.bytes + (e.tokenizer?.bytes ?? 0), 0);
}

export interface VariantContext {
  /** The provider the session will be created on. */
  readonly backend: 'webgpu' | 'wasm';
  /** Whether the WebGPU adapter offers the `shader-f16` feature. */
  readonly shaderF16: boolean;
}

export interface SelectedVariant {
  readonly precision: ModelPrecision;
  readonly file: string;
  readonly sha256: string;
}

/**
 * Which file of an entry to load. fp16 only on WebGPU with `shader-f16`: there it halves the
 * download and runs native half-precision kernels; on WASM onnxruntime would up-convert every
 * op back to fp32, slower than the fp32 file and no more accurate.
 */
export function selectModelVariant(entry: ModelEntry, context: VariantContext): SelectedVariant {
  const fp16 = entry.variants?.fp16;
  if (fp16 && context.backend === 'webgpu' && context.shaderF16) return { precision: 'fp16', file: fp16.file, sha256: fp16.sha256 };
  return { precision: 'fp32', file: entry.file, sha256: entry.sha256 };
}

export function findModel(manifest: ModelManifest, kind: ModelKind, id?: string): ModelEntry {
  const wanted = id ?? manifest.defaults[kind] ?? manifest.models.find((e) => e.kind === kind)?.id;
  if (wanted === undefined) throw new Error(`the manifest has no ${kind} model`);
  const entry = manifest.models.find((e) => e.id === wanted);
  if (!entry) throw new Error(`model "${wanted}" is not in the manifest (known: ${manifest.models.map((e) => e.id).join(', ')})`);
  if (entry.kind !== kind) throw new Error(`model "${wanted}" is a ${entry.kind} model, expected ${kind}`);
  return entry;
}
