import { describe, expect, it } from 'vitest';
import { parseModelManifest, selectModelVariant, type ModelEntry } from './manifest.ts';

const entry: ModelEntry = {
  id: 'text',
  kind: 'clip-text',
  file: 'text.onnx',
  sha256: 'a'.repeat(64),
  bytes: 100,
  inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }],
  outputs: [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', 16] }],
  embeddingDim: 16,
  space: 's',
  license: 'MIT',
  description: '',
  tokenizer: { file: 'tokenizer.json', sha256: 'c'.repeat(64), contextLength: 77, startId: 1, endId: 2 },
  variants: { fp16: { file: 'text_fp16.onnx', sha256: 'b'.repeat(64), bytes: 50 } },
};
const fp32 = { precision: 'fp32', file: 'text.onnx', sha256: 'a'.repeat(64) };
const fp16 = { precision: 'fp16', file: 'text_fp16.onnx', sha256: 'b'.repeat(64) };

describe('selectModelVariant', () => {
  it.each([
    ['webgpu', true, fp16],
    ['webgpu', false, fp32],
    ['wasm', true, fp32],
    ['wasm', false, fp32],
  ] as const)('backend %s, shader-f16 %s', (backend, shaderF16, expected) => {
    expect(selectModelVariant(entry, { backend, shaderF16 })).toEqual(expected);
  });

  it('an entry without an fp16 variant always loads its fp32 file', () => {
    const plain: ModelEntry = { ...entry, variants: undefined };
    expect(selectModelVariant(plain, { backend: 'webgpu', shaderF16: true })).toEqual(fp32);
  });
});

describe('parseModelManifest: clip-image kind and variants', () => {
  const student = { ...entry, id: 'student', kind: 'student3d', tokenizer: undefined, variants: undefined } as const;
  const image: ModelEntry = {
    ...entry,
    id: 'image',
    kind: 'clip-image',
    tokenizer: undefined,
    imagePreprocess: { size: 224, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], resample: 'bicubic' },
  } as const;
  const manifest = (models: readonly unknown[]) => ({ format: 'fieldlens-models@1', models, defaults: { 'clip-text': 'text', student3d: 'student' } });

  it('accepts a clip-image entry without a clip-image default', () => {
    expect(parseModelManifest(manifest([entry, student, image])).models).toHaveLength(3);
  });
  it('refuses an fp16 variant with a malformed hash', () => {
    const bad = { ...entry, variants: { fp16: { file: 'x.onnx', sha256: 'nope', bytes: 1 } } };
    expect(() => parseModelManifest(manifest([bad, student]))).toThrow(/model "text": variants.fp16 needs/);
  });
});
