import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES, COLORMAP_TABLES, colormapCssGradient, colormapIndex, colormapInto } from './colormapTables.ts';
import { turboInto } from './colormaps.ts';

function entry(name: keyof typeof COLORMAP_TABLES, i: number): number[] {
  return Array.from(COLORMAP_TABLES[name].subarray(i * 3, i * 3 + 3));
}

describe('colour-map tables', () => {
  it('hold 256 RGB entries each', () => {
    for (const name of COLORMAP_NAMES) expect(COLORMAP_TABLES[name].length).toBe(768);
  });

  it('turbo matches the published table at known entries', () => {
    // Google's turbo_colormap_data × 255: [0.18995, 0.07176, 0.23217], [0.47960, 0.01583, 0.01055], entry 128 = [0.64362, 0.98999, 0.23356].
    expect(entry('turbo', 0)).toEqual([48, 18, 59]);
    expect(entry('turbo', 255)).toEqual([122, 4, 3]);
    expect(entry('turbo', 128)).toEqual([164, 252, 60]);
  });

  // An independent definition: a mis-typed table entry would differ by far more than the
  // polynomial's own error (up to ~16/255 in the middle of the range).
  it('turbo agrees with the polynomial approximation away from the ends', () => {
    const poly = new Uint8Array(3);
    for (let i = 26; i <= 230; i += 17) {
      turboInto(i / 255, poly, 0);
      const table = entry('turbo', i);
      for (let c = 0; c < 3; c++) expect(Math.abs(table[c]! - poly[c]!)).toBeLessThanOrEqual(20);
    }
  });

  it('viridis matches matplotlib at its well-known hex colours', () => {
    expect(entry('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(entry('viridis', 128)).toEqual([0x21, 0x91, 0x8c]);
    expect(entry('viridis', 255)).toEqual([0xfd, 0xe7, 0x25]);
  });

  it('jet follows its segments: dark blue → blue → cyan/green → yellow → dark red', () => {
    expect(entry('jet', 0)).toEqual([0, 0, 128]);
    expect(entry('jet', 255)).toEqual([128, 0, 0]);
    // x = 128/255: red (x − 0.35)/0.31, green 1, blue 1 − (x − 0.34)/0.31.
    const x = 128 / 255;
    expect(entry('jet', 128)).toEqual([Math.round(((x - 0.35) / 0.31) * 255), 255, Math.round((1 - (x - 0.34) / 0.31) * 255)]);
  });

  it('maps t to the nearest entry, clamping outside [0, 1] and NaN to the first', () => {
    expect(colormapIndex(-3)).toBe(0);
    expect(colormapIndex(Number.NaN)).toBe(0);
    expect(colormapIndex(2)).toBe(255);
    expect(colormapIndex(0.5)).toBe(128);
    const out = new Uint8Array(6);
    colormapInto(COLORMAP_TABLES.viridis, 1, out, 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 0xfd, 0xe7, 0x25]);
  });

  it('the CSS gradient starts and ends at the table ends', () => {
    const css = colormapCssGradient('turbo', 4);
    expect(css.startsWith('linear-gradient(to right, rgb(48,18,59) 0.0%')).toBe(true);
    expect(css.endsWith('rgb(122,4,3) 100.0%)')).toBe(true);
  });
});
