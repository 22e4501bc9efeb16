/**
 * Histogram of a relevancy layer over its min–max normalised range — the same normalisation the
 * instance threshold is applied to (`thresholdMask(…, { normalise: 'min-max' })`), so the slider's
 * position on the histogram's x axis is exactly the cut that instances are made from.
 */
import { minMaxNormalise } from './segmentation.ts';

export interface RelevancyHistogram {
  /** Points per bin; bin b covers normalised values [b / bins, (b + 1) / bins), the last bin includes 1. */
  readonly counts: Uint32Array;
  /** Points counted (non-finite values are skipped). */
  readonly total: number;
}

/** Bins `values` (min–max normalised, DROP-CLIP's convention) into `binCount` equal bins on [0, 1]. */
export function relevancyHistogram(values: Float32Array, binCount: number): RelevancyHistogram {
  if (!Number.isInteger(binCount) || binCount < 1) throw new Error(`histogram: bin count must be a positive integer, got ${binCount}`);
  const normalised = minMaxNormalise(values);
  const counts = new Uint32Array(binCount);
  let total = 0;
  for (let i = 0; i < normalised.length; i++) {
    const t = normalised[i]!;
    if (Number.isNaN(t)) continue;
    // t is in [0, 1]; t = 1 (the maximum) belongs to the last bin.
    counts[Math.min(binCount - 1, Math.floor(t * binCount))]!++;
    total++;
  }
  return { counts, total };
}
