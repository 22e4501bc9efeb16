/**
 * Input-view images for the page: RGB rasters → RGBA (what canvases take), and small thumbnails
 * (box-filtered) for the camera frusta. Pure; sizes in pixels.
 */
import type { RgbRaster } from '../units.ts';

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** 4 bytes per pixel, row-major, alpha 255. */
  readonly rgba: Uint8ClampedArray;
}

export function rgbaFromRgb(image: RgbRaster): RgbaImage {
  const n = image.width * image.height;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[i * 4] = image.rgb[i * 3]!;
    rgba[i * 4 + 1] = image.rgb[i * 3 + 1]!;
    rgba[i * 4 + 2] = image.rgb[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return { width: image.width, height: image.height, rgba };
}

/** Size that keeps the aspect ratio with the long side at most `maxSide` (never upscaled). */
export function thumbnailSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Box-filtered down-scale: each output pixel is the mean of the input pixels whose centres fall in
 * its footprint (so a 2× reduction averages exact 2×2 blocks).
 */
export function downscaleRgb(image: RgbRaster, maxSide: number): RgbaImage {
  const { width, height } = thumbnailSize(image.width, image.height, maxSide);
  const sums = new Float64Array(width * height * 3);
  const counts = new Uint32Array(width * height);
  for (let y = 0; y < image.height; y++) {
    const ty = Math.min(height - 1, Math.floor(((y + 0.5) * height) / image.height));
    for (let x = 0; x < image.width; x++) {
      const tx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / image.width));
      const t = ty * width + tx;
      const s = (y * image.width + x) * 3;
      sums[t * 3]! += image.rgb[s]!;
      sums[t * 3 + 1]! += image.rgb[s + 1]!;
      sums[t * 3 + 2]! += image.rgb[s + 2]!;
      counts[t]!++;
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let t = 0; t < width * height; t++) {
    const c = counts[t]! || 1;
    rgba[t * 4] = Math.round(sums[t * 3]! / c);
    rgba[t * 4 + 1] = Math.round(sums[t * 3 + 1]! / c);
    rgba[t * 4 + 2] = Math.round(sums[t * 3 + 2]! / c);
    rgba[t * 4 + 3] = 255;
  }
  return { width, height, rgba };
}
