/**
 * The per-point display colours of the current state, computed once per drawKey and shared by the
 * point view and the voxel view. Recomputed only when drawKey (viewSettings.ts) changes — a new
 * scene, result, colour mode, layer, colour map or threshold display — never per frame; the
 * buffer is reused while the point count stays the same.
 */
import { COLORMAP_TABLES } from '../core/color/colormapTables.ts';
import { drawBuffers, type CloudBuffers } from '../app/store/drawBuffers.ts';
import type { FieldLensState } from '../app/store/store.ts';
import { drawKey, type DrawKeyInputs } from '../app/store/viewSettings.ts';
import { writeDisplayColors, type DisplayInputs } from './displayColors.ts';
import type { SegmentDisplay } from './segmentColors.ts';

/** The state the display colours depend on. */
export type DisplayState = DrawKeyInputs & Pick<FieldLensState, 'layerInfo' | 'similarityRange'> & { readonly segments: SegmentDisplay };

let cachedKey = '';
let cachedCloud: CloudBuffers | null = null;
let cachedColors = new Uint8Array(0);
let recomputeCount = 0;

/** What the colour writer reads of the state (drawKey must name every part of it that a mode uses). */
export function displayInputsOf(state: DisplayState): DisplayInputs {
  const v = state.viewSettings;
  return {
    mode: state.colorMode,
    activeLayer: state.activeLayer,
    layerRange: state.layerInfo[state.activeLayer] ?? null,
    similarityRange: state.similarityRange,
    colormap: COLORMAP_TABLES[v.colormap],
    belowThreshold: v.belowThreshold,
    threshold: state.threshold,
    segments: state.segments,
  };
}

/** Display colours (3 bytes per point) for `state`, or null without a cloud. Do not mutate. */
export function displayColorsFor(state: FieldLensState): Uint8Array | null {
  const cloud = drawBuffers.cloud;
  if (!cloud) return null;
  const key = drawKey(state);
  if (key === cachedKey && cloud === cachedCloud) return cachedColors;
  if (cachedColors.length !== cloud.count * 3) cachedColors = new Uint8Array(cloud.count * 3);
  writeDisplayColors(cloud, drawBuffers, displayInputsOf(state), cachedColors);
  cachedKey = key;
  cachedCloud = cloud;
  recomputeCount++;
  return cachedColors;
}

/** How many times colours were recomputed (the scripting API exposes it to check "not per frame"). */
export function displayColorRecomputes(): number {
  return recomputeCount;
}
