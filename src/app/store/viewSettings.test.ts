import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VIEW_SETTINGS, drawKey, frameKey, type DrawKeyInputs } from './viewSettings.ts';
import { setCropBox, setViewSettings } from './viewSlice.ts';
import { useFieldLens } from './store.ts';

const state = (over: Partial<DrawKeyInputs> = {}, view: Partial<typeof DEFAULT_VIEW_SETTINGS> = {}): DrawKeyInputs => ({
  sceneVersion: 1,
  queryVersion: 2,
  colorMode: 'relevancy',
  activeLayer: 0,
  threshold: 0.7,
  viewSettings: { ...DEFAULT_VIEW_SETTINGS, ...view },
  ...over,
});

describe('drawKey / frameKey', () => {
  it('drawKey changes with what changes colours, and only that', () => {
    const k = drawKey(state());
    expect(drawKey(state({ queryVersion: 3 }))).not.toBe(k);
    expect(drawKey(state({}, { colormap: 'viridis' }))).not.toBe(k);
    expect(drawKey(state({}, { belowThreshold: 'dim' }))).not.toBe(k);
    // The threshold matters only when points below it are drawn differently.
    expect(drawKey(state({ threshold: 0.2 }))).toBe(k);
    expect(drawKey(state({ threshold: 0.2 }, { belowThreshold: 'rgb' }))).not.toBe(drawKey(state({}, { belowThreshold: 'rgb' })));
    // Point size, background, EDL, voxels and crop do not touch colours.
    expect(
      drawKey(state({}, { pointSizePixels: 6, background: 'white', eyeDomeLighting: true, voxelMode: true, cropBox: { min: [0, 0, 0], max: [1, 1, 1] } })),
    ).toBe(k);
    // The colour map does not matter to non-scalar modes.
    expect(drawKey(state({ colorMode: 'rgb' }, { colormap: 'jet' }))).toBe(drawKey(state({ colorMode: 'rgb' })));
  });

  it('frameKey also changes with every other view setting', () => {
    const k = frameKey(state());
    for (const change of [
      { pointSizePixels: 6 },
      { background: 'white' as const },
      { eyeDomeLighting: true },
      { voxelMode: true },
      { roundPoints: true },
      { cropBox: { min: [0, 0, 0] as [number, number, number], max: [1, 1, 1] as [number, number, number] } },
    ]) {
      expect(frameKey(state({}, change))).not.toBe(k);
    }
  });
});

describe('setViewSettings', () => {
  beforeEach(() => useFieldLens.setState({ viewSettings: DEFAULT_VIEW_SETTINGS }));

  it('merges valid values', () => {
    setViewSettings({ colormap: 'jet', pointSizePixels: 4 });
    expect(useFieldLens.getState().viewSettings).toMatchObject({ colormap: 'jet', pointSizePixels: 4, background: 'dark' });
  });

  it('refuses unknown names and out-of-range numbers, naming the field', () => {
    expect(() => setViewSettings({ colormap: 'rainbow' as never })).toThrow(/colormap must be one of turbo, viridis, jet, found rainbow/);
    expect(() => setViewSettings({ pointSizePixels: 0 })).toThrow(/pointSizePixels must be between/);
    expect(() => setCropBox({ min: [0, 2, 0], max: [1, 1, 1] })).toThrow(/crop box axis y needs finite min ≤ max/);
    expect(useFieldLens.getState().viewSettings).toEqual(DEFAULT_VIEW_SETTINGS);
  });
});
