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

describe('backProjectDepth against a per-pixel reference', () => {
  it('matches R·K⁻¹·(u, v, 1)·z + t pixel by pixel on a random frame, pose, colour scale and depth range', () => {
    const W = 32;
    const H = 24;
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const units = Uint16Array.from({ length: W * H }, () => (random() < 0.2 ? 0 : Math.floor(random() * 5000)));
    const k = { width: W, height: H, fx: 30.5, fy: 29.5, cx: 15.2, cy: 11.7 };
    // A rotation (about an oblique axis, Rodrigues) and a translation.
    const [ax, ay, az] = [0.36, 0.48, 0.8];
    const th = 0.7;
    const c = Math.cos(th);
    const s = Math.sin(th);
    const R = [
      [c + ax * ax * (1 - c), ax * ay * (1 - c) - az * s, ax * az * (1 - c) + ay * s],
      [ay * ax * (1 - c) + az * s, c + ay * ay * (1 - c), ay * az * (1 - c) - ax * s],
      [az * ax * (1 - c) - ay * s, az * ay * (1 - c) + ax * s, c + az * az * (1 - c)],
    ];
    const t = [0.5, -1.25, 2];
    const pose = asCameraToWorld([...R[0]!, t[0]!, ...R[1]!, t[1]!, ...R[2]!, t[2]!, 0, 0, 0, 1]);
    const colour = { width: W * 2, height: H * 2, rgb: Uint8Array.from({ length: W * H * 12 }, () => Math.floor(random() * 256)) };
    const cloud = backProjectDepth(
      { width: W, height: H, units },
      { intrinsics: k, depthScale: asDepthScale(1000), cameraToWorld: pose, color: colour, viewIndex: 3, minDepth: 0.5 as Metres, maxDepth: 4 as Metres },
    );
    let n = 0;
    for (let v = 0; v < H; v++) {
      for (let u = 0; u < W; u++) {
        const z = units[v * W + u]! / 1000;
        if (!(z > 0 && z >= 0.5 && z <= 4)) continue;
        const cam = [((u - k.cx) / k.fx) * z, ((v - k.cy) / k.fy) * z, z];
        for (let a = 0; a < 3; a++) expect(cloud.positions[n * 3 + a]).toBeCloseTo(R[a]![0]! * cam[0]! + R[a]![1]! * cam[1]! + R[a]![2]! * cam[2]! + t[a]!, 5);
        // The 2× colour image: the colour pixel covering the depth pixel's centre is (2u + 1, 2v + 1).
        const ci = ((2 * v + 1) * W * 2 + 2 * u + 1) * 3;
        expect(Array.from(cloud.colors.subarray(n * 3, n * 3 + 3))).toEqual(Array.from(colour.rgb.subarray(ci, ci + 3)));
        expect(cloud.pixelIndex[n]).toBe(v * W + u);
        expect(cloud.viewIndex[n]).toBe(3);
        n++;
      }
    }
    expect(cloud.count).toBe(n);
    expect(n).toBeGreaterThan(100);
  });
});
