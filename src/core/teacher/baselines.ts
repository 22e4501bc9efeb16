/**
 * The two baselines the object-centric teacher is compared with:
 *
 * - Tiles (Semantic Abstraction's multi-scale relevancy, OpenScene's per-point mean over views): tiles of
 *   side {d, 2d/3, d/2, d/4} (d = min(H, W)) at stride side/4; every pixel takes the mean embedding of the
 *   tiles covering it per scale, then the mean over the scales; every point takes the mean of its pixel's
 *   feature over the views that see it (the same depth test as the teacher).
 * - ConceptFusion's global/local mix: in each view, object i's local embedding is mixed with the view's
 *   global one by w_i = softmax_i(s(global, local_i)): f_i = norm(w_i·global + (1 − w_i)·local_i).
 */
import type { RgbRaster } from '../units.ts';
import { writeClipPixelValues, type ImagePreprocessSpec } from './clipPreprocess.ts';
import { dot, normalised } from './fusion.ts';
import { visiblePixelProjector, type ViewGeometry } from './visibilityMasks.ts';
import { cropRaster } from './whitenedCrops.ts';

export type EncodeImages = (pixelValues: Float32Array, batch: number) => Promise<Float32Array>;

/** ConceptFusion: mixes each local embedding (normalised) with the view's global one. */
export function conceptFusionMix(global: Float32Array, locals: readonly Float32Array[]): Float32Array[] {
  const similarity = locals.map((l) => dot(global, l));
  const max = Math.max(...similarity);
  const exps = similarity.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return locals.map((local, i) => {
    const w = exps[i]! / total;
    return normalised(Float32Array.from(local, (x, d) => w * global[d]! + (1 - w) * x));
  });
}

export interface Tile {
  readonly left: number;
  readonly top: number;
  readonly side: number;
  readonly scale: number;
}

/** Start offsets 0, stride, 2·stride… plus the last one flush with the far edge. */
function tileStarts(extent: number, side: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + side <= extent; s += stride) starts.push(s);
  if (starts.length === 0 || starts[starts.length - 1]! + side < extent) starts.push(extent - side);
  return starts;
}

export const TILE_SCALE_FRACTIONS: readonly number[] = [1, 2 / 3, 1 / 2, 1 / 4];

export function multiScaleTiles(width: number, height: number): Tile[] {
  const d = Math.min(width, height);
  return TILE_SCALE_FRACTIONS.flatMap((fraction, scale) => {
    const side = Math.max(1, Math.round(d * fraction));
    const stride = Math.max(1, Math.round(side / 4));
    return tileStarts(height, side, stride).flatMap((top) => tileStarts(width, side, stride).map((left) => ({ left, top, side, scale })));
  });
}

/**
 * Per-pixel multi-scale feature of one view from its tiles' (normalised) embeddings, channels
 * [first, first + dim) of them: [H·W, dim]. A 2-D difference array per scale gives each pixel the sum
 * and count of its covering tiles in O(dim·H·W). Callers take the channels in slices so a 512-d CLIP
 * on a 640×480 view never holds all of them per pixel at once.
 */
