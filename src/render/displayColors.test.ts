import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES } from '../core/color/colormapTables.ts';
import { BELOW_THRESHOLD_DISPLAYS } from '../core/color/scalarDisplay.ts';
import { COLOR_MODES, type ColorMode } from '../app/query/colorModes.ts';
import type { CloudBuffers, ResultBuffers } from '../app/store/drawBuffers.ts';
import { DEFAULT_VIEW_SETTINGS, drawKey } from '../app/store/viewSettings.ts';
import { displayInputsOf, type DisplayState } from './displayColorCache.ts';
import { writeDisplayColors } from './displayColors.ts';
import { segmentBuffers } from '../app/store/drawBuffers.ts';

/** 64 points with distinct colours and a result for every mode; values spread so every threshold splits them. */
const N = 64;
const cloud: CloudBuffers = {
  count: N,
  drawOrder: null,
  positions: new Float32Array(N * 3),
  colors: Uint8Array.from({ length: N * 3 }, (_, i) => 40 + ((i * 37) % 200)),
};
const ramp = (f: (t: number) => number) => Float32Array.from({ length: N }, (_, i) => f(i / (N - 1)));
const results: ResultBuffers = {
  layers: [ramp((t) => t), ramp((t) => 1 - t * t)],
  labels: Int32Array.from({ length: N }, (_, i) => (i % 5) - 1),
  instanceIds: Int32Array.from({ length: N }, (_, i) => (i % 3) - 1),
  pcaColors: Uint8Array.from({ length: N * 3 }, (_, i) => (i * 11) % 256),
  similarity: ramp((t) => Math.sin(3 * t)),
  histograms: [],
  agreement: ramp((t) => 2 * t - 1),
  comparison: null,
};
// A mask-mode result (segment ids and one score per segment) for the 'segments' mode.
segmentBuffers.segmentOfPoint = Int32Array.from({ length: N }, (_, i) => (i % 4) - 1);
segmentBuffers.scores = Float32Array.from([0.1, 0.5, 0.9]);
const segments = { shown: 'mask', relation: null, isolated: null } as const;
const layerInfo = results.layers.map((l, k) => ({ label: `layer ${k}`, min: Math.min(...l), max: Math.max(...l) }));
const similarityRange = { min: Math.min(...results.similarity!), max: Math.max(...results.similarity!) };

/** Every combination of the settings that may change display colours. */
function settingsCombinations(mode: ColorMode): DisplayState[] {
  const out: DisplayState[] = [];
  for (const colormap of COLORMAP_NAMES)
    for (const belowThreshold of BELOW_THRESHOLD_DISPLAYS)
      for (const threshold of [0.2, 0.7])
        for (const activeLayer of [0, 1]) {
          out.push({
            sceneVersion: 1,
            queryVersion: 1,
            colorMode: mode,
            activeLayer,
            threshold,
            viewSettings: { ...DEFAULT_VIEW_SETTINGS, colormap, belowThreshold },
            layerInfo,
            similarityRange,
            segments,
          });
        }
  return out;
}

const colorsOf = (s: DisplayState): string => {
  const out = new Uint8Array(N * 3);
  writeDisplayColors(cloud, results, displayInputsOf(s), out);
  return out.join(',');
};
const describeSettings = (s: DisplayState) => `${s.viewSettings.colormap}/${s.viewSettings.belowThreshold}/t${s.threshold}/layer${s.activeLayer}`;

describe('drawKey against the colour writer', () => {
  it.each(COLOR_MODES)('%s: over every pair of settings, drawKey changes exactly when the written colours change', (mode) => {
    const states = settingsCombinations(mode);
    const keys = states.map(drawKey);
    const colours = states.map(colorsOf);
    const mismatches: string[] = [];
    for (let a = 0; a < states.length; a++) {
      for (let b = a + 1; b < states.length; b++) {
        const keyChanged = keys[a] !== keys[b];
        const coloursChanged = colours[a] !== colours[b];
        if (keyChanged !== coloursChanged)
          mismatches.push(
            `${describeSettings(states[a]!)} → ${describeSettings(states[b]!)}: key ${keyChanged ? 'changed' : 'same'}, colours ${coloursChanged ? 'changed' : 'same'}`,
          );
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('agreement mode recolours when the colour map changes (turbo and viridis differ in key and in colours)', () => {
    const [turbo, viridis] = (['turbo', 'viridis'] as const).map((colormap): DisplayState => ({
      sceneVersion: 1,
      queryVersion: 1,
      colorMode: 'agreement',
      activeLayer: 0,
      threshold: 0.7,
      viewSettings: { ...DEFAULT_VIEW_SETTINGS, colormap },
      layerInfo,
      similarityRange,
      segments,
    }));
    expect(colorsOf(turbo!)).not.toBe(colorsOf(viridis!));
    expect(drawKey(turbo!)).not.toBe(drawKey(viridis!));
  });
});
