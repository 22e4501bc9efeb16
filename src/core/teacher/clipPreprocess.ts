/**
 * CLIP image pre-processing as HF CLIPImageProcessor does it: resize the shortest side to `size` with
 * PIL's bicubic filter (a = −0.5, antialiased when downscaling: the kernel widens by the scale), centre
 * crop `size`×`size`, scale to 0..1, normalise by mean/std, and lay out as [B, 3, size, size].
 *
 * The resampler follows Pillow's 8-bit path (libImaging/Resample.c) so embeddings match Python's:
 * coefficients in 22-bit fixed point, horizontal pass first, each pass rounded and clipped to 0..255.
 */
import type { RgbRaster } from '../units.ts';
import type { ImagePreprocessSpec } from '../models/manifest.ts';

export type { ImagePreprocessSpec } from '../models/manifest.ts';

const PRECISION_BITS = 32 - 8 - 2;
const FIXED_ONE = 2 ** PRECISION_BITS;
const BICUBIC_A = -0.5;
const BICUBIC_SUPPORT = 2;

/** Keys' cubic convolution kernel with a = −0.5 (Pillow's `bicubic_filter`). */
export function bicubicKernel(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((BICUBIC_A + 2) * t - (BICUBIC_A + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * BICUBIC_A;
  return 0;
}

interface ResampleCoefficients {
  /** First input index of each output sample. */
  readonly start: Int32Array;
  readonly taps: Int32Array;
  /** Fixed-point weights, `maxTaps` per output sample. */
  readonly weights: Int32Array;
  readonly maxTaps: number;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for one axis. */
function resampleCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterScale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const taps = new Int32Array(outSize);
  const weights = new Int32Array(outSize * maxTaps);
  const row = new Float64Array(maxTaps);
  for (let xx = 0; xx < outSize; xx++) {
    const centre = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) total += row[x] = bicubicKernel((x + xmin - centre + 0.5) / filterScale);
    for (let x = 0; x < xmax; x++) {
      const k = total !== 0 ? row[x]! / total : row[x]!;
      weights[xx * maxTaps + x] = Math.trunc(k < 0 ? -0.5 + k * FIXED_ONE : 0.5 + k * FIXED_ONE);
    }
    start[xx] = xmin;
    taps[xx] = xmax;
  }
  return { start, taps, weights, maxTaps };
}

function clip8(accumulator: number): number {
  const value = Math.floor(accumulator / FIXED_ONE);
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** One separable pass along x (`alongX`) or y, 3 channels, Pillow rounding. */
function resamplePass(src: RgbRaster, outWidth: number, outHeight: number, alongX: boolean): RgbRaster {
  const c = resampleCoefficients(alongX ? src.width : src.height, alongX ? outWidth : outHeight);
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const o = alongX ? x : y;
      const first = c.start[o]!;
      const n = c.taps[o]!;
      for (let ch = 0; ch < 3; ch++) {
        let acc = FIXED_ONE / 2;
        for (let t = 0; t < n; t++) {
          const index = alongX ? (y * src.width + first + t) * 3 + ch : ((first + t) * src.width + x) * 3 + ch;
          acc += src.rgb[index]! * c.weights[o * c.maxTaps + t]!;
        }
        out[(y * outWidth + x) * 3 + ch] = clip8(acc);
      }
    }
  }
  return { width: outWidth, height: outHeight, rgb: out };
}

/** PIL `Image.resize((width, height), Image.BICUBIC)` on an 8-bit RGB image. */
export function resizeBicubic(src: RgbRaster, width: number, height: number): RgbRaster {
  if (width <= 0 || height <= 0 || src.width <= 0 || src.height <= 0)
    throw new Error(`resizeBicubic: cannot resize ${src.width}×${src.height} to ${width}×${height}`);
  const horizontal = width !== src.width ? resamplePass(src, width, src.height, true) : src;
  return height !== src.height ? resamplePass(horizontal, width, height, false) : horizontal;
}

/** HF `get_resize_output_image_size(shortest_edge = size)`: the short side becomes `size`, aspect kept. */
export function shortestSideSize(width: number, height: number, size: number): { width: number; height: number } {
  return width <= height ? { width: size, height: Math.trunc((size * height) / width) } : { width: Math.trunc((size * width) / height), height: size };
}

/** Resize + centre crop + normalise one image into `out` at batch slot `slot` ([B, 3, S, S]). */
export function writeClipPixelValues(image: RgbRaster, spec: ImagePreprocessSpec, out: Float32Array, slot: number): void {
  const S = spec.size;
  const target = shortestSideSize(image.width, image.height, S);
  const resized = resizeBicubic(image, target.width, target.height);
  const top = Math.trunc((resized.height - S) / 2);
  const left = Math.trunc((resized.width - S) / 2);
  const plane = S * S;
  const base = slot * 3 * plane;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const src = ((y + top) * resized.width + x + left) * 3;
      for (let ch = 0; ch < 3; ch++) out[base + ch * plane + y * S + x] = (resized.rgb[src + ch]! / 255 - spec.mean[ch]!) / spec.std[ch]!;
    }
  }
}

/** A batch of images as CLIP `pixel_values`, float32 [B, 3, size, size]. */
export function clipPixelValues(images: readonly RgbRaster[], spec: ImagePreprocessSpec): Float32Array {
  const out = new Float32Array(images.length * 3 * spec.size * spec.size);
  images.forEach((image, slot) => writeClipPixelValues(image, spec, out, slot));
  return out;
}
