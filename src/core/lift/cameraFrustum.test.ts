import { describe, expect, it } from 'vitest';
import { asCameraToWorld, IDENTITY_POSE } from '../units.ts';
import { frustumCorners, frustumLineSegments, imageCornerPixels, type Vec3 } from './cameraFrustum.ts';

const K = { width: 640, height: 480, fx: 525, fy: 500, cx: 319.5, cy: 239.5 };

/** A rotation of 30° about world z, then 50° about world x, and a translation. */
function pose(): number[] {
  const a = (30 * Math.PI) / 180;
  const b = (50 * Math.PI) / 180;
  const rz = [
    [Math.cos(a), -Math.sin(a), 0],
    [Math.sin(a), Math.cos(a), 0],
    [0, 0, 1],
  ];
  const rx = [
    [1, 0, 0],
    [0, Math.cos(b), -Math.sin(b)],
    [0, Math.sin(b), Math.cos(b)],
  ];
  const r = rx.map((row) => [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * rz[k]![j]!, 0)));
  const t = [0.7, -1.2, 2.5];
  return [...r[0]!, t[0]!, ...r[1]!, t[1]!, ...r[2]!, t[2]!, 0, 0, 0, 1];
}

/** World → pixel with the same intrinsics: p_cam = Rᵀ(p − t), u = fx·x/z + cx, v = fy·y/z + cy. */
function project(m: number[], p: Vec3): { u: number; v: number; z: number } {
  const d = [p[0] - m[3]!, p[1] - m[7]!, p[2] - m[11]!];
  const cam = [0, 1, 2].map((j) => m[j]! * d[0]! + m[4 + j]! * d[1]! + m[8 + j]! * d[2]!);
  return { u: (K.fx * cam[0]!) / cam[2]! + K.cx, v: (K.fy * cam[1]!) / cam[2]! + K.cy, z: cam[2]! };
}

describe('frustumCorners', () => {
  it('puts the corners at the outer pixel edges at the given depth (identity pose, hand-computed)', () => {
    const { centre, corners } = frustumCorners(K, IDENTITY_POSE, 2);
    expect(centre).toEqual([0, 0, 0]);
    // Top-left: u = −0.5 → x = (−0.5 − 319.5)·2/525 = −640/525; v = −0.5 → y = (−0.5 − 239.5)·2/500 = −0.96.
    const xl = -640 / 525;
    const xr = 640 / 525;
    const expected = [
      [xl, -0.96, 2],
      [xr, -0.96, 2],
      [xr, 0.96, 2],
      [xl, 0.96, 2],
    ];
    corners.forEach((c, i) => c.forEach((v, a) => expect(v).toBeCloseTo(expected[i]![a]!, 12)));
  });

  it('projects back onto the image corners through a rotated, translated camera', () => {
    const m = pose();
    const { centre, corners } = frustumCorners(K, asCameraToWorld(m), 1.75);
    expect(centre).toEqual([0.7, -1.2, 2.5]);
    const pixels = imageCornerPixels(K);
    expect(pixels).toEqual([
      [-0.5, -0.5],
      [639.5, -0.5],
      [639.5, 479.5],
      [-0.5, 479.5],
    ]);
    corners.forEach((c, i) => {
      const { u, v, z } = project(m, c);
      expect(u).toBeCloseTo(pixels[i]![0], 9);
      expect(v).toBeCloseTo(pixels[i]![1], 9);
      expect(z).toBeCloseTo(1.75, 12);
    });
  });
});

describe('frustumLineSegments', () => {
  it('lists 8 segments: centre to each corner, then the image rectangle', () => {
    const m = pose();
    const { centre, corners } = frustumCorners(K, asCameraToWorld(m), 0.3);
    const segments = frustumLineSegments(K, asCameraToWorld(m), 0.3);
    expect(segments).toHaveLength(48);
    const endpoints: Vec3[] = [];
    for (let i = 0; i < 4; i++) endpoints.push(centre, corners[i]!);
    for (let i = 0; i < 4; i++) endpoints.push(corners[i]!, corners[(i + 1) % 4]!);
    expect(Array.from(segments)).toEqual(endpoints.flat().map(Math.fround));
  });
});
