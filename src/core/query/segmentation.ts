/**
 * From relevancy values to masks, labels and display colours, following the reference systems
 * (README.md beside this file): DROP-CLIP's per-scene min–max + threshold, LERF's display,
 * OpenMask3D's jet heatmap, LangSplat's softmax labelling with negatives, OpenScene's argmax.
 *
 * Masks are Uint8Array (1 = in, 0 = out). Label maps are Int32Array (−1 = background / none).
 */

import { turboInto } from '../color/colormaps.ts';
import { pointCount } from './formulas.ts';
import { buildTextMatrix, pointSimilaritiesInto, similarityScratch } from './textMatrixKernels.ts';

// ---------------------------------------------------------------------------------------------
// Thresholding
// ---------------------------------------------------------------------------------------------

export type ThresholdNormalise = 'none' | 'min-max';

export interface ThresholdOptions {
  /**
   * `none`: compare the raw values. `min-max`: DROP-CLIP's per-scene normalisation first, see
   * `minMaxNormalise`.
   */
  readonly normalise?: ThresholdNormalise;
}

/**
 * DROP-CLIP's per-scene normalisation (`ClipSimilarity.predict`): (v − min) / (max − min); when
 * every value is equal, v / max as in its code (all 1 for a positive constant), or 0 when max is
 * 0. Non-finite values are ignored for min/max and stay NaN. Returns Float32Array [N].
 */
export function minMaxNormalise(values: Float32Array, out: Float32Array = new Float32Array(values.length)): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) out[i] = NaN;
    else if (span > 0) out[i] = (v - min) / span;
    else out[i] = max !== 0 ? v / max : 0;
  }
  return out;
}

/**
 * Mask of the points whose (optionally min–max normalised) value is strictly greater than
 * `threshold` (DROP-CLIP: `sims_norm > threshold`, 0.7 in its code, 0.75 in DistilBlender).
 * NaN never passes. Returns Uint8Array [N].
 */
export function thresholdMask(values: Float32Array, threshold: number, options: ThresholdOptions = {}): Uint8Array {
  const source = options.normalise === 'min-max' ? minMaxNormalise(values) : values;
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < source.length; i++) mask[i] = source[i]! > threshold ? 1 : 0;
  return mask;
}

// ---------------------------------------------------------------------------------------------
// Display helpers
// ---------------------------------------------------------------------------------------------

export interface LerfDisplay {
  /** clip(r − 0.5, 0, 1) / max over the scene, in [0, 1]; 0 where hidden. */
  readonly values: Float32Array;
  /** 1 where r > 0.5 (drawn with the colormap), 0 where LERF shows the RGB colour instead. */
  readonly shown: Uint8Array;
}

/**
 * LERF's display of a relevancy field: clip(r − 0.5, 0, 1), normalised by its maximum (when the
 * maximum is 0 nothing is shown and all values stay 0); points with r ≤ 0.5 show their RGB.
 */
export function lerfDisplay(relevancy: Float32Array): LerfDisplay {
  const n = relevancy.length;
  const values = new Float32Array(n);
  const shown = new Uint8Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const r = relevancy[i]!;
    const c = r - 0.5 > 0 ? (r - 0.5 < 1 ? r - 0.5 : 1) : 0; // NaN → 0
    values[i] = c;
    if (c > max) max = c;
  }
  if (max > 0) {
    const inv = 1 / max;
    for (let i = 0; i < n; i++) {
      const c = values[i]!;
      if (c > 0) {
        values[i] = c * inv;
        shown[i] = 1;
      }
    }
  }
  return { values, shown };
}

/**
 * RGB bytes of LERF's display: turbo of `lerfDisplay` where shown, the point's own colour
 * (`rgb`, 3 bytes per point) elsewhere. Returns Uint8Array [N, 3].
 */
export function lerfDisplayColors(relevancy: Float32Array, rgb: Uint8Array, out: Uint8Array = new Uint8Array(relevancy.length * 3)): Uint8Array {
  if (rgb.length !== relevancy.length * 3) throw new Error(`lerfDisplayColors: ${rgb.length} colour bytes for ${relevancy.length} points`);
  const { values, shown } = lerfDisplay(relevancy);
  for (let i = 0; i < relevancy.length; i++) {
    const o = i * 3;
    if (shown[i]) turboInto(values[i]!, out, o);
    else {
      out[o] = rgb[o]!;
      out[o + 1] = rgb[o + 1]!;
      out[o + 2] = rgb[o + 2]!;
    }
  }
  return out;
}

/** Breakpoints (x, value) of matplotlib's `jet` (`_cm._jet_data`), per channel. */
const JET_RED: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.35, 0],
  [0.66, 1],
  [0.89, 1],
  [1, 0.5],
];
const JET_GREEN: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.125, 0],
  [0.375, 1],
  [0.64, 1],
  [0.91, 0],
  [1, 0],
];
const JET_BLUE: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.11, 1],
  [0.34, 1],
  [0.65, 0],
  [1, 0],
];

