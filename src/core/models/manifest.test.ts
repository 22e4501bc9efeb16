import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseModelManifest, resolveModelSet, selectModelVariant, type ModelEntry } from './manifest.ts';

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

describe('model sets', () => {
  const student: ModelEntry = { ...entry, id: 'student', kind: 'student3d', tokenizer: undefined, variants: undefined };
  const image: ModelEntry = {
    ...entry,
    id: 'image',
    kind: 'clip-image',
    tokenizer: undefined,
    variants: undefined,
    imagePreprocess: { size: 224, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], resample: 'bicubic' },
  };
  const otherText: ModelEntry = { ...entry, id: 'big-text', space: 'big', embeddingDim: 512 };
  const demo = { id: 'demo', label: 'Demo', space: 's', text: 'text', image: 'image', student: 'student', totalBytes: 300 };
  const big = { id: 'big', label: 'Big', space: 'big', text: 'big-text', totalBytes: 100 };
  const withSets = (sets: unknown, defaultModelSet: unknown = 'demo', defaults: object = { 'clip-text': 'text', student3d: 'student' }) => ({
    format: 'fieldlens-models@1',
    models: [entry, student, image, otherText],
    defaults,
    modelSets: sets,
    defaultModelSet,
  });

  it('resolves the default set and a named one to their entries', () => {
    const manifest = parseModelManifest(withSets([demo, big]));
    const chosen = resolveModelSet(manifest);
    expect(chosen.set.id).toBe('demo');
    expect([chosen.text.id, chosen.image?.id, chosen.student?.id]).toEqual(['text', 'image', 'student']);
    const named = resolveModelSet(manifest, 'big');
    expect([named.text.id, named.image, named.student]).toEqual(['big-text', undefined, undefined]);
  });

  it('names the known sets when the id is unknown', () => {
    const manifest = parseModelManifest(withSets([demo, big]));
    expect(() => resolveModelSet(manifest, 'clip', 'm.json')).toThrow('model set "clip" is not in m.json (known: demo, big)');
  });

  it.each([
    [[{ ...demo, text: 'nope' }], /model set "demo": "text" names "nope", which is not a model/],
    [[{ ...demo, image: 'student' }], /model set "demo": "image" must name a clip-image model, "student" is student3d/],
    [[{ ...demo, text: 'big-text' }], /"text" model "big-text" lives in big, the set in s/],
    [[{ ...demo, totalBytes: 0 }], /"totalBytes" must be a positive integer/],
    [[demo, demo], /model set "demo" appears twice/],
    [[{ ...demo, label: '' }], /model set "demo": missing "label"/],
    [[], /"modelSets" must be a non-empty array/],
  ])('refuses a malformed set (%#)', (sets, message) => {
    expect(() => parseModelManifest(withSets(sets))).toThrow(message);
  });

  it('needs a default set that exists', () => {
    expect(() => parseModelManifest(withSets([demo, big], 'gone'))).toThrow('"defaultModelSet" must name one of the model sets (demo, big), found "gone"');
  });

  it('accepts a manifest of encoders only (no student default), as the stand-ins write', () => {
    const manifest = parseModelManifest(withSets([big], 'big', { 'clip-text': 'big-text' }));
    expect(resolveModelSet(manifest).text.id).toBe('big-text');
  });

  it('gives a manifest without sets one implicit set of its defaults in the text model space', () => {
    const manifest = parseModelManifest({
      format: 'fieldlens-models@1',
      models: [entry, student, image],
      defaults: { 'clip-text': 'text', student3d: 'student', 'clip-image': 'image' },
    });
    const chosen = resolveModelSet(manifest);
    expect(chosen.set).toMatchObject({ id: 'default', space: 's', text: 'text', image: 'image', student: 'student' });
    // Each model's file plus the text model's tokenizer (its bytes are not declared here: 0).
    expect(chosen.set.totalBytes).toBe(100 * 3);
  });
});

describe('the committed models/manifest.json', () => {
  const manifest = parseModelManifest(JSON.parse(readFileSync(new URL('../../../models/manifest.json', import.meta.url), 'utf8')));
  it('has the offline demo set as default and the pinned CLIP ViT-B/32 towers as a set without a student', () => {
    const demo = resolveModelSet(manifest);
    expect(demo.set.id).toBe('demo');
    expect(demo.text.file.startsWith('tiny/')).toBe(true);
    const clip = resolveModelSet(manifest, 'clip-vit-b32');
    expect([clip.text.id, clip.image?.id, clip.student]).toEqual(['clip-vit-b32-text', 'clip-vit-b32-image', undefined]);
    // text_model.onnx + vision_model.onnx + tokenizer.json of the pinned revision.
    expect(clip.set.totalBytes).toBe(254_058_553 + 351_685_709 + 2_224_119);
  });
});

describe('parseModelManifest: locations, sizes and hashes are checked before anything is fetched', () => {
  const student = { ...entry, id: 'student', kind: 'student3d', tokenizer: undefined, variants: undefined } as const;
  const manifest = (text: unknown) => ({ format: 'fieldlens-models@1', models: [text, student], defaults: { 'clip-text': 'text', student3d: 'student' } });

  it('takes relative paths and http(s) URLs only', () => {
    expect(parseModelManifest(manifest({ ...entry, file: 'https://example.org/m/text.onnx' })).models).toHaveLength(2);
    expect(parseModelManifest(manifest({ ...entry, file: 'http://lab.local/text.onnx' })).models).toHaveLength(2);
    for (const [file, found] of [
      ['javascript:alert(1)', 'the scheme "javascript:"'],
      ['data:application/octet-stream;base64,AAAA', 'the scheme "data:"'],
      ['file:///etc/passwd', 'the scheme "file:"'],
      ['blob:https://x/1', 'the scheme "blob:"'],
      ['//evil.example/text.onnx', '"//evil.example/text.onnx"'],
    ]) {
      expect(() => parseModelManifest(manifest({ ...entry, file }))).toThrow(`model "text": "file" must be a relative path or an http(s) URL, found ${found}`);
    }
    expect(() => parseModelManifest(manifest({ ...entry, tokenizer: { ...entry.tokenizer, file: 'javascript:x' } }))).toThrow(
      /model "text": tokenizer "file" \/ "bytes" must be a relative path/,
    );
    expect(() => parseModelManifest(manifest({ ...entry, variants: { fp16: { ...entry.variants!.fp16!, file: 'data:x' } } }))).toThrow(
      /variants\.fp16 needs "file" \(a relative path or an http\(s\) URL\)/,
    );
  });

  it('requires sizes (positive, at most 2 GiB) and hashes', () => {
    expect(() => parseModelManifest(manifest({ ...entry, bytes: undefined }))).toThrow(
      'model "text": "bytes" must be a positive whole number of bytes, found undefined',
    );
    expect(() => parseModelManifest(manifest({ ...entry, bytes: -1 }))).toThrow(/"bytes" must be a positive whole number of bytes, found -1/);
    expect(() => parseModelManifest(manifest({ ...entry, bytes: 3 * 1024 ** 3 }))).toThrow(
      `"bytes" is ${3 * 1024 ** 3} bytes, over the ${2 * 1024 ** 3} a browser tab can hold`,
    );
    expect(() => parseModelManifest(manifest({ ...entry, tokenizer: { ...entry.tokenizer, sha256: undefined } }))).toThrow(
      /tokenizer "sha256" must be 64 lowercase hex digits/,
    );
    expect(() => parseModelManifest(manifest({ ...entry, variants: { fp16: { ...entry.variants!.fp16!, bytes: 2 ** 40 } } }))).toThrow(/variants\.fp16 needs/);
  });
});
