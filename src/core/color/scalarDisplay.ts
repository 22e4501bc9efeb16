/**
 * Colours of a scalar field (relevancy, similarity) for display: the colour map over [min, max],
 * with what is shown below the threshold chosen by the viewer.
 *
 * - 'colormap': every point takes its colour-map colour (the plain heatmap);
 * - 'rgb': points whose min–max normalised value is below the threshold keep their own colour, so
 *   only the hits are painted;
 * - 'dim': the same, with the own colour darkened to a quarter, so hits stand out further.
 *
 * The threshold is in normalised units (0 = min, 1 = max), the same as the query panel's slider.
 * Non-finite values are drawn mid-grey whatever the setting: they have no place on the scale.
 */
import { COLORMAP_SIZE } from './colormapTables.ts';

export type BelowThresholdDisplay = 'colormap' | 'rgb' | 'dim';
export const BELOW_THRESHOLD_DISPLAYS: readonly BelowThresholdDisplay[] = ['colormap', 'rgb', 'dim'];

/** Right shift applied to each channel of a dimmed point (>> 2 = a quarter of the brightness). */
export const DIM_SHIFT = 2;
const NON_FINITE_GREY = 128;

export interface ScalarDisplayOptions {
  /** 256-entry RGB table (colormapTables.ts). */
  readonly table: Uint8Array;
  readonly min: number;
  readonly max: number;
  /** Normalised threshold in [0, 1]. */
  readonly threshold: number;
  readonly below: BelowThresholdDisplay;
}

/**
 * Writes 3 bytes per value into `out` (length ≥ 3·values.length) and returns it. `rgb` holds the
 * points' own colours (3 bytes each), read only for 'rgb' and 'dim'.
 */
export function writeScalarColors(
  values: Float32Array,
  rgb: Uint8Array,
  options: ScalarDisplayOptions,
  out: Uint8Array = new Uint8Array(values.length * 3),
): Uint8Array {
  const { table, min, below } = options;
  const span = options.max > min ? options.max - min : 1;
  // Work in table units (0 … 255): one multiply per point, and the threshold scaled once.
  const toIndex = (COLORMAP_SIZE - 1) / span;
  const thresholdIndex = options.threshold * (COLORMAP_SIZE - 1);
  const shift = below === 'dim' ? DIM_SHIFT : 0;
  const keepBelow = below !== 'colormap';
  const top = COLORMAP_SIZE - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const o = i * 3;
    // v − v is NaN for NaN and ±Infinity, 0 otherwise.
    if (v - v !== 0) {
      out[o] = out[o + 1] = out[o + 2] = NON_FINITE_GREY;
      continue;
    }
    const x = (v - min) * toIndex;
    if (keepBelow && x < thresholdIndex) {
      out[o] = rgb[o]! >> shift;
      out[o + 1] = rgb[o + 1]! >> shift;
      out[o + 2] = rgb[o + 2]! >> shift;
    } else {
      // Nearest entry, clamped (same as colormapIndex, inlined for speed).
      const e = (x > 0 ? (x < top ? (x + 0.5) | 0 : top) : 0) * 3;
      out[o] = table[e]!;
      out[o + 1] = table[e + 1]!;
      out[o + 2] = table[e + 2]!;
    }
  }
  return out;
}
