import { describe, expect, it } from 'vitest';
import type { RgbRaster } from '../units.ts';
import { mulberry32 } from '../synth/prng.ts';
import { clipPixelValues, resizeBicubic, shortestSideSize } from './clipPreprocess.ts';

const CLIP = { size: 224, mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711], resample: 'bicubic' } as const;

function randomImage(width: number, height: number, seed: number): RgbRaster {
  const random = mulberry32(seed);
  return { width, height, rgb: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)) };
}

/**
 * An independent reference: the textbook separable cubic convolution (Keys, a = −0.5) with the kernel
 * stretched by the scale when downscaling (antialiasing), weights summed over every input sample and
 * normalised, all in float64, rounded once at the end.
 */
function referenceResize(src: RgbRaster, width: number, height: number): Float64Array {
  const keys = (x: number): number => {
    const t = Math.abs(x);
    const a = -0.5;
    return t < 1 ? (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1 : t < 2 ? a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a : 0;
  };
  const weights = (inSize: number, outSize: number): number[][] => {
    const scale = inSize / outSize;
    const stretch = Math.max(1, scale);
    return Array.from({ length: outSize }, (_, o) => {
      const centre = (o + 0.5) * scale;
      const w = Array.from({ length: inSize }, (_, i) => keys((i + 0.5 - centre) / stretch));
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / total);
    });
  };
  const wx = weights(src.width, width);
  const wy = weights(src.height, height);
  const horizontal = new Float64Array(width * src.height * 3);
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = 0; i < src.width; i++) acc += wx[x]![i]! * src.rgb[(y * src.width + i) * 3 + c]!;
        horizontal[(y * width + x) * 3 + c] = acc;
      }
  const out = new Float64Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let j = 0; j < src.height; j++) acc += wy[y]![j]! * horizontal[(j * width + x) * 3 + c]!;
        out[(y * width + x) * 3 + c] = acc;
      }
  return out;
}

describe('CLIP image pre-processing', () => {
  it.each([
    [23, 17, 9, 7],
    [10, 12, 25, 31],
    [40, 8, 13, 8],
  ])('bicubic resize %i×%i → %i×%i is within the two roundings of a float reference (Pillow rounds once per pass)', (w, h, ow, oh) => {
    // A smooth image (gradients + mild noise): rounding between passes moves a value by at most one level there.
    const random = mulberry32(w * 100 + h);
    const src: RgbRaster = { width: w, height: h, rgb: new Uint8Array(w * h * 3) };
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) src.rgb[(y * w + x) * 3 + c] = Math.round(40 + (150 * x) / w + (50 * y) / h + 10 * c + 8 * random());
    const ours = resizeBicubic(src, ow, oh);
    const reference = referenceResize(src, ow, oh);
    let worst = 0;
    for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(ours.rgb[i]! - Math.min(255, Math.max(0, reference[i]!))));
    // Two roundings: the first (≤ ½ level) is scaled by the vertical kernel's Σ|w| (≤ 1.2), the second adds ½.
    expect(worst).toBeLessThanOrEqual(0.5 * 1.2 + 0.5);
  });

  it('keeps a constant image constant and clips the overshoot at sharp edges to 0..255', () => {
    const flat = resizeBicubic({ width: 9, height: 5, rgb: new Uint8Array(9 * 5 * 3).fill(173) }, 31, 4);
    expect(new Set(flat.rgb)).toEqual(new Set([173]));
    const edge = resizeBicubic({ width: 4, height: 1, rgb: Uint8Array.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]) }, 13, 1);
    expect(Math.min(...edge.rgb)).toBe(0);
    expect(Math.max(...edge.rgb)).toBe(255);
  });

  it('resizes the shortest side to 224 (aspect kept, truncated as HF does) and centre-crops', () => {
    expect(shortestSideSize(320, 240, 224)).toEqual({ width: 298, height: 224 });
    expect(shortestSideSize(100, 333, 224)).toEqual({ width: 224, height: 745 });
    // Left third red, rest blue: after resize + centre crop of a 3:1 image, the crop shows only blue.
    const wide: RgbRaster = { width: 90, height: 30, rgb: new Uint8Array(90 * 30 * 3) };
    for (let y = 0; y < 30; y++) for (let x = 0; x < 90; x++) wide.rgb.set(x < 30 ? [255, 0, 0] : [0, 0, 255], (y * 90 + x) * 3);
    const values = clipPixelValues([wide], CLIP);
    expect(values.length).toBe(3 * 224 * 224);
    const plane = 224 * 224;
    const at = (c: number, x: number, y: number) => values[c * plane + y * 224 + x]!;
    expect(at(0, 10, 100)).toBeCloseTo((0 - CLIP.mean[0]) / CLIP.std[0], 5);
    expect(at(2, 10, 100)).toBeCloseTo((1 - CLIP.mean[2]) / CLIP.std[2], 5);
  });

  it('normalises each channel by CLIP mean/std in [B, 3, H, W] layout', () => {
    const images = [randomImage(50, 50, 1), { width: 224, height: 224, rgb: new Uint8Array(224 * 224 * 3).fill(200) }];
    const values = clipPixelValues(images, CLIP);
    const plane = 224 * 224;
    // The second image is already 224² and constant: every value is (200/255 − mean)/std of its channel.
    for (let c = 0; c < 3; c++) expect(values[(3 + c) * plane + 12345]).toBeCloseTo((200 / 255 - CLIP.mean[c]!) / CLIP.std[c]!, 5);
    // The first slot holds the first image: its top-left pixel is the resized image's, normalised.
    const resized = resizeBicubic(images[0]!, 224, 224);
    for (let c = 0; c < 3; c++) expect(values[c * plane]).toBeCloseTo((resized.rgb[c]! / 255 - CLIP.mean[c]!) / CLIP.std[c]!, 5);
  });
});
