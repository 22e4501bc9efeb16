import { describe, expect, it } from 'vitest';
import { decodeHalves, encodeHalves, float16BitsToFloat32, float32ToFloat16Bits, halfTable } from './float16.ts';

/** Binary16 bits by their IEEE fields, written out independently of the converter. */
const bits = (sign: number, exponent: number, mantissa: number): number => (sign << 15) | (exponent << 10) | mantissa;

describe('float32ToFloat16Bits', () => {
  it.each([
    [0, bits(0, 0, 0)],
    [-0, bits(1, 0, 0)],
    [1, bits(0, 15, 0)],
    [-2, bits(1, 16, 0)],
    [0.5, bits(0, 14, 0)],
    [65504, bits(0, 30, 0x3ff)], // largest half
    [-65504, bits(1, 30, 0x3ff)],
    [2 ** -14, bits(0, 1, 0)], // smallest normal
    [2 ** -24, bits(0, 0, 1)], // smallest subnormal
    [2 ** -14 - 2 ** -24, bits(0, 0, 0x3ff)], // largest subnormal
    [3 * 2 ** -24, bits(0, 0, 3)],
    [Infinity, bits(0, 31, 0)],
    [-Infinity, bits(1, 31, 0)],
  ])('%s → exact bits', (value, expected) => {
    expect(float32ToFloat16Bits(value)).toBe(expected);
  });

  it('rounds to nearest, ties to even, in the normal range', () => {
    const ulp = 2 ** -10; // spacing of halves in [1, 2)
    expect(float32ToFloat16Bits(1 + ulp / 2)).toBe(bits(0, 15, 0)); // tie → even (0)
    expect(float32ToFloat16Bits(1 + (3 * ulp) / 2)).toBe(bits(0, 15, 2)); // tie → even (2)
    expect(float32ToFloat16Bits(1 + ulp / 2 + 2 ** -20)).toBe(bits(0, 15, 1)); // just above the tie
    expect(float32ToFloat16Bits(1 + ulp / 2 - 2 ** -20)).toBe(bits(0, 15, 0));
    expect(float32ToFloat16Bits(2 - ulp / 4)).toBe(bits(0, 16, 0)); // carry into the exponent
  });

  it('rounds ties to even among subnormals and flushes below half the smallest to zero', () => {
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // tie between 0 and 1 ulp → 0 (even)
    expect(float32ToFloat16Bits(2 ** -25 + 2 ** -35)).toBe(bits(0, 0, 1));
    expect(float32ToFloat16Bits(1.5 * 2 ** -24)).toBe(bits(0, 0, 2)); // tie 1|2 → 2
    expect(float32ToFloat16Bits(2.5 * 2 ** -24)).toBe(bits(0, 0, 2)); // tie 2|3 → 2
    expect(float32ToFloat16Bits(-(2 ** -26))).toBe(bits(1, 0, 0));
    expect(float32ToFloat16Bits(2 ** -14 - 2 ** -26)).toBe(bits(0, 1, 0)); // rounds up into the normals
  });

  it('overflows to infinity from 65520 (half-way past the largest half), keeps 65519 finite', () => {
    expect(float32ToFloat16Bits(65519)).toBe(bits(0, 30, 0x3ff));
    expect(float32ToFloat16Bits(65520)).toBe(bits(0, 31, 0));
    expect(float32ToFloat16Bits(-1e6)).toBe(bits(1, 31, 0));
  });

  it('keeps NaN a NaN', () => {
    const h = float32ToFloat16Bits(Number.NaN);
    expect((h >> 10) & 0x1f).toBe(31);
    expect(h & 0x3ff).not.toBe(0);
    expect(float16BitsToFloat32(h)).toBeNaN();
  });
});

describe('decoding', () => {
  it('decodes fields exactly: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals m · 2^−24', () => {
    expect(float16BitsToFloat32(bits(0, 15, 512))).toBe(1.5);
    expect(float16BitsToFloat32(bits(1, 0, 5))).toBe(-5 * 2 ** -24);
    expect(float16BitsToFloat32(bits(0, 31, 0))).toBe(Infinity);
    expect(Object.is(float16BitsToFloat32(bits(1, 0, 0)), -0)).toBe(true);
  });

  it('every finite half survives decode → encode unchanged, and the table agrees with the scalar decoder', () => {
    const table = halfTable();
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const isNaN = ((h >> 10) & 0x1f) === 31 && (h & 0x3ff) !== 0;
      if (isNaN) continue;
      if (float32ToFloat16Bits(table[h]!) !== h || !Object.is(table[h], Math.fround(float16BitsToFloat32(h)))) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('encodeHalves / decodeHalves round an array with relative error ≤ 2^−11', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 1.37) * 10 ** ((i % 7) - 3));
    const back = decodeHalves(encodeHalves(values));
    values.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25));
    expect(Array.from(decodeHalves(encodeHalves(values), new Float32Array(3), 10))).toEqual(Array.from(back.subarray(10, 13)));
  });
});
