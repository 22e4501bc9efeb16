/**
 * The CLI with model sets: `query --manifest <stand-ins>` on a capture that brings 512-d features,
 * `--model-set` errors, and `zero-shot` — shapes with the 2-layer stand-ins, values with the tiny
 * set against the plain-JS references of the tiny encoders.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { encodeFeaturePly } from '../core/export/featurePly.ts';
import { clipPixelValues } from '../core/teacher/clipPreprocess.ts';
import { createClipTokenizer } from '../core/text/clipTokenizer.ts';
import { mulberry32 } from '../core/synth/prng.ts';

import { ensureStandins } from '../../models/build/standins.ts';
import { tinyTextEncoderReference, tinyTokenizer } from '../../models/build/tinyClipSpace.ts';
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, tinyImageEncoderReference } from '../../models/build/tinyImageEncoder.ts';
import { runQueryCommand } from './queryCommand.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { clipLabelProbabilities, runZeroShotCommand } from './zeroShotCommand.ts';

const dir = mkdtempSync(join(tmpdir(), 'fieldlens-sets-'));
// The same build as models/build/standins.test.ts (one cache entry).
const standins = ensureStandins({ layers: 2, fp16: true });

function featureCloud(count: number, dim: number): string {
  const random = mulberry32(3);
  const path = join(dir, `cloud-${dim}.ply`);
  writeFileSync(
    path,
    encodeFeaturePly({
      count,
      positions: Float32Array.from({ length: count * 3 }, () => random()),
      colors: Uint8Array.from({ length: count * 3 }, () => Math.floor(random() * 256)),
      features: Float32Array.from({ length: count * dim }, () => random() - 0.5),
      dim,
      provenance: { space: 'test', source: 'teacher' },
    }),
  );
  return path;
}

const query = (file: string, manifestPath: string, modelSetId?: string) =>
  runQueryCommand({
    files: [{ name: 'cloud.ply', bytes: new Uint8Array(readFileSync(file)) }],
    capture: DEFAULT_CAPTURE_SETTINGS,
    text: 'a chair',
    labels: false,
    formula: 'lerf',
    template: 'single',
    negatives: '',
    threshold: 0.7,
    manifestPath,
    modelSetId,
    out: join(dir, 'result.ply'),
  });

describe('fieldlens query with model sets', () => {
  it('runs the 2-layer stand-ins on a capture that brings 512-d features and reports source and dimension', async () => {
    const result = await query(featureCloud(300, 512), standins.manifestPath);
    expect(result).toMatchObject({ points: 300, featureSource: 'file', featureDim: 512, modelSet: 'standin-clip-vit-b32', textModel: 'standin-clip-text' });
    expect(result.space).toMatch(/^fieldlens-standin-clip-vit-b32-2l-seed0$/);
    expect(result.relevancyRange!.max).toBeGreaterThan(result.relevancyRange!.min);
  }, 120_000);

  it('says what is missing when the set has no student and the capture no features', async () => {
    const plain = join(dir, 'plain.ply');
    writeFileSync(
      plain,
      encodeFeaturePly({
        count: 3,
        positions: new Float32Array(9),
        colors: new Uint8Array(9),
        features: new Float32Array(0),
        dim: 0,
        provenance: { space: 'x', source: 'file' },
      }),
    );
    await expect(query(plain, defaultManifestFile, 'clip-vit-b32')).rejects.toThrow(
      'model set "clip-vit-b32" has no 3D student: give a capture that carries its own 512-d features',
    );
    await expect(query(plain, defaultManifestFile, 'nope')).rejects.toThrow('model set "nope" is not in');
  });
});

function solidPng(rgb: readonly [number, number, number], width = 40, height = 30): string {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  const path = join(dir, `solid-${rgb.join('-')}.png`);
  writeFileSync(path, encode({ width, height, data, depth: 8, channels: 3 }));
  return path;
}

describe('fieldlens zero-shot', () => {
  it('clipLabelProbabilities: softmax of scale × cosine', () => {
    const p = clipLabelProbabilities(Float32Array.of(2, 0), [Float32Array.of(3, 0), Float32Array.of(0, 1), Float32Array.of(-1, 0)], 1);
    const e = [Math.E, 1, 1 / Math.E];
    const sum = e[0]! + e[1]! + e[2]!;
    e.forEach((v, k) => expect(p[k]).toBeCloseTo(v / sum, 12));
  });

  it('gives the tiny set’s probabilities, as its plain-JS encoder references compute them', async () => {
    const labels = ['red', 'green', 'blue'];
    const image = solidPng([200, 30, 30]);
    const result = await runZeroShotCommand({ image, labels: labels.join(', '), manifestPath: defaultManifestFile });
    expect(result.modelSet).toBe('demo');
    // Reference: the same preprocessing, then the tiny encoders' JS references and CLIP's 100 × cosine softmax.
    const pixels = clipPixelValues([{ width: 40, height: 30, rgb: new Uint8Array(40 * 30 * 3).map((_, i) => [200, 30, 30][i % 3]!) }], {
      size: 224,
      mean: CLIP_IMAGE_MEAN,
      std: CLIP_IMAGE_STD,
      resample: 'bicubic',
    });
    const imageEmbedding = tinyImageEncoderReference(pixels, 1);
    const tok = tinyTokenizer();
    const tokenizer = createClipTokenizer(tok.json, { contextLength: 77, startId: tok.startId, endId: tok.endId });
    const texts = tinyTextEncoderReference(tokenizer.encodeBatch(labels), labels.length);
    const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
    const cos = labels.map((_, k) => unit(texts.slice(k * 16, (k + 1) * 16)).reduce((s, x, d) => s + x * unit(imageEmbedding)[d]!, 0));
    const exps = cos.map((c) => Math.exp(100 * (c - Math.max(...cos))));
    const expected = exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
    result.labels.forEach((l, k) => {
      expect(l.label).toBe(labels[k]);
      expect(l.probability).toBeCloseTo(expected[k]!, 4);
    });
    expect(result.labels[0]!.probability).toBeGreaterThan(0.9);
  }, 60_000);

  it('runs the 2-layer stand-ins: one probability per label, summing to 1', async () => {
    const result = await runZeroShotCommand({ image: solidPng([20, 90, 200]), labels: 'a diagram, a dog, a cat', manifestPath: standins.manifestPath });
    expect(result).toMatchObject({ modelSet: 'standin-clip-vit-b32', imageModel: 'standin-clip-image', dim: 512 });
    expect(result.labels.map((l) => l.label)).toEqual(['a diagram', 'a dog', 'a cat']);
    expect(result.labels.reduce((s, l) => s + l.probability, 0)).toBeCloseTo(1, 6);
    expect(result.labels.every((l) => l.probability >= 0 && l.probability <= 1)).toBe(true);
  }, 180_000);
});
