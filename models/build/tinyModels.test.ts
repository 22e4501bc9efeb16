import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelManifest } from '../../src/core/models/manifest.ts';
import { mulberry32 } from '../../src/core/synth/prng.ts';
import { createOrtSession, type OrtSession } from '../../src/infer/ortRuntime.ts';
import { TINY_CONCEPTS, TINY_CONTEXT_LENGTH, TINY_EMBED_DIM, tinyStudentReference, tinyTextEncoderReference, tinyTokenizer } from './tinyClipSpace.ts';
import { readTrainedStudents } from '../student/trainedStudents.ts';
import {
  buildTinyModelFiles,
  MODEL_MANIFEST_PATH,
  TINY_STUDENT_MODEL_PATH,
  TINY_TEXT_FP16_MODEL_PATH,
  TINY_TEXT_MODEL_PATH,
  TINY_TOKENIZER_PATH,
} from './tinyModels.ts';

const REPO_ROOT = new URL('../../', import.meta.url);
const D = TINY_EMBED_DIM;
const trained = readTrainedStudents();
const files = buildTinyModelFiles(trained);
// Trained students' ONNX files are committed, not built here: read those from disk.
const fileBytes = (path: string): Uint8Array =>
  files.get(path) ?? (existsSync(new URL(path, REPO_ROOT)) ? new Uint8Array(readFileSync(new URL(path, REPO_ROOT))) : new Uint8Array());
const tokenizer = new Tokenizer(tinyTokenizer().json, {});

