import { describe, expect, it } from 'vitest';
import { checkMetricDepth, depthFromNpy, depthFromNyuDisparity, depthFromSunPng, depthFromUint16, nyuDisparityIsByteSwapped } from './depthFormats.ts';
import { parseNetpbm } from './netpbm.ts';
import { parseNpy, type NpyArray } from './npy.ts';
import { decodeImage } from './images.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { encodeNpy } from '../../testing/fixtureEncoders.ts';

describe('depthFromUint16', () => {
  it('divides by the depth scale and keeps 0 as missing', () => {
    const d = depthFromUint16(new Uint16Array([0, 1000, 5000, 65535]), 2, 2, 1000);
    expect(Array.from(d.metres)).toEqual([0, 1, 5, Math.fround(65.535)]);
    expect(Array.from(depthFromUint16(new Uint16Array([5000, 2500]), 2, 1, 5000).metres)).toEqual([1, 0.5]);
  });

  it('refuses a size mismatch and a non-positive scale', () => {
    expect(() => depthFromUint16(new Uint16Array(5), 2, 2, 1000)).toThrow(/expected 2×2 = 4 depth values, found 5/);
    expect(() => depthFromUint16(new Uint16Array(4), 2, 2, 0)).toThrow(/depth scale/);
  });
});

describe('depthFromSunPng', () => {
  it('undoes the 3-bit rotation on chosen bit patterns', () => {
    // stored → true millimetres, by hand: rotl13 = (d >> 3) | (d << 13) within 16 bits.
    // 125 (0b1111101)          → 125 >> 3 = 15, low bits 101 → 5 << 13 = 40960; total 40975
    // 8000 = 1000 << 3         → 1000 (low bits 0)
    // 0x0001                   → 1 << 13 = 8192
    // 0x8000                   → 0x1000 = 4096
    // 0xFFFF                   → 0xFFFF = 65535
    // 0x0007                   → 7 << 13 = 57344
    const stored = new Uint16Array([0, 125, 8000, 0x0001, 0x8000, 0xffff, 0x0007, 0x0008]);
    const d = depthFromSunPng(stored, 8, 1);
    const mm = [0, 40975, 1000, 8192, 4096, 65535, 57344, 1];
    expect(Array.from(d.metres)).toEqual(mm.map((x) => Math.fround(x / 1000)));
  });
});

describe('depthFromNyuDisparity', () => {
  it('applies metres = 351.3 / (1092.5 − raw) and keeps only (0, 7] m', () => {
    const raw = new Uint16Array([0, 1000, 1042, 1043, 1092, 1093, 2047]);
    const d = depthFromNyuDisparity(raw, 7, 1);
    const m = Array.from(d.metres);
    expect(m[0]).toBeCloseTo(351.3 / 1092.5, 6); // 0.32156 m
    expect(m[1]).toBeCloseTo(351.3 / 92.5, 5); // 3.79784 m
    expect(m[2]).toBeCloseTo(351.3 / 50.5, 5); // 6.95644 m ≤ 7: kept
    expect(m[3]).toBe(0); // 351.3 / 49.5 = 7.097 m > 7
    expect(m[4]).toBe(0); // 702.6 m
    expect(m[5]).toBe(0); // negative
    expect(m[6]).toBe(0); // 2047 = no reading (negative)
  });

  it('detects byte-swapped (little-endian) disparity and swaps it back', () => {
    // 1000 = 0x03e8, stored little-endian and decoded big-endian → 0xe803 = 59395; 2047 → 0xff07.
    const swapped = new Uint16Array([0xe803, 0xff07]);
    expect(nyuDisparityIsByteSwapped(swapped)).toBe(true);
    expect(nyuDisparityIsByteSwapped(new Uint16Array([1000, 2047]))).toBe(false);
    const d = depthFromNyuDisparity(swapped, 2, 1);
    expect(d.metres[0]).toBeCloseTo(351.3 / 92.5, 5);
    expect(d.metres[1]).toBe(0);
  });
});

