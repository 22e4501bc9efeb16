/**
 * Is a frame's depth in plausible metres? A wrong depth scale is silent otherwise: TUM's 1/5000 m
 * read as millimetres puts every point 5× too far away. A frame whose median depth lies outside
 * 0.2–10 m (hand-held and tabletop RGB-D captures sit well inside) gets a warning naming the
 * median and the common depth scale that would bring it into that range.
 *
 * TUM RGB-D is also recognised by name (documented in the README):
 * - file names that are TUM timestamps, `1305031102.175304.png` (10 digits, a dot, 6 digits);
 * - a file name with the word "tum" or "freiburg" in it (`TUM_depth.png`, `freiburg1_depth.png`);
 * - a path inside a folder named like TUM's own archives, `rgbd_dataset_freiburg…`.
 * A whole TUM sequence (`rgb.txt` + `depth.txt`) is a capture format of its own.
 */
import type { DepthScaleConvention } from './captureSettings.ts';
import { DEPTH_SCALE_CONVENTIONS } from './captureSettings.ts';

/** Median depth (metres) that real RGB-D frames fall within. */
export const PLAUSIBLE_MEDIAN_DEPTH = { min: 0.2, max: 10 } as const;

export const TUM_DEPTH_SCALE = 5000;

export function looksLikeTum(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^\d{10}\.\d{6}\.png$/i.test(base) || /(^|[^a-z])(tum|freiburg)([^a-z]|$)/i.test(base) || /(^|\/)rgbd_dataset_freiburg[^/]*\//i.test(path);
}

/** What the scene panel shows beside the depth-units setting. */
export interface DepthScaleWarning {
  readonly message: string;
  readonly frame: string;
  readonly medianMetres: number;
  /** The scale the frame was read with; null when its encoding fixes the units (float metres, disparity, SUN). */
  readonly depthScale: number | null;
  /** The most common convention that brings the median into range, or null. */
  readonly suggestedScale: number | null;
}

/** Median of the valid (finite, > 0) values; NaN when there are none. Linear time (quickselect). */
export function medianDepth(metres: Float32Array): number {
  let n = 0;
  const valid = new Float32Array(metres.length);
  for (let i = 0; i < metres.length; i++) {
    const d = metres[i]!;
    if (d > 0 && d !== Infinity) valid[n++] = d;
  }
  if (n === 0) return Number.NaN;
  const upper = select(valid, n, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) lower = Math.max(lower, valid[i]!);
  return (lower + upper) / 2;
}

/** k-th smallest of a[0..n) (Hoare partition); afterwards a[0..k) ≤ a[k]. */
function select(a: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

const inRange = (m: number) => m >= PLAUSIBLE_MEDIAN_DEPTH.min && m <= PLAUSIBLE_MEDIAN_DEPTH.max;
const metresText = (m: number) => (m >= 1 ? m.toFixed(1) : m.toFixed(2));

/** The first convention (most common first) under which the frame's median would be plausible. */
function suggestScale(medianMetres: number, depthScale: number): DepthScaleConvention | null {
  return DEPTH_SCALE_CONVENTIONS.find((c) => c.scale !== depthScale && inRange((medianMetres * depthScale) / c.scale)) ?? null;
}

/** A warning when the frame's median depth is outside PLAUSIBLE_MEDIAN_DEPTH, else null. */
export function checkDepthUnits(frame: string, metres: Float32Array, depthScale: number | null): DepthScaleWarning | null {
  const median = medianDepth(metres);
  if (Number.isNaN(median) || inRange(median)) return null;
  const range = `${PLAUSIBLE_MEDIAN_DEPTH.min}–${PLAUSIBLE_MEDIAN_DEPTH.max} m`;
  if (depthScale === null) {
    // Float depth is metres by convention; a frame that is plausible once divided by 1000 was saved in millimetres.
    const mm = inRange(median / 1000) ? ` — it looks like millimetres saved as floats (÷ 1000 gives ${metresText(median / 1000)} m): save depth in metres` : '';
    return {
      message: `${frame}: median depth ${metresText(median)} m lies outside ${range} (its encoding fixes the units: check the file)${mm}`,
      frame,
      medianMetres: median,
      depthScale,
      suggestedScale: null,
    };
  }
  const suggestion = suggestScale(median, depthScale);
  const advice = suggestion
    ? ` — ${suggestion.name} uses ${suggestion.scale}: try ${suggestion.scale}`
    : ` (outside ${range}; no common depth scale fits: check the depth units)`;
  return {
    message: `${frame}: median depth ${metresText(median)} m at ${depthScale} units/m${advice}`,
    frame,
    medianMetres: median,
    depthScale,
    suggestedScale: suggestion?.scale ?? null,
  };
}