export function tilePixelFeatures(
  width: number,
  height: number,
  tiles: readonly Tile[],
  embeddings: readonly Float32Array[],
  dim: number,
  first = 0,
): Float32Array {
  const scales = TILE_SCALE_FRACTIONS.length;
  const out = new Float32Array(width * height * dim);
  const W1 = width + 1;
  for (let scale = 0; scale < scales; scale++) {
    const sums = new Float64Array(W1 * (height + 1) * dim);
    const counts = new Float64Array(W1 * (height + 1));
    tiles.forEach((t, i) => {
      if (t.scale !== scale) return;
      const corners: [number, number, number][] = [
        [t.left, t.top, 1],
        [t.left + t.side, t.top, -1],
        [t.left, t.top + t.side, -1],
        [t.left + t.side, t.top + t.side, 1],
      ];
      for (const [x, y, sign] of corners) {
        counts[y * W1 + x]! += sign;
        for (let d = 0; d < dim; d++) sums[(y * W1 + x) * dim + d]! += sign * embeddings[i]![first + d]!;
      }
    });
    // Prefix sums turn the corner marks into per-pixel totals.
    for (let y = 0; y <= height; y++) {
      for (let x = 0; x <= width; x++) {
        const c = y * W1 + x;
        const left = x > 0 ? c - 1 : -1;
        const up = y > 0 ? c - W1 : -1;
        const diag = x > 0 && y > 0 ? c - W1 - 1 : -1;
        if (left >= 0) counts[c]! += counts[left]!;
        if (up >= 0) counts[c]! += counts[up]!;
        if (diag >= 0) counts[c]! -= counts[diag]!;
        for (let d = 0; d < dim; d++) {
          let v = sums[c * dim + d]!;
          if (left >= 0) v += sums[left * dim + d]!;
          if (up >= 0) v += sums[up * dim + d]!;
          if (diag >= 0) v -= sums[diag * dim + d]!;
          sums[c * dim + d] = v;
        }
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const n = counts[y * W1 + x]!;
        if (n < 0.5) continue;
        for (let d = 0; d < dim; d++) out[(y * width + x) * dim + d]! += sums[(y * W1 + x) * dim + d]! / n / scales;
      }
    }
  }
  return out;
}

/** Channels per pass of the per-pixel tile features (bounds memory to H·W·32 values per pass). */
const TILE_CHANNEL_SLICE = 32;

export interface TileBaselineView extends ViewGeometry {
  readonly color: RgbRaster;
}

/** The tile baseline's per-point features [N, D] (normalised; zero where no view sees the point). */
export async function tileBaselineFeatures(
  positions: Float32Array,
  views: readonly TileBaselineView[],
  encode: EncodeImages,
  preprocess: ImagePreprocessSpec,
  options: { readonly tolerance: number; readonly batchSize: number; readonly onView?: (done: number, total: number) => void },
): Promise<{ features: Float32Array; dim: number; tileCount: number }> {
  const count = positions.length / 3;
  let sums: Float32Array | null = null;
  const seen = new Uint16Array(count);
  let dim = 0;
  let tileCount = 0;
  for (let v = 0; v < views.length; v++) {
    const view = views[v]!;
    const { width, height } = view.color;
    const tiles = multiScaleTiles(width, height);
    tileCount += tiles.length;
    const embeddings: Float32Array[] = [];
    for (let start = 0; start < tiles.length; start += options.batchSize) {
      const batch = tiles.slice(start, start + options.batchSize);
      const pixels = new Float32Array(batch.length * 3 * preprocess.size * preprocess.size);
      batch.forEach((t, slot) => writeClipPixelValues(cropRaster(view.color, t.left, t.top, t.side, t.side), preprocess, pixels, slot));
      const out = await encode(pixels, batch.length);
      dim = out.length / batch.length;
      for (let b = 0; b < batch.length; b++) embeddings.push(normalised(out.subarray(b * dim, (b + 1) * dim)));
    }
    sums ??= new Float32Array(count * dim);
    const project = visiblePixelProjector(view, options.tolerance);
    const pixelOfPoint = Int32Array.from({ length: count }, (_, i) => project(positions, i));
    for (let i = 0; i < count; i++) if (pixelOfPoint[i]! >= 0) seen[i]!++;
    for (let first = 0; first < dim; first += TILE_CHANNEL_SLICE) {
      const channels = Math.min(TILE_CHANNEL_SLICE, dim - first);
      const pixelFeatures = tilePixelFeatures(width, height, tiles, embeddings, channels, first);
      for (let i = 0; i < count; i++) {
        const pixel = pixelOfPoint[i]!;
        if (pixel < 0) continue;
        for (let d = 0; d < channels; d++) sums[i * dim + first + d]! += pixelFeatures[pixel * channels + d]!;
      }
    }
    options.onView?.(v + 1, views.length);
  }
  const features = sums ?? new Float32Array(0);
  for (let i = 0; i < count; i++) if (seen[i]! > 0) features.set(normalised(features.subarray(i * dim, (i + 1) * dim)), i * dim);
  return { features, dim, tileCount };
}