/** Tokenises and pads with 0 to 77, as the app does for the tiny model. */
function tokenize(prompts: readonly string[]): BigInt64Array {
  const ids = new BigInt64Array(prompts.length * TINY_CONTEXT_LENGTH);
  prompts.forEach((prompt, b) => tokenizer.encode(prompt).ids.forEach((id, i) => (ids[b * TINY_CONTEXT_LENGTH + i] = BigInt(id))));
  return ids;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function row(m: Float32Array, i: number): Float32Array {
  return m.subarray(i * D, (i + 1) * D);
}

/** Cosine of row i of `a` and row j of `b` (offsets rather than subarrays: this runs per demo pixel). */
function cosine(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < D; d++) {
    const x = a[i * D + d] as number;
    const y = b[j * D + d] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** Index of the row of `candidates` [K, D] most cosine-similar to row i of `queries`. */
function nearest(queries: Float32Array, i: number, candidates: Float32Array): number {
  let best = 0;
  let bestCosine = -Infinity;
  for (let k = 0; k < candidates.length / D; k++) {
    const c = cosine(queries, i, candidates, k);
    if (c > bestCosine) [best, bestCosine] = [k, c];
  }
  return best;
}

let textSession: OrtSession;
let textFp16Session: OrtSession;
let studentSession: OrtSession;

async function embedText(prompts: readonly string[]): Promise<Float32Array> {
  const out = await textSession.run({ input_ids: { type: 'int64', data: tokenize(prompts), dims: [prompts.length, TINY_CONTEXT_LENGTH] } });
  expect(out.text_embeds?.dims).toEqual([prompts.length, D]);
  return out.text_embeds?.data ?? new Float32Array();
}

async function studentFeatures(positions: Float32Array, colors: Float32Array): Promise<Float32Array> {
  const n = colors.length / 3;
  const out = await studentSession.run({
    positions: { type: 'float32', data: positions, dims: [n, 3] },
    colors: { type: 'float32', data: colors, dims: [n, 3] },
  });
  expect(out.features?.dims).toEqual([n, D]);
  return out.features?.data ?? new Float32Array();
}

function randomPoints(n: number, seed: number): { positions: Float32Array; colors: Float32Array } {
  const random = mulberry32(seed);
  return {
    positions: Float32Array.from({ length: n * 3 }, () => 6 * random() - 3),
    colors: Float32Array.from({ length: n * 3 }, () => random()),
  };
}

const CONCEPT_NAMES = TINY_CONCEPTS.map((c) => c.name);
const prototypeColours = Float32Array.from(TINY_CONCEPTS.flatMap((c) => c.rgb));
const atOrigin = (n: number): Float32Array => new Float32Array(n * 3);

beforeAll(async () => {
  textSession = await createOrtSession(fileBytes(TINY_TEXT_MODEL_PATH), 'wasm');
  textFp16Session = await createOrtSession(fileBytes(TINY_TEXT_FP16_MODEL_PATH), 'wasm');
  studentSession = await createOrtSession(fileBytes(TINY_STUDENT_MODEL_PATH), 'wasm');
});
afterAll(async () => {
  await textSession.release();
  await textFp16Session.release();
  await studentSession.release();
});

describe('tiny ONNX models equal the JS reference (WASM)', () => {
  it('exposes exactly the real signatures', () => {
    expect(textSession.inputNames).toEqual(['input_ids']);
    expect(textSession.outputNames).toEqual(['text_embeds']);
    expect(studentSession.inputNames).toEqual(['positions', 'colors']);
    expect(studentSession.outputNames).toEqual(['features']);
  });

  it('text encoder: a batch of 3 prompts', async () => {
    const prompts = ['a photo of a red mug', 'yellow dice', 'Ünïcödé text, emoji 🍎 and 日本語 on a wooden table'];
    const embeds = await embedText(prompts);
    expect(maxAbsDiff(embeds, tinyTextEncoderReference(tokenize(prompts), prompts.length))).toBeLessThan(1e-5);
  });

  it('text encoder: pools at the end token, so whatever follows it is ignored', async () => {
    const ids = tokenize(['a blue ball']);
    const endAt = ids.indexOf(BigInt(tinyTokenizer().endId));
    const noisy = ids.slice();
    const random = mulberry32(3);
    for (let i = endAt + 1; i < TINY_CONTEXT_LENGTH; i++) noisy[i] = BigInt(Math.floor(random() * tinyTokenizer().endId));
    const out = await textSession.run({ input_ids: { type: 'int64', data: noisy, dims: [1, TINY_CONTEXT_LENGTH] } });
    expect(maxAbsDiff(out.text_embeds?.data ?? [], await embedText(['a blue ball']))).toBeLessThan(1e-6);
  });

  it('fp16 text encoder: same signature, float32 output equal to the fp32 model to 1e-2', async () => {
    expect(textFp16Session.inputNames).toEqual(['input_ids']);
    expect(textFp16Session.outputNames).toEqual(['text_embeds']);
    const prompts = ['a photo of a red mug', 'yellow dice', 'a grey stone and a purple cup', 'Ünïcödé text, emoji 🍎'];
    const out = await textFp16Session.run({ input_ids: { type: 'int64', data: tokenize(prompts), dims: [prompts.length, TINY_CONTEXT_LENGTH] } });
    const embeds16 = out.text_embeds?.data ?? new Float32Array();
    const embeds32 = await embedText(prompts);
    expect(out.text_embeds?.dims).toEqual([prompts.length, D]);
    expect(maxAbsDiff(embeds16, embeds32)).toBeLessThan(1e-2);
    // Really half precision: fp16 rounding leaves a visible difference (not a copy of the fp32 graph).
    expect(maxAbsDiff(embeds16, embeds32)).toBeGreaterThan(1e-7);
    expect(fileBytes(TINY_TEXT_FP16_MODEL_PATH).length).toBeLessThan(0.6 * fileBytes(TINY_TEXT_MODEL_PATH).length);
  });

  it.each([1000, 1, 7])('student: N = %i points (N is dynamic)', async (n) => {
    const { positions, colors } = randomPoints(n, 100 + n);
    expect(maxAbsDiff(await studentFeatures(positions, colors), tinyStudentReference(positions, colors))).toBeLessThan(1e-5);
  });

  it('student: really uses positions, a little', async () => {
    const colors = Float32Array.from([0.8, 0.1, 0.1, 0.8, 0.1, 0.1]);
    const features = await studentFeatures(Float32Array.from([0, 0, 0, 2, -1, 0.5]), colors);
    const shift = maxAbsDiff(row(features, 0), row(features, 1));
    expect(shift).toBeGreaterThan(1e-3);
    expect(shift).toBeLessThan(0.2);
  });
});

describe('the tiny colour space means something', () => {
  it('each colour word is nearest to the student feature of its own prototype colour, and vice versa', async () => {
    const text = await embedText(CONCEPT_NAMES);
    const features = await studentFeatures(atOrigin(TINY_CONCEPTS.length), prototypeColours);
    CONCEPT_NAMES.forEach((name, k) => {
      expect(CONCEPT_NAMES[nearest(text, k, features)], `text "${name}"`).toBe(name);
      expect(CONCEPT_NAMES[nearest(features, k, text)], `colour of ${name}`).toBe(name);
    });
  });

  it.each([
    ['yellow dice', 'yellow'],
    ['a photo of a red mug', 'red'],
    ['a blue ball', 'blue'],
    ['the green box on the left', 'green'],
    ['a white plate', 'white'],
    ['a photo of a wooden table', 'brown'],
    ['the floor', 'grey'],
    ['gray', 'grey'],
    ['a blue mug', 'blue'], // the colour word outweighs the object word
  ])('"%s" is closest to %s', async (prompt, concept) => {
    const features = await studentFeatures(atOrigin(TINY_CONCEPTS.length), prototypeColours);
    expect(CONCEPT_NAMES[nearest(await embedText([prompt]), 0, features)]).toBe(concept);
  });

  it('shading (×0.4) does not move a hue to another concept', async () => {
    const hues = TINY_CONCEPTS.filter((c) => !['white', 'grey', 'black'].includes(c.name));
    const shaded = Float32Array.from(hues.flatMap((c) => c.rgb.map((x) => x * 0.4)));
    const features = await studentFeatures(atOrigin(hues.length), shaded);
    const text = await embedText(CONCEPT_NAMES);
    hues.forEach((c, i) => expect(CONCEPT_NAMES[nearest(features, i, text)], c.name).toBe(c.name));
  });
});

const DEMO = new URL('public/demo/', REPO_ROOT);
describe('demo scene (public/demo, view 0)', () => {
  it('classifies each object by its colour name', async () => {
    const scene = JSON.parse(readFileSync(new URL('scene.json', DEMO), 'utf8')) as {
      depthScale: number;
      views: { color: string; depth: string; instance: string; intrinsics: Record<'fx' | 'fy' | 'cx' | 'cy', number>; cameraToWorld: number[] }[];
      objects: { id: number; color: string }[];
    };
    const view = scene.views[0];
    if (!view) throw new Error('scene.json has no views');
    const png = (name: string) => decode(readFileSync(new URL(name, DEMO)));
    const [color, depth, instance] = [png(view.color), png(view.depth), png(view.instance)];
    const { fx, fy, cx, cy } = view.intrinsics;
    const m = view.cameraToWorld;
    const pixels: number[] = [];
    const positions: number[] = [];
    for (let p = 0; p < color.width * color.height; p++) {
      const z = (depth.data[p] as number) / scene.depthScale;
      if (z === 0) continue;
      const cam = [((p % color.width) - cx) * (z / fx), (Math.floor(p / color.width) - cy) * (z / fy), z] as const;
      for (let r = 0; r < 3; r++)
        positions.push((m[r * 4] as number) * cam[0] + (m[r * 4 + 1] as number) * cam[1] + (m[r * 4 + 2] as number) * cam[2] + (m[r * 4 + 3] as number));
      pixels.push(p);
    }
    const colors = Float32Array.from(pixels.flatMap((p) => [0, 1, 2].map((c) => (color.data[p * 3 + c] as number) / 255)));
    const features = await studentFeatures(Float32Array.from(positions), colors);
    const text = await embedText(CONCEPT_NAMES);
    const expected = new Map([[0, 'grey'], ...scene.objects.map((o) => [o.id, o.color] as const)]);
    const hits = new Map<number, { right: number; total: number }>();
    pixels.forEach((p, i) => {
      const id = instance.data[p] as number;
      const tally = hits.get(id) ?? { right: 0, total: 0 };
      tally.total++;
      if (CONCEPT_NAMES[nearest(features, i, text)] === expected.get(id)) tally.right++;
      hits.set(id, tally);
    });
    for (const [id, { right, total }] of hits) {
      const name = expected.get(id) ?? `instance ${id}`;
      // Not 100 %: the dice's pips really are black, and the white plate's shadowed rim is darker than the lit grey floor.
      const floor = name === 'white' || name === 'yellow' ? 0.75 : 0.97;
      expect(right / total, `${name}: ${right}/${total}`).toBeGreaterThanOrEqual(floor);
    }
  });
});

describe('committed model files', () => {
  it.each([...files.keys()])('%s equals what buildTinyModelFiles() builds', (path) => {
    const committed = readFileSync(new URL(path, REPO_ROOT));
    expect(Buffer.from(fileBytes(path)).equals(committed), `${path} is stale: run npx tsx models/build/buildTinyModels.ts`).toBe(true);
  });

  it('builds the same bytes twice', () => {
    const again = buildTinyModelFiles(trained);
    for (const [path, bytes] of files) expect(Buffer.from(bytes).equals(again.get(path) ?? new Uint8Array()), path).toBe(true);
  });

  it('has a manifest that validates and matches the files', () => {
    const manifest = parseModelManifest(JSON.parse(new TextDecoder().decode(fileBytes(MODEL_MANIFEST_PATH))));
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    // Production entries (https URLs) are checked by productionModels.test.ts and `npm run models:verify`.
    for (const entry of manifest.models.filter((e) => !e.file.startsWith('https://'))) {
      const bytes = fileBytes(`models/${entry.file}`);
      expect(entry.sha256).toBe(sha(bytes));
      expect(entry.bytes).toBe(bytes.length);
      expect(entry.space).toBe('fieldlens-tiny-colour-16');
      expect(entry.embeddingDim).toBe(16);
    }
    const text = manifest.models.find((e) => e.kind === 'clip-text');
    expect(text?.inputs).toEqual([{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }]);
    expect(text?.outputs).toEqual([{ name: 'text_embeds', dtype: 'float32', shape: ['batch', 16] }]);
    expect(text?.tokenizer).toEqual({
      file: 'tiny/tokenizer.json',
      sha256: sha(fileBytes(TINY_TOKENIZER_PATH)),
      bytes: fileBytes(TINY_TOKENIZER_PATH).length,
      contextLength: 77,
      startId: tinyTokenizer().startId,
      endId: tinyTokenizer().endId,
    });
    const student = manifest.models.find((e) => e.id === 'student3d-tiny');
    expect(student?.inputs.map((s) => [s.name, s.dtype, s.shape])).toEqual([
      ['positions', 'float32', ['N', 3]],
      ['colors', 'float32', ['N', 3]],
    ]);
    expect(student?.outputs).toEqual([{ name: 'features', dtype: 'float32', shape: ['N', 16] }]);
    expect(student?.preprocess).toEqual({ positions: 'world-metres', colors: 'rgb-0-1' });
    const image = manifest.models.find((e) => e.kind === 'clip-image');
    expect(image?.inputs).toEqual([{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }]);
    expect(image?.outputs).toEqual([{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 16] }]);
    expect(manifest.defaults).toEqual({
      'clip-text': text?.id,
      student3d: trained.find((t) => t.useAsDefault)?.entry.id ?? student?.id,
      'clip-image': image?.id,
    });
    // The demo set: the three default models; its download size is their files plus the tokenizer.
    const demo = manifest.modelSets?.find((set) => set.id === manifest.defaultModelSet);
    expect(demo).toMatchObject({ id: 'demo', text: text?.id, image: image?.id, student: manifest.defaults.student3d });
    const defaultStudentFile = manifest.models.find((e) => e.id === manifest.defaults.student3d)!.file;
    const demoFiles = [text!.file, image!.file, defaultStudentFile, text!.tokenizer!.file].map((f) => `models/${f}`);
    expect(demo?.totalBytes).toBe(demoFiles.reduce((sum, f) => sum + fileBytes(f).length, 0));
    expect(text?.variants?.fp16).toEqual({
      file: 'tiny/clip-text-tiny-fp16.onnx',
      sha256: sha(fileBytes(TINY_TEXT_FP16_MODEL_PATH)),
      bytes: fileBytes(TINY_TEXT_FP16_MODEL_PATH).length,
    });
  });
});