function piecewise(points: readonly (readonly [number, number])[], x: number): number {
  for (let k = 1; k < points.length; k++) {
    const [x1, y1] = points[k]!;
    if (x <= x1) {
      const [x0, y0] = points[k - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1]![1];
}

/**
 * matplotlib's `jet` at t ∈ [0, 1] (clamped), from its linear segment data, evaluated
 * continuously (matplotlib samples a 256-entry table: within 1/255). Writes 3 bytes at out[offset].
 */
export function jetInto(t: number, out: Uint8Array, offset: number): void {
  const x = t > 0 ? (t < 1 ? t : 1) : 0;
  out[offset] = Math.round(piecewise(JET_RED, x) * 255);
  out[offset + 1] = Math.round(piecewise(JET_GREEN, x) * 255);
  out[offset + 2] = Math.round(piecewise(JET_BLUE, x) * 255);
}

export interface OpenMask3dDisplayOptions {
  /** Similarities at or below this are grey. OpenMask3D: 0.16. */
  readonly threshold?: number;
  /** Similarity span mapped onto the full colormap. OpenMask3D: 0.10. */
  readonly span?: number;
  /** RGB bytes of the points at or below the threshold. Default mid grey. */
  readonly grey?: readonly [number, number, number];
}

/**
 * OpenMask3D's heatmap of raw cosine similarities: jet((s − 0.16) / 0.10) for s > 0.16
 * (saturating at s ≥ 0.26), grey otherwise (NaN too). Returns Uint8Array [N, 3].
 */
export function openMask3dColors(
  similarity: Float32Array,
  options: OpenMask3dDisplayOptions = {},
  out: Uint8Array = new Uint8Array(similarity.length * 3),
): Uint8Array {
  const threshold = options.threshold ?? 0.16;
  const span = options.span ?? 0.1;
  const [gr, gg, gb] = options.grey ?? [128, 128, 128];
  for (let i = 0; i < similarity.length; i++) {
    const s = similarity[i]!;
    const o = i * 3;
    if (s > threshold) jetInto((s - threshold) / span, out, o);
    else {
      out[o] = gr;
      out[o + 1] = gg;
      out[o + 2] = gb;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Several labels
// ---------------------------------------------------------------------------------------------

export interface LabelMap {
  /** Index into the label list per point; −1 = background (a negative won) or no feature. */
  readonly labels: Int32Array;
  /**
   * `labelSegmentation`: the winning entry's softmax probability (also when a negative wins).
   * `argmaxLabels`: the winning cosine.
   */
  readonly score: Float32Array;
}

export interface LabelSegmentationOptions {
  /** Softmax temperature (multiplies the cosines). LangSplat: 10. */
  readonly temperature?: number;
}

/**
 * LangSplat `get_semantic_map` style: softmax(T·[s(f, label_1..L) ‖ s(f, neg_1..M)]), argmax; a
 * negative winning means background (−1). Ties go to the lowest index (labels before negatives).
 * A zero feature gets −1 with the uniform probability 1 / (L + M). One pass over the features.
 */
export function labelSegmentation(
  features: Float32Array,
  dim: number,
  labels: readonly Float32Array[],
  negatives: readonly Float32Array[],
  options: LabelSegmentationOptions = {},
): LabelMap {
  const n = pointCount(features, dim);
  const temperature = options.temperature ?? 10;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`labelSegmentation: temperature must be a positive number, got ${temperature}`);
  if (labels.length === 0) throw new Error('labelSegmentation: at least one label is needed');
  const l = labels.length;
  const k = l + negatives.length;
  const matrix = buildTextMatrix([...labels, ...negatives], dim);
  const s = similarityScratch(matrix);
  const out = new Int32Array(n);
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sq = pointSimilaritiesInto(features, i, matrix, s);
    if (!(sq > 0)) {
      out[i] = -1;
      score[i] = 1 / k;
      continue;
    }
    const best = argmaxFirst(s, k);
    const max = s[best]!;
    // Softmax with the maximum subtracted: the winner's term is exp(0) = 1.
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(temperature * (s[j]! - max));
    out[i] = best < l ? best : -1;
    score[i] = 1 / sum;
  }
  return { labels: out, score };
}

/** Index of the largest of the first k entries; ties go to the lowest index. */
function argmaxFirst(s: Float64Array, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (s[j]! > s[best]!) best = j;
  return best;
}

/**
 * OpenScene style: argmax_k s(f, t_k) over the labels, no negatives; `score` is the winning
 * cosine. Ties go to the lowest index. A zero feature gets −1 and score 0. One pass.
 */
export function argmaxLabels(features: Float32Array, dim: number, labels: readonly Float32Array[]): LabelMap {
  const n = pointCount(features, dim);
  if (labels.length === 0) throw new Error('argmaxLabels: at least one label is needed');
  const matrix = buildTextMatrix(labels, dim);
  const s = similarityScratch(matrix);
  const out = new Int32Array(n);
  const score = new Float32Array(n);
  const k = labels.length;
  for (let i = 0; i < n; i++) {
    const sq = pointSimilaritiesInto(features, i, matrix, s);
    if (!(sq > 0)) {
      out[i] = -1;
      score[i] = 0;
      continue;
    }
    const best = argmaxFirst(s, k);
    const max = s[best]!;
    out[i] = best;
    score[i] = max;
  }
  return { labels: out, score };
}