describe('depthFromNpy', () => {
  const arr = (dtype: NpyArray['dtype'], shape: number[], data: NpyArray['data']): NpyArray => ({ dtype, shape, data });

  it('takes float32 [H, W] as metres', () => {
    const d = depthFromNpy(arr('float32', [2, 3], new Float32Array([0, 0.5, 1, 1.5, NaN, 3])), 'd.npy', 1000);
    expect([d.width, d.height]).toEqual([3, 2]);
    expect(Array.from(d.metres)).toEqual([0, 0.5, 1, 1.5, NaN, 3]);
  });

  it('takes float64 [H, W, 1] as metres', () => {
    const d = depthFromNpy(arr('float64', [1, 2, 1], new Float64Array([0.25, 2])), 'd.npy', 1000);
    expect([d.width, d.height]).toEqual([2, 1]);
    expect(Array.from(d.metres)).toEqual([0.25, 2]);
  });

  it('divides uint16 by the depth scale', () => {
    const d = depthFromNpy(arr('uint16', [1, 3], new Uint16Array([0, 5000, 10000])), 'd.npy', 5000);
    expect(Array.from(d.metres)).toEqual([0, 1, 2]);
  });

  it('reads a real .npy byte stream through parseNpy', () => {
    const bytes = encodeNpy(new Uint16Array([1000, 0, 2500, 65535]), [2, 2]);
    const d = depthFromNpy(parseNpy(bytes, 'depth.npy'), 'depth.npy', 1000);
    expect([d.width, d.height]).toEqual([2, 2]);
    expect(Array.from(d.metres)).toEqual([1, 0, 2.5, Math.fround(65.535)]);
  });

  it('returns an array it owns (not a view of the input bytes)', () => {
    const data = new Float32Array([1, 2]);
    const d = depthFromNpy(arr('float32', [1, 2], data), 'd.npy', 1000);
    data[0] = 9;
    expect(d.metres[0]).toBe(1);
  });

  it('names the shape for anything but [H, W] / [H, W, 1]', () => {
    expect(() => depthFromNpy(arr('float32', [2, 2, 3], new Float32Array(12)), 'c.npy', 1000)).toThrow(
      /c\.npy: expected a depth array of shape \[H, W\] or \[H, W, 1\], found shape \[2, 2, 3\] \(that looks like a colour image or a point map\)/,
    );
    expect(() => depthFromNpy(arr('float32', [6], new Float32Array(6)), 'v.npy', 1000)).toThrow(/v\.npy: .*found shape \[6\]/);
    expect(() => depthFromNpy(arr('float32', [1, 2, 2, 1], new Float32Array(4)), 'x.npy', 1000)).toThrow(/found shape \[1, 2, 2, 1\]/);
  });

  it('names an unsupported dtype', () => {
    expect(() => depthFromNpy(arr('int32', [1, 2], new Int32Array(2)), 'i.npy', 1000)).toThrow(/i\.npy: unsupported depth dtype int32/);
  });
});

describe('checkMetricDepth', () => {
  const depth = (values: number[], width = values.length) => ({ width, height: values.length / width, metres: new Float32Array(values) });

  it('counts NaN pixels as missing and returns the count', () => {
    expect(checkMetricDepth(depth([1, NaN, 0, NaN, 2.5, NaN]), 'd.npy')).toEqual({ nanCount: 3, validCount: 2 });
    expect(checkMetricDepth(depth([1, 2]), 'd.png')).toEqual({ nanCount: 0, validCount: 2 });
  });

  it('throws on negative values with the count and an example pixel', () => {
    expect(() => checkMetricDepth(depth([1, 2, 3, -0.5, 4, -1], 3), 'neg.npy')).toThrow(/neg\.npy: 2 negative depth values, e\.g\. pixel \(u 0, v 1\) = -0\.5/);
    expect(() => checkMetricDepth(depth([1, -Infinity]), 'n.npy')).toThrow(/n\.npy: 1 negative depth value, e\.g\. pixel \(u 1, v 0\) = -Infinity/);
  });

  it('throws on +Infinity with the count and an example pixel', () => {
    expect(() => checkMetricDepth(depth([1, Infinity, Infinity, 2], 2), 'inf.npy')).toThrow(
      /inf\.npy: 2 infinite depth values, e\.g\. pixel \(u 1, v 0\) = Infinity/,
    );
  });

  it('throws "no valid depth" when nothing is positive', () => {
    expect(() => checkMetricDepth(depth([0, 0, 0, 0]), 'zero.png')).toThrow(/zero\.png: no valid depth .*every pixel is 0/);
    expect(() => checkMetricDepth(depth([NaN, 0, NaN]), 'nan.npy')).toThrow(/nan\.npy: no valid depth .*\(2 NaN, the rest 0\)/);
  });

  it('formats large counts with thousands separators', () => {
    const values = new Array<number>(3000).fill(-1);
    values.push(1);
    expect(() => checkMetricDepth(depth(values), 'big.npy')).toThrow(/big\.npy: 3,000 negative depth values/);
  });
});

