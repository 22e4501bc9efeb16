import { describe, expect, it } from 'vitest';
import { turboInto } from '../color/colormaps.ts';
import { argmaxLabels, jetInto, labelSegmentation, lerfDisplay, lerfDisplayColors, minMaxNormalise, openMask3dColors, thresholdMask } from './segmentation.ts';

const { exp, sqrt } = Math;
const f32 = (...v: number[]) => Float32Array.from(v);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tolerance) throw new Error(`entry ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe('thresholdMask', () => {
  it('compares raw values strictly; NaN never passes', () => {
    expect(Array.from(thresholdMask(f32(0.1, 0.5, 0.9, NaN), 0.5))).toEqual([0, 0, 1, 0]);
    expect(Array.from(thresholdMask(f32(0.1, 0.5, 0.9), 0.5, { normalise: 'none' }))).toEqual([0, 0, 1]);
  });

  it('min–max normalises per scene first (DROP-CLIP)', () => {
    // (v − 2) / (10 − 2): 0, 0.25, 0.5, 1.
    expectClose(minMaxNormalise(f32(2, 4, 6, 10)), [0, 0.25, 0.5, 1]);
    expect(Array.from(thresholdMask(f32(2, 4, 6, 10), 0.4, { normalise: 'min-max' }))).toEqual([0, 0, 1, 1]);
    expect(Array.from(thresholdMask(f32(2, 4, 6, 10), 0.7, { normalise: 'min-max' }))).toEqual([0, 0, 0, 1]);
  });

  it('a constant field normalises to v / max as in DROP-CLIP (0 when max is 0)', () => {
    expectClose(minMaxNormalise(f32(3, 3)), [1, 1]);
    expectClose(minMaxNormalise(f32(0, 0)), [0, 0]);
    const withNaN = minMaxNormalise(f32(1, NaN, 3));
    expect(withNaN[0]).toBe(0);
    expect(withNaN[1]).toBeNaN();
    expect(withNaN[2]).toBe(1);
  });
});

describe('LERF display', () => {
  it('is clip(r − 0.5, 0, 1) / max; r ≤ 0.5 shows RGB', () => {
    // clip: 0, 0, 0.1, 0.4, 0 → max 0.4 → 0, 0, 0.25, 1, 0.
    const { values, shown } = lerfDisplay(f32(0.2, 0.5, 0.6, 0.9, NaN));
    expectClose(values, [0, 0, 0.1 / 0.4, 1, 0]);
    expect(Array.from(shown)).toEqual([0, 0, 1, 1, 0]);
  });

  it('shows nothing when no point is above 0.5', () => {
    const { values, shown } = lerfDisplay(f32(0.1, 0.5));
    expect(Array.from(values)).toEqual([0, 0]);
    expect(Array.from(shown)).toEqual([0, 0]);
  });

  it('colours shown points with turbo and keeps the RGB of the others', () => {
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]);
    const out = lerfDisplayColors(f32(0.3, 0.8), rgb);
    const top = new Uint8Array(3);
    turboInto(1, top, 0);
    expect(Array.from(out)).toEqual([10, 20, 30, ...top]);
  });
});

describe('OpenMask3D heatmap', () => {
  it('jet follows matplotlib’s segment data', () => {
    const at = (t: number) => {
      const out = new Uint8Array(3);
      jetInto(t, out, 0);
      return Array.from(out);
    };
    expect(at(0)).toEqual([0, 0, Math.round(0.5 * 255)]);
    expect(at(1)).toEqual([Math.round(0.5 * 255), 0, 0]);
    // t = 0.5: red on (0.35, 0) → (0.66, 1): 0.15 / 0.31; green 1; blue on (0.34, 1) → (0.65, 0): 1 − 0.16 / 0.31.
    expect(at(0.5)).toEqual([Math.round((0.15 / 0.31) * 255), 255, Math.round((1 - 0.16 / 0.31) * 255)]);
    expect(at(-3)).toEqual(at(0));
    expect(at(7)).toEqual(at(1));
  });

  it('is jet((s − 0.16) / 0.10) above 0.16 and grey otherwise', () => {
    const jet = (t: number) => {
      const out = new Uint8Array(3);
      jetInto(t, out, 0);
      return Array.from(out);
    };
    const out = openMask3dColors(f32(0.1, 0.16, 0.21, 0.5, NaN));
    expect(Array.from(out)).toEqual([128, 128, 128, 128, 128, 128, ...jet((0.21 - 0.16) / 0.1), ...jet(1), 128, 128, 128]);
    expect(Array.from(openMask3dColors(f32(0), { grey: [1, 2, 3] }))).toEqual([1, 2, 3]);
  });
});

describe('labelSegmentation (LangSplat)', () => {
  // D = 3. Labels e1, e2; negative e3.
  const labels = [f32(1, 0, 0), f32(0, 1, 0)];
  const negatives = [f32(0, 0, 1)];
  // Points: e1; 2·e3; (1, 1, 0) (tie between the labels); zero; (0.6, 0.8, 0).
  const features = f32(1, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 0.6, 0.8, 0);

  it('argmax of softmax(10·[labels ‖ negatives]); a negative winning is background', () => {
    const { labels: out, score } = labelSegmentation(features, 3, labels, negatives, { temperature: 10 });
    expect(Array.from(out)).toEqual([0, -1, 0, -1, 1]);
    const h = 1 / sqrt(2);
    expectClose(score, [
      exp(10) / (exp(10) + exp(0) + exp(0)),
      exp(10) / (exp(0) + exp(0) + exp(10)),
      exp(10 * h) / (exp(10 * h) + exp(10 * h) + exp(0)),
      1 / 3, // zero feature: uniform
      exp(8) / (exp(6) + exp(8) + exp(0)),
    ]);
  });

  it('defaults to temperature 10 and works without negatives', () => {
    const { labels: out, score } = labelSegmentation(features, 3, labels, []);
    expect(Array.from(out)).toEqual([0, 0, 0, -1, 1]);
    expect(score[1]).toBeCloseTo(0.5, 9); // 2·e3 is orthogonal to both labels
  });

  it('is stable for huge temperatures', () => {
    const { score } = labelSegmentation(features, 3, labels, negatives, { temperature: 1e6 });
    expect(Array.from(score).every(Number.isFinite)).toBe(true);
    expect(score[0]).toBe(1);
  });
});

describe('argmaxLabels (OpenScene)', () => {
  it('is argmax_k s(f, t_k) with the winning cosine', () => {
    const features = f32(1, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 0.6, 0.8, 0);
    const { labels, score } = argmaxLabels(features, 3, [f32(1, 0, 0), f32(0, 1, 0), f32(0, 0, 1)]);
    expect(Array.from(labels)).toEqual([0, 2, 0, -1, 1]);
    expectClose(score, [1, 1, 1 / sqrt(2), 0, 0.8]);
  });
});
