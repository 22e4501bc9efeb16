import { describe, expect, it } from 'vitest';
import { isColorMode } from '../settingGuards.ts';
import { availableColorModes, COLOR_MODE_TABLE, COLOR_MODES, colorBarScale, colorModeFromUrlName, type ColorModeState } from './colorModes.ts';

const noResults: ColorModeState = {
  layerInfo: [],
  activeLayer: 0,
  labelNames: [],
  instances: [],
  colorMode: 'rgb',
  queryVersion: 0,
  similarityRange: null,
  agreementInfo: null,
  resultQuery: null,
  segments: { shown: null, mask: null },
};

describe('colour-mode table', () => {
  it('every mode the page can write into its address (?mode=, state files) is read back as that mode', () => {
    for (const mode of COLOR_MODES) {
      const written = COLOR_MODE_TABLE[mode].urlName;
      expect(colorModeFromUrlName(written)).toBe(mode);
      expect(isColorMode(written)).toBe(true);
    }
    // The agreement view writes ?mode=agreement; a reload must not refuse it.
    expect(isColorMode('agreement')).toBe(true);
    expect(colorModeFromUrlName('sparkles')).toBeNull();
    expect(isColorMode('sparkles')).toBe(false);
  });

  it('offers a mode only when its result exists', () => {
    expect(availableColorModes(noResults)).toEqual(['rgb']);
    expect(
      availableColorModes({
        ...noResults,
        queryVersion: 1,
        layerInfo: [{ label: 'mug', min: 0, max: 1 }],
        agreementInfo: { a: 'teacher', b: 'student', mean: 0.5 },
      }),
    ).toEqual(['rgb', 'relevancy', 'pca', 'agreement']);
  });

  it('the colour bar names the formula of the recorded query, whatever the picker says now', () => {
    const shown: ColorModeState = {
      ...noResults,
      colorMode: 'relevancy',
      layerInfo: [{ label: 'yellow dice', min: 0.25, max: 0.75 }],
      resultQuery: { text: 'yellow dice', mode: 'relevancy', formula: 'lerf', template: 'single', negatives: '', threshold: 0.7 },
    };
    expect(colorBarScale(shown)).toEqual({ min: 0.25, max: 0.75, title: 'LERF relevancy · yellow dice' });
    expect(colorBarScale({ ...shown, resultQuery: { ...shown.resultQuery!, formula: 'paired-softmax' } })?.title).toBe(
      'paired-softmax relevancy · yellow dice',
    );
    expect(colorBarScale({ ...shown, colorMode: 'agreement', agreementInfo: { a: 'teacher', b: 'student', mean: 0.81234 } })).toEqual({
      min: -1,
      max: 1,
      title: 'cosine teacher vs student · mean 0.812',
    });
    expect(colorBarScale({ ...shown, colorMode: 'labels' })).toBeNull();
  });
});
