/**
 * Display colours of the 'segments' colour mode. Mask results: each segment in the colour map at its
 * score (min–max over the listed segments), points in no segment dimmed; with a segment isolated,
 * only it keeps colour. Relation results: the chosen target in TARGET_RGB, the reference in its own
 * colours (the overlay outlines it), everything else dimmed.
 */
import { segmentBuffers } from '../app/store/drawBuffers.ts';

/** What the segment colours read of the segment slice (the store's `segments` fits it). */
export interface SegmentDisplay {
  readonly shown: 'mask' | 'relation' | null;
  readonly relation: { readonly target: { readonly segment: number }; readonly reference: { readonly segment: number } } | null;
  readonly isolated: number | null;
}

export const NO_SEGMENT_DISPLAY: SegmentDisplay = { shown: null, relation: null, isolated: null };

/** Pure green: not a colour the demo's objects or a heat map reach (pixel checks rely on it). */
export const TARGET_RGB: readonly [number, number, number] = [0, 255, 0];

function dim(rgb: Uint8Array, i: number, out: Uint8Array, shift: number): void {
  out[i * 3] = rgb[i * 3]! >> shift;
  out[i * 3 + 1] = rgb[i * 3 + 1]! >> shift;
  out[i * 3 + 2] = rgb[i * 3 + 2]! >> shift;
}

/** Writes the colours; false when there is no segment result for `count` points. */
export function writeSegmentColors(rgb: Uint8Array, count: number, colormap: Uint8Array, display: SegmentDisplay, out: Uint8Array): boolean {
  const ids = segmentBuffers.segmentOfPoint;
  const { shown, relation, isolated } = display;
  if (!ids || ids.length !== count || shown === null) return false;
  if (shown === 'relation' && relation) {
    const target = relation.target.segment;
    const reference = relation.reference.segment;
    for (let i = 0; i < count; i++) {
      const s = ids[i]!;
      if (s === target) out.set(TARGET_RGB, i * 3);
      else if (s === reference) out.set(rgb.subarray(i * 3, i * 3 + 3), i * 3);
      else dim(rgb, i, out, 1);
    }
    return true;
  }
  const scores = segmentBuffers.scores;
  if (!scores) return false;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of scores) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < count; i++) {
    const s = ids[i]!;
    if (s < 0 || (isolated !== null && s !== isolated)) {
      dim(rgb, i, out, 2);
      continue;
    }
    const k = Math.min(255, Math.max(0, Math.round((255 * (scores[s]! - lo)) / span)));
    out[i * 3] = colormap[k * 3]!;
    out[i * 3 + 1] = colormap[k * 3 + 1]!;
    out[i * 3 + 2] = colormap[k * 3 + 2]!;
  }
  return true;
}
