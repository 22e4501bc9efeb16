/**
 * The stand-ins have the pinned towers' architecture: parameter counts (counted from the written
 * initializers) against CLIP ViT-B/32's, operator sets, signatures; and a 2-layer build runs in
 * onnxruntime-web (WASM) under Node. Builds are cached under .cache/standins/ (first full-size
 * build: ≈ 350 MB written).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { parseModelManifest, resolveModelSet } from '../../src/core/models/manifest.ts';
import { createOrtSession } from '../../src/infer/ortRuntime.ts';
import { realDataRoot } from '../../src/testing/realData.ts';
import { ensureStandins } from './standins.ts';

const { onnx } = onnxProto;
const FLOAT = 1;
const INT64 = 7;
const FLOAT16 = 10;

type ValueInfo = InstanceType<typeof onnx.ValueInfoProto>;
interface Initializer {
  readonly name: string;
  readonly type: number;
  readonly count: number;
  readonly bytes: number;
}

function readModel(path: string) {
  const model = onnx.ModelProto.decode(readFileSync(path));
  const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
  // int64 fields decode as number | Long; every size here fits a number.
  const int = (v: unknown): number => Number(v);
  const io = (values: readonly ValueInfo[]) =>
    values.map((v) => ({
      name: v.name,
      type: v.type!.tensorType!.elemType,
      dims: (v.type!.tensorType!.shape!.dim ?? []).map((d) => d.dimParam || int(d.dimValue)),
    }));
  const initializers: Initializer[] = graph.initializer.map((t) => ({
    name: t.name ?? '',
    type: t.dataType ?? 0,
    count: (t.dims ?? []).reduce((a: number, b) => a * int(b), 1),
    bytes: t.rawData?.length ?? 0,
  }));
  return {
    opset: int(model.opsetImport[0]!.version),
    ops: new Set(graph.node.map((n) => n.opType ?? '')),
    inputs: io(graph.input as ValueInfo[]),
    outputs: io(graph.output as ValueInfo[]),
    initializers,
  };
}

/** Learned parameters: float initializers that are weights, not graph constants (mask, scales). */
const isWeight = (t: { name: string; type: number }) => (t.type === FLOAT || t.type === FLOAT16) && /(\.weight|\.bias|class_embedding)$/.test(t.name);
const parameters = (model: ReturnType<typeof readModel>) => model.initializers.filter(isWeight).reduce((s, t) => s + t.count, 0);

// HF CLIP ViT-B/32 parameter counts from its config, worked out here independently of the builder.
const block = (w: number) => 2 * 2 * w + 4 * (w * w + w) + (w * 4 * w + 4 * w) + (4 * w * w + w);
const TEXT_PARAMS = 49408 * 512 + 77 * 512 + 12 * block(512) + 2 * 512 + 512 * 512;
const VISION_PARAMS = 768 * 3 * 32 * 32 + 768 + 50 * 768 + 2 * 768 + 12 * block(768) + 2 * 768 + 768 * 512;

const TEXT_OPS = [
  'Add',
  'ArgMax',
  'Cast',
  'Equal',
  'Gather',
  'Identity',
  'LayerNormalization',
  'MatMul',
  'Mul',
  'Reshape',
  'Sigmoid',
  'Softmax',
  'Transpose',
  'Unsqueeze',
];
const VISION_OPS = [
  'Add',
  'Concat',
  'Conv',
  'Expand',
  'Gather',
  'Identity',
  'LayerNormalization',
  'MatMul',
  'Mul',
  'Reshape',
  'Shape',
  'Sigmoid',
  'Slice',
  'Softmax',
  'Transpose',
];

