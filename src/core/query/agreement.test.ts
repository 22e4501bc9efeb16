import { describe, expect, it } from 'vitest';
import { featureAgreement } from './agreement.ts';

describe('featureAgreement', () => {
  it('per-point cosine and mean against hand-computed values', () => {
    // Rows (dim 2): identical, opposite, orthogonal, 45° apart with different lengths.
    const a = Float32Array.from([1, 0, 0, 2, 1, 0, 3, 0]);
    const b = Float32Array.from([2, 0, 0, -1, 0, 5, 1, 1]);
    const { perPoint, mean } = featureAgreement(a, b, 2);
    expect([...perPoint].map((v) => +v.toFixed(6))).toEqual([1, -1, 0, +Math.SQRT1_2.toFixed(6)]);
    expect(mean).toBeCloseTo((1 - 1 + 0 + Math.SQRT1_2) / 4, 6);
  });

  it('leaves zero vectors out (NaN) and refuses sets of different sizes', () => {
    const { perPoint, mean } = featureAgreement(Float32Array.from([0, 0, 1, 1]), Float32Array.from([1, 0, 1, 1]), 2);
    expect(perPoint[0]).toBeNaN();
    expect(mean).toBeCloseTo(1, 6);
    expect(() => featureAgreement(new Float32Array(4), new Float32Array(6), 2)).toThrow(/same points/);
  });
});
