import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/synth/prng.ts';
import { createOrtSession, type OrtSession } from '../../src/infer/ortRuntime.ts';
import { TINY_CONCEPTS, TINY_CONTEXT_LENGTH, TINY_EMBED_DIM, tinyTextEncoderReference, tinyTokenizer } from './tinyClipSpace.ts';
import { buildTinyImageEncoder, CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, TINY_IMAGE_SIZE, tinyImageEncoderReference } from './tinyImageEncoder.ts';

const S = TINY_IMAGE_SIZE;
const D = TINY_EMBED_DIM;
let session: OrtSession;

beforeAll(async () => {
  session = await createOrtSession(buildTinyImageEncoder(), 'wasm');
});
afterAll(async () => {
  await session.release();
});

/** CLIP-normalised [batch, 3, S, S] from per-pixel RGB 0..1 given by `colourAt(b, x, y)`. */
function pixelValues(batch: number, colourAt: (b: number, x: number, y: number) => readonly [number, number, number]): Float32Array {
  const out = new Float32Array(batch * 3 * S * S);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const rgb = colourAt(b, x, y);
        for (let c = 0; c < 3; c++) out[((b * 3 + c) * S + y) * S + x] = (rgb[c]! - CLIP_IMAGE_MEAN[c]!) / CLIP_IMAGE_STD[c]!;
      }
    }
  }
  return out;
}

async function embedImages(values: Float32Array, batch: number): Promise<Float32Array> {
  const out = await session.run({ pixel_values: { type: 'float32', data: values, dims: [batch, 3, S, S] } });
  expect(out.image_embeds?.dims).toEqual([batch, D]);
  return out.image_embeds?.data ?? new Float32Array();
}

function cosine(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < D; d++) {
    dot += a[i * D + d]! * b[j * D + d]!;
    na += a[i * D + d]! ** 2;
    nb += b[j * D + d]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('tiny CLIP image encoder', () => {
  it('has the standard signature', () => {
    expect(session.inputNames).toEqual(['pixel_values']);
    expect(session.outputNames).toEqual(['image_embeds']);
  });

  it('ONNX output equals the plain JS computation (random images with white areas)', async () => {
    const random = mulberry32(61);
    const values = pixelValues(3, (b, x, y) => (b === 2 || (x + y) % 3 === 0 ? [1, 1, 1] : [random(), random(), random()]));
    const onnx = await embedImages(values, 3);
    const reference = tinyImageEncoderReference(values, 3);
    let maxDiff = 0;
    for (let i = 0; i < onnx.length; i++) maxDiff = Math.max(maxDiff, Math.abs(onnx[i]! - reference[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('a whitened crop of a shaded coloured object embeds nearest the text of its colour', async () => {
    const tokenizer = new Tokenizer(tinyTokenizer().json, {});
    const names = TINY_CONCEPTS.map((c) => c.name).filter((n) => n !== 'white');
    // A disc of the prototype colour, shaded ×0.7 on one half, on white.
    const values = pixelValues(names.length, (b, x, y) => {
      const rgb = TINY_CONCEPTS.find((c) => c.name === names[b])!.rgb;
      if ((x - 112) ** 2 + (y - 112) ** 2 > 60 ** 2) return [1, 1, 1];
      const shade = x < 112 ? 0.7 : 1;
      return [rgb[0] * shade, rgb[1] * shade, rgb[2] * shade];
    });
    const images = await embedImages(values, names.length);
    const ids = new BigInt64Array(names.length * TINY_CONTEXT_LENGTH);
    names.forEach((name, b) => tokenizer.encode(name).ids.forEach((id, i) => (ids[b * TINY_CONTEXT_LENGTH + i] = BigInt(id))));
    const texts = tinyTextEncoderReference(ids, names.length);
    names.forEach((name, b) => {
      const scores = names.map((_, t) => cosine(images, b, texts, t));
      expect(names[scores.indexOf(Math.max(...scores))], name).toBe(name);
    });
  });
});
