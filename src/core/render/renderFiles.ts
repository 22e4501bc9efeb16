/**
 * The files of one render (DistillNeRF-style outputs from any camera), from a splat render's index
 * image and per-point values:
 *
 * - `rgb.png`: 8-bit RGB; uncovered pixels black.
 * - `depth.npy`: float32 [H, W], metres along the camera's optical axis (OpenCV z); 0 = uncovered.
 * - `pca.png`: the per-point PCA colours (3 components, one global min–max over the whole cloud) read
 *   through the index image; uncovered black.
 * - `relevancy.npy`: float32 [H, W] of the query's per-point relevancy; NaN = uncovered.
 *   `relevancy.png`: turbo over the per-point relevancy range of the whole cloud (so two renders of a
 *   scene share one scale); uncovered black.
 * - `features.npy`: float32 [H, W, D], the point's feature row at each pixel; zeros = uncovered.
 * - `index.npy`: int32 [H, W], the point drawn at each pixel (−1 = uncovered).
 */
import { encode } from 'fast-png';
import { turboInto } from '../color/colormaps.ts';
import { encodeNpy } from '../formats/npyEncode.ts';
import type { SplatImages } from './splatRender.ts';
import { pixelFeatures, pixelScalars } from './viewRender.ts';

export interface RenderExtras {
  /** Per-point PCA colours (3 bytes a point). */
  readonly pcaRgb?: Uint8Array | null;
  /** Per-point relevancy and its range over the cloud. */
  readonly relevancy?: { readonly values: Float32Array; readonly min: number; readonly max: number } | null;
  /** Per-point feature rows, read on demand (any feature store). */
  readonly features?: { readonly dim: number; readonly readRow: (point: number, out: Float32Array) => void } | null;
}

function rgbPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}

/** Per-point RGB read through the index image into an RGB raster (uncovered black). */
function pixelRgb(pointIndex: Int32Array, perPointRgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(pointIndex.length * 3);
  for (let k = 0; k < pointIndex.length; k++) {
    const i = pointIndex[k]!;
    if (i < 0) continue;
    out[3 * k] = perPointRgb[3 * i]!;
    out[3 * k + 1] = perPointRgb[3 * i + 1]!;
    out[3 * k + 2] = perPointRgb[3 * i + 2]!;
  }
  return out;
}

/** The render's files by name (see the module comment). */
export function renderFiles(images: SplatImages, extras: RenderExtras = {}): Map<string, Uint8Array> {
  const { width, height, pointIndex } = images;
  const files = new Map<string, Uint8Array>();
  files.set('rgb.png', rgbPng(width, height, images.rgb));
  files.set('depth.npy', encodeNpy(images.depthMetres, [height, width]));
  files.set('index.npy', encodeNpy(pointIndex, [height, width]));
  if (extras.pcaRgb) files.set('pca.png', rgbPng(width, height, pixelRgb(pointIndex, extras.pcaRgb)));
  if (extras.relevancy) {
    const { values, min, max } = extras.relevancy;
    const perPixel = pixelScalars(pointIndex, values);
    files.set('relevancy.npy', encodeNpy(perPixel, [height, width]));
    const colour = new Uint8Array(width * height * 3);
    const span = max > min ? max - min : 1;
    for (let k = 0; k < perPixel.length; k++) if (pointIndex[k]! >= 0 && Number.isFinite(perPixel[k]!)) turboInto((perPixel[k]! - min) / span, colour, 3 * k);
    files.set('relevancy.png', rgbPng(width, height, colour));
  }
  if (extras.features) {
    const { dim, readRow } = extras.features;
    files.set('features.npy', encodeNpy(pixelFeatures(pointIndex, dim, readRow), [height, width, dim]));
  }
  return files;
}

/** Share of the image's pixels drawn. */
export function coverage(images: SplatImages): number {
  let covered = 0;
  for (const i of images.pointIndex) if (i >= 0) covered++;
  return covered / images.pointIndex.length;
}
