import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findModel, parseModelManifest } from './manifest.ts';
import { manifestForModelSet, modelSetFiles } from './modelSetScope.ts';

const manifest = parseModelManifest(JSON.parse(readFileSync(new URL('../../../models/manifest.json', import.meta.url), 'utf8')));
const wasm = () => ({ backend: 'wasm', shaderF16: false }) as const;
const gpuF16 = () => ({ backend: 'webgpu', shaderF16: true }) as const;

describe('manifestForModelSet', () => {
  it("narrows CLIP's set to its text and image towers: no student of another space is found", () => {
    const scoped = manifestForModelSet(manifest, 'clip-vit-b32');
    expect(scoped.models.map((m) => m.id).sort()).toEqual(['clip-vit-b32-image', 'clip-vit-b32-text']);
    expect(findModel(scoped, 'clip-text').id).toBe('clip-vit-b32-text');
    expect(findModel(scoped, 'clip-image').id).toBe('clip-vit-b32-image');
    expect(() => findModel(scoped, 'student3d')).toThrow('the manifest has no student3d model');
    // The narrowed manifest is itself valid.
    expect(() => parseModelManifest(JSON.parse(JSON.stringify(scoped)))).not.toThrow();
  });

  it('the demo set keeps its trained student, not the first student in the file', () => {
    const scoped = manifestForModelSet(manifest, 'demo');
    expect(findModel(scoped, 'student3d').id).toBe('student3d-tiny-trained');
  });

  it('an unknown set id names the known ones', () => {
    expect(() => manifestForModelSet(manifest, 'nope')).toThrow('model set "nope" is not in the manifest (known: demo, clip-vit-b32)');
  });
});

describe('modelSetFiles', () => {
  it("lists CLIP's fp32 towers and tokenizer on WASM: their sizes add up to the set's totalBytes", () => {
    const files = modelSetFiles(manifest, 'clip-vit-b32', wasm);
    expect(files.map((f) => f.file.split('/').at(-1))).toEqual(['text_model.onnx', 'tokenizer.json', 'vision_model.onnx']);
    const set = manifest.modelSets!.find((s) => s.id === 'clip-vit-b32')!;
    expect(files.reduce((n, f) => n + f.bytes!, 0)).toBe(set.totalBytes);
  });

  it('lists the fp16 variants where WebGPU runs fp16', () => {
    const files = modelSetFiles(manifest, 'clip-vit-b32', gpuF16);
    expect(files.map((f) => f.file.split('/').at(-1))).toEqual(['text_model_fp16.onnx', 'tokenizer.json', 'vision_model_fp16.onnx']);
    expect(files[0]!.bytes).toBe(127339794);
  });
});
