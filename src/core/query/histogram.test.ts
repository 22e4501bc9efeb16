import { describe, expect, it } from 'vitest';
import { relevancyHistogram } from './histogram.ts';
import { thresholdMask } from './segmentation.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('relevancyHistogram', () => {
  it('bins min–max normalised values (hand counts)', () => {
    // Range 2..10 → normalised 0, 0.125, 0.25, 0.5, 0.625, 0.75, 1 → 4 bins of width 0.25:
    // [0, .25): 0, 0.125 → 2; [.25, .5): 0.25 → 1; [.5, .75): 0.5, 0.625 → 2; [.75, 1]: 0.75, 1 → 2.
    const h = relevancyHistogram(f32(2, 3, 4, 6, 7, 8, 10), 4);
    expect(Array.from(h.counts)).toEqual([2, 1, 2, 2]);
    expect(h.total).toBe(7);
  });

  it('skips non-finite values and puts a constant field where min–max normalisation puts it', () => {
    const h = relevancyHistogram(f32(0.2, NaN, Infinity, 0.6), 2);
    expect(Array.from(h.counts)).toEqual([1, 1]);
    expect(h.total).toBe(2);
    // A positive constant normalises to 1 (v / max), i.e. the last bin.
    expect(Array.from(relevancyHistogram(f32(3, 3, 3), 5).counts)).toEqual([0, 0, 0, 0, 3]);
    expect(Array.from(relevancyHistogram(new Float32Array(0), 3).counts)).toEqual([0, 0, 0]);
  });

  it('refuses a bin count that is not a positive integer', () => {
    expect(() => relevancyHistogram(f32(1), 0)).toThrow(/bin count/);
    expect(() => relevancyHistogram(f32(1), 2.5)).toThrow(/bin count/);
  });

  it('bins above a bin-aligned threshold hold exactly the points the instance mask selects (except ties at the edge)', () => {
    const values = new Float32Array(1000);
    let seed = 7;
    for (let i = 0; i < values.length; i++) values[i] = (seed = (seed * 16807) % 2147483647) / 2147483647;
    const h = relevancyHistogram(values, 20);
    const threshold = 0.65; // a bin edge: 13 / 20
    const selected = thresholdMask(values, threshold, { normalise: 'min-max' }).reduce((n, m) => n + m, 0);
    const inBinsAbove = h.counts.slice(Math.round(threshold * 20)).reduce((a, b) => a + b, 0);
    expect(inBinsAbove).toBe(selected);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