describe('real SUN RGB-D and NYU depth', () => {
  it('SUN_depth.png: every non-zero stored value becomes a depth, within the plausible 0.3–12 m range', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/SUN_depth.png');
    const image = decodeImage(readBytes(path), 'SUN_depth.png');
    expect(image.kind).toBe('depth16');
    if (image.kind !== 'depth16') return;
    const depth = depthFromSunPng(image.units, image.width, image.height);
    // Independent reference: rotation written as arithmetic: (d mod 8)·8192 + floor(d / 8).
    let expectedValid = 0;
    let min = Infinity;
    let max = 0;
    for (const d of image.units) {
      if (d === 0) continue;
      expectedValid++;
      const mm = (d % 8) * 8192 + Math.floor(d / 8);
      min = Math.min(min, mm / 1000);
      max = Math.max(max, mm / 1000);
    }
    const { validCount, nanCount } = checkMetricDepth(depth, 'SUN_depth.png');
    expect(nanCount).toBe(0);
    expect(validCount).toBe(expectedValid);
    expect(validCount).toBeGreaterThan(0.5 * image.width * image.height);
    const valid = depth.metres.filter((m) => m > 0);
    expect(valid.reduce((a, b) => Math.min(a, b), Infinity)).toBeCloseTo(min, 5);
    expect(valid.reduce((a, b) => Math.max(a, b), 0)).toBeCloseTo(max, 5);
    expect(min).toBeGreaterThan(0.3);
    expect(max).toBeLessThan(12);
  });

  it('NYU_depth.pgm: valid pixels match the formula on the little-endian disparity (as Open3D reads it)', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/NYU_depth.pgm');
    const bytes = readBytes(path);
    const pgm = parseNetpbm(bytes, 'NYU_depth.pgm');
    expect(pgm.kind).toBe('grey16');
    if (pgm.kind !== 'grey16') return;
    // The spec-compliant big-endian read exceeds the 11-bit Kinect range: the file is byte-swapped.
    expect(nyuDisparityIsByteSwapped(pgm.data)).toBe(true);
    const depth = depthFromNyuDisparity(pgm.data, pgm.width, pgm.height);
    // Independent reference from the raw bytes: low byte first (what Open3D's big-endian read
    // followed by its byte swap in CreateFromNYUFormat amounts to).
    const raster = bytes.subarray(bytes.length - 640 * 480 * 2);
    let expectedValid = 0;
    let maxRaw = 0;
    for (let i = 0; i < raster.length; i += 2) {
      const raw = raster[i]! + 256 * raster[i + 1]!;
      maxRaw = Math.max(maxRaw, raw);
      const m = 351.3 / (1092.5 - raw);
      if (m > 0 && m <= 7) expectedValid++;
    }
    expect(maxRaw).toBe(2047); // the Kinect's "no reading" value: the 11-bit range holds
    const { validCount } = checkMetricDepth(depth, 'NYU_depth.pgm');
    expect(validCount).toBe(expectedValid);
    expect(validCount).toBeGreaterThan(0.8 * 640 * 480);
    const valid = depth.metres.filter((m) => m > 0);
    expect(valid.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(7);
    expect(valid.reduce((a, b) => Math.min(a, b), Infinity)).toBeGreaterThan(0.3);
  });
});
