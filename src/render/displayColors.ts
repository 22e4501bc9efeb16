/**
 * Per-point display colours for each colour mode, written into the GPU colour buffer. Runs only
 * when a result or the mode changes, never per frame. What each mode reads (colour map,
 * threshold display, layer) must match its entry in app/query/colorModes.ts, which drawKey
 * follows; displayColors.test.ts checks the two agree.
 */
import { CATEGORY_COLORS } from '../core/color/categoryColors.ts';
import { writeScalarColors, type BelowThresholdDisplay } from '../core/color/scalarDisplay.ts';
import type { CloudBuffers, ResultBuffers } from '../app/store/drawBuffers.ts';
import type { ColorMode } from '../app/query/colorModes.ts';
import { writeSegmentColors, type SegmentDisplay } from './segmentColors.ts';

export interface DisplayInputs {
  readonly mode: ColorMode;
  readonly activeLayer: number;
  readonly layerRange: { readonly min: number; readonly max: number } | null;
  readonly similarityRange: { readonly min: number; readonly max: number } | null;
  /** 256-entry RGB table of the scalar modes (colormapTables.ts). */
  readonly colormap: Uint8Array;
  /** What the scalar modes show below `threshold` (normalised 0 … 1). */
  readonly belowThreshold: BelowThresholdDisplay;
  readonly threshold: number;
  /** The shown segment result (the 'segments' mode). */
  readonly segments: SegmentDisplay;
}

/** Points outside every category keep their RGB, dimmed, so the scene stays readable. */
function categorical(ids: Int32Array, rgb: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0) {
      out[i * 3] = rgb[i * 3]! >> 2;
      out[i * 3 + 1] = rgb[i * 3 + 1]! >> 2;
      out[i * 3 + 2] = rgb[i * 3 + 2]! >> 2;
    } else {
      const c = CATEGORY_COLORS[id % CATEGORY_COLORS.length]!;
      out[i * 3] = c[0];
      out[i * 3 + 1] = c[1];
      out[i * 3 + 2] = c[2];
    }
  }
}

function scalarOptions(inputs: DisplayInputs, range: { readonly min: number; readonly max: number }) {
  return { table: inputs.colormap, min: range.min, max: range.max, threshold: inputs.threshold, below: inputs.belowThreshold };
}

/** Writes the colours of `inputs.mode` into `out`; returns false (and writes RGB) when the mode has no data. */
export function writeDisplayColors(cloud: CloudBuffers, results: ResultBuffers, inputs: DisplayInputs, out: Uint8Array): boolean {
  const n = cloud.count;
  const layer = results.layers[inputs.activeLayer];
  switch (inputs.mode) {
    case 'relevancy':
      if (layer?.length === n && inputs.layerRange) {
        writeScalarColors(layer, cloud.colors, scalarOptions(inputs, inputs.layerRange), out);
        return true;
      }
      break;
    case 'labels':
      if (results.labels?.length === n) {
        categorical(results.labels, cloud.colors, out);
        return true;
      }
      break;
    case 'instances':
      if (results.instanceIds?.length === n) {
        categorical(results.instanceIds, cloud.colors, out);
        return true;
      }
      break;
    case 'pca':
      if (results.pcaColors?.length === n * 3) {
        out.set(results.pcaColors);
        return true;
      }
      break;
    case 'similarity':
      if (results.similarity?.length === n && inputs.similarityRange) {
        writeScalarColors(results.similarity, cloud.colors, scalarOptions(inputs, inputs.similarityRange), out);
        return true;
      }
      break;
    case 'agreement':
      // Cosine has a fixed scale: −1 (opposite) … 1 (same direction), comparable across scenes; every point is coloured.
      if (results.agreement?.length === n) {
        writeScalarColors(results.agreement, cloud.colors, { table: inputs.colormap, min: -1, max: 1, threshold: 0, below: 'colormap' }, out);
        return true;
      }
      break;
    case 'segments':
      if (writeSegmentColors(cloud.colors, n, inputs.colormap, inputs.segments, out)) return true;
      break;
    case 'rgb':
      break;
    default: {
      const unknown: never = inputs.mode;
      throw new Error(`display colours: unknown colour mode "${String(unknown)}"`);
    }
  }
  out.set(cloud.colors);
  return inputs.mode === 'rgb';
}
