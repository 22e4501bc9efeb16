import { describe, expect, it } from 'vitest';
import { downscaleRgb, rgbaFromRgb, thumbnailSize } from './viewImages.ts';

describe('view images', () => {
  it('rgbaFromRgb adds opaque alpha', () => {
    const out = rgbaFromRgb({ width: 2, height: 1, rgb: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect([...out.rgba]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });
  it('thumbnailSize keeps the aspect with the long side ≤ max, never upscaling', () => {
    expect(thumbnailSize(640, 480, 160)).toEqual({ width: 160, height: 120 });
    expect(thumbnailSize(300, 1000, 160)).toEqual({ width: 48, height: 160 });
    expect(thumbnailSize(100, 50, 160)).toEqual({ width: 100, height: 50 });
  });
  it('downscaleRgb averages exact blocks for an integer factor', () => {
    // 4×2 → max side 2 → 2×1: left block values 0,10,20,30 (mean 15), right 100,110,120,130 (115).
    const rgb = new Uint8Array(4 * 2 * 3);
    const values = [0, 10, 100, 110, 20, 30, 120, 130];
    values.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
    const out = downscaleRgb({ width: 4, height: 2, rgb }, 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect([...out.rgba]).toEqual([15, 15, 15, 255, 115, 115, 115, 255]);
  });
});
