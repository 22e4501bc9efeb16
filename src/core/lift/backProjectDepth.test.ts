import { describe, expect, it } from 'vitest';
import { backProjectDepth } from './backProjectDepth.ts';
import { asCameraToWorld, asDepthScale, IDENTITY_POSE, type Metres } from '../units.ts';

const K = { width: 4, height: 3, fx: 2, fy: 4, cx: 1.5, cy: 1 };

describe('backProjectDepth', () => {
  it('lifts every pixel with depth > 0 to hand-computed camera-frame points', () => {
    const units = new Uint16Array(12);
    units[0] = 1000; // (u 0, v 0) at 1 m
    units[5] = 2500; // (u 1, v 1) at 2.5 m
    units[11] = 500; // (u 3, v 2) at 0.5 m
    const cloud = backProjectDepth({ width: 4, height: 3, units }, { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: IDENTITY_POSE });
    expect(cloud.count).toBe(3);
    const expected = [
      [((0 - 1.5) * 1) / 2, ((0 - 1) * 1) / 4, 1],
      [((1 - 1.5) * 2.5) / 2, ((1 - 1) * 2.5) / 4, 2.5],
      [((3 - 1.5) * 0.5) / 2, ((2 - 1) * 0.5) / 4, 0.5],
    ];
    expected.flat().forEach((v, i) => expect(cloud.positions[i]).toBeCloseTo(v, 6));
    expect(Array.from(cloud.pixelIndex)).toEqual([0, 5, 11]);
  });

  it('applies the camera-to-world pose (rotation then translation) and copies colours', () => {
    const units = new Uint16Array(12);
    units[6] = 2000; // (u 2, v 1)
    const rgb = new Uint8Array(36);
    rgb.set([200, 100, 50], 6 * 3);
    // 90° about world z: camera x → world y, camera y → world −x; then +[1, 2, 3].
    const pose = asCameraToWorld([0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1]);
    const cloud = backProjectDepth(
      { width: 4, height: 3, units },
      { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: pose, color: { width: 4, height: 3, rgb } },
    );
    const cam = [((2 - 1.5) * 2) / 2, 0, 2];
    expect(Array.from(cloud.positions)).toEqual([-cam[1]! + 1, cam[0]! + 2, cam[2]! + 3].map((v) => Math.fround(v)));
    expect(Array.from(cloud.colors)).toEqual([200, 100, 50]);
  });

  it('honours the depth scale and the maximum range', () => {
    const units = new Uint16Array([5000, 10000, 0, 40000, 0, 0, 0, 0, 0, 0, 0, 0]);
    const cloud = backProjectDepth(
      { width: 4, height: 3, units },
      { intrinsics: K, depthScale: asDepthScale(5000), cameraToWorld: IDENTITY_POSE, maxDepth: 3 as Metres },
    );
    expect(cloud.count).toBe(2);
    expect(cloud.positions[2]).toBeCloseTo(1, 6);
    expect(cloud.positions[5]).toBeCloseTo(2, 6);
  });

  it('refuses intrinsics of another size', () => {
    expect(() =>
      backProjectDepth({ width: 2, height: 2, units: new Uint16Array(4) }, { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: IDENTITY_POSE }),
    ).toThrow(/intrinsics are for 4×3, depth image is 2×2/);
  });

  it('treats NaN and +Infinity float depth as missing and honours minDepth', () => {
    const metres = new Float32Array([NaN, 0.2, 1.5, Infinity, 0, 2, 0, 0, 0, 0, 0, 0.05]);
    const cloud = backProjectDepth(
      { width: 4, height: 3, units: metres },
      { intrinsics: K, depthScale: asDepthScale(1), cameraToWorld: IDENTITY_POSE, minDepth: 0.1 as Metres },
    );
    expect(Array.from(cloud.pixelIndex)).toEqual([1, 2, 5]);
    expect(cloud.positions[2]).toBeCloseTo(0.2, 6);
  });

  it('samples a colour image of another resolution at each depth pixel centre', () => {
    // 8×6 colour over 4×3 depth: depth pixel (u, v) covers colour pixel (2u + 1, 2v + 1).
    const rgb = new Uint8Array(8 * 6 * 3);
    for (let i = 0; i < 48; i++) rgb.set([i, 255 - i, 7], i * 3);
    const units = new Uint16Array(12).fill(1000);
    const cloud = backProjectDepth(
      { width: 4, height: 3, units },
      { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: IDENTITY_POSE, color: { width: 8, height: 6, rgb } },
    );
    const colourIndex = (u: number, v: number) => (2 * v + 1) * 8 + (2 * u + 1);
    expect(cloud.colors[5 * 3]).toBe(colourIndex(1, 1));
    expect(cloud.colors[11 * 3 + 1]).toBe(255 - colourIndex(3, 2));
  });

  it('refuses colour of a different aspect ratio', () => {
    expect(() =>
      backProjectDepth(
        { width: 4, height: 3, units: new Uint16Array(12) },
        { intrinsics: K, depthScale: asDepthScale(1000), cameraToWorld: IDENTITY_POSE, color: { width: 4, height: 4, rgb: new Uint8Array(48) } },
      ),
    ).toThrow(/colour is 4×4, depth is 4×3 \(different aspect ratios/);
  });
});