describe('full-size stand-ins (12 layers)', () => {
  const built = ensureStandins({ layers: 12 });
  const text = readModel(join(built.dir, 'onnx/text_model.onnx'));
  const vision = readModel(join(built.dir, 'onnx/vision_model.onnx'));

  it('have CLIP ViT-B/32 parameter counts: text ≈ 63 M, vision ≈ 88 M (within 1 %), exactly HF CLIP’s', () => {
    expect(Math.abs(parameters(text) / 63e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(parameters(vision) / 88e6 - 1)).toBeLessThan(0.01);
    expect(parameters(text)).toBe(TEXT_PARAMS);
    expect(parameters(vision)).toBe(VISION_PARAMS);
    expect(text.initializers.filter(isWeight).every((t) => t.bytes === 4 * t.count)).toBe(true);
  });

  it('use the transformer operators of opset 17', () => {
    expect(text.opset).toBe(17);
    expect([...text.ops].sort()).toEqual(TEXT_OPS);
    expect([...vision.ops].sort()).toEqual(VISION_OPS);
  });

  it('have the pinned signatures: input_ids int64 [batch, 77] → text_embeds float32 [batch, 512]; pixel_values → image_embeds', () => {
    expect(text.inputs).toEqual([{ name: 'input_ids', type: INT64, dims: ['batch', 77] }]);
    expect(text.outputs).toEqual([{ name: 'text_embeds', type: FLOAT, dims: ['batch', 512] }]);
    expect(vision.inputs).toEqual([{ name: 'pixel_values', type: FLOAT, dims: ['batch', 3, 224, 224] }]);
    expect(vision.outputs).toEqual([{ name: 'image_embeds', type: FLOAT, dims: ['batch', 512] }]);
  });

  it('come with a manifest whose default set is theirs, in a space of their own, sized by their files', () => {
    const manifest = parseModelManifest(JSON.parse(readFileSync(built.manifestPath, 'utf8')), built.manifestPath);
    const set = resolveModelSet(manifest);
    expect(set.set.space).not.toBe('openai-clip-vit-b32');
    expect([set.text.file, set.image?.file, set.student]).toEqual(['onnx/text_model.onnx', 'onnx/vision_model.onnx', undefined]);
    const size = (f: string) => readFileSync(join(built.dir, f)).length;
    expect(set.set.totalBytes).toBe(size('onnx/text_model.onnx') + size('onnx/vision_model.onnx') + size('tokenizer.json'));
    expect(set.set.totalBytes).toBeGreaterThan(600e6);
  });

  it('copy the real CLIP tokenizer.json when the shared data has it, else the tiny CLIP-format one', () => {
    const root = realDataRoot();
    const real = root ? join(root, 'clip', 'tokenizer.json') : null;
    const expected = real && existsSync(real) ? real : join(__dirname, '../tiny/tokenizer.json');
    expect(readFileSync(join(built.dir, 'tokenizer.json')).equals(readFileSync(expected))).toBe(true);
  });
});

describe('2-layer stand-ins (same operators)', () => {
  const built = ensureStandins({ layers: 2, fp16: true });

  it('fp16 variants keep the float32 signature with float16 weights', () => {
    const text16 = readModel(join(built.dir, 'onnx/text_model_fp16.onnx'));
    const vision16 = readModel(join(built.dir, 'onnx/vision_model_fp16.onnx'));
    expect(text16.inputs[0]!.type).toBe(INT64);
    expect(text16.outputs[0]!.type).toBe(FLOAT);
    expect(vision16.inputs[0]!.type).toBe(FLOAT);
    expect(text16.initializers.filter(isWeight).every((t) => t.type === FLOAT16 && t.bytes === 2 * t.count)).toBe(true);
    expect(vision16.initializers.filter(isWeight).every((t) => t.type === FLOAT16)).toBe(true);
    expect(parameters(text16)).toBe(TEXT_PARAMS - 10 * block(512));
  });

  it('run in onnxruntime-web WASM: finite, non-zero [batch, 512] embeddings; fp16 agrees with fp32', async () => {
    const load = (f: string) => createOrtSession(new Uint8Array(readFileSync(join(built.dir, 'onnx', f))), 'wasm');
    const ids = new BigInt64Array(2 * 77);
    [49406n, 320n, 1929n, 49407n].forEach((id, j) => (ids[j] = id));
    [49406n, 49407n].forEach((id, j) => (ids[77 + j] = id));
    const textRun = { input_ids: { type: 'int64' as const, data: ids, dims: [2, 77] } };
    const text = (await (await load('text_model.onnx')).run(textRun)).text_embeds!;
    expect(text.dims).toEqual([2, 512]);
    const pixels = Float32Array.from({ length: 2 * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.001));
    const image = (await (await load('vision_model.onnx')).run({ pixel_values: { type: 'float32', data: pixels, dims: [2, 3, 224, 224] } })).image_embeds!;
    expect(image.dims).toEqual([2, 512]);
    for (const out of [text, image]) {
      expect(out.data.every(Number.isFinite)).toBe(true);
      for (const b of [0, 1]) expect(Math.hypot(...out.data.subarray(b * 512, (b + 1) * 512))).toBeGreaterThan(1e-3);
    }
    // Two different prompts give different embeddings (the end-token pooling reads the prompt).
    expect(Math.abs(text.data[0]! - text.data[512]!) + Math.abs(text.data[1]! - text.data[513]!)).toBeGreaterThan(1e-4);
    const text16 = (await (await load('text_model_fp16.onnx')).run(textRun)).text_embeds!;
    const scale = Math.max(...text.data.map(Math.abs));
    expect(Math.max(...text16.data.map((v, i) => Math.abs(v - text.data[i]!))) / scale).toBeLessThan(0.02);
  }, 240_000);
});
