import { describe, expect, it } from 'vitest';
import { boundingRadius, fitDistance, lookThroughImageRect, lookThroughPose, quaternionFromRotation } from './cameraMath.ts';

/** Rotates v by unit quaternion q = (x, y, z, w): v' = v + 2w(q×v) + 2q×(q×v). */
function rotate(q: readonly number[], v: readonly number[]): number[] {
  const [x, y, z, w] = q as [number, number, number, number];
  const cx = y * v[2]! - z * v[1]!;
  const cy = z * v[0]! - x * v[2]!;
  const cz = x * v[1]! - y * v[0]!;
  return [v[0]! + 2 * (w * cx + y * cz - z * cy), v[1]! + 2 * (w * cy + z * cx - x * cz), v[2]! + 2 * (w * cz + x * cy - y * cx)];
}

/** 40° about world z, then 110° about world x (exercises a non-positive trace). */
function rotationMatrix(): number[] {
  const a = (40 * Math.PI) / 180;
  const b = (110 * Math.PI) / 180;
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
  return rx.flatMap((row) => [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * rz[k]![j]!, 0)));
}

describe('fitDistance', () => {
  it('is r / sin(fov/2) for a square viewport (60°: 2r)', () => {
    expect(fitDistance(1, 60, 1)).toBeCloseTo(2, 12);
    expect(fitDistance(0.5, 90, 1)).toBeCloseTo(0.5 / Math.sin(Math.PI / 4), 12);
  });
  it('uses the horizontal half-angle when the viewport is taller than wide', () => {
    // aspect 0.5, vertical 90°: tan(h/2) = 0.5 → sin = 0.5/√1.25.
    expect(fitDistance(1, 90, 0.5)).toBeCloseTo(Math.sqrt(1.25) / 0.5, 12);
    // A wide viewport does not get closer than the vertical limit.
    expect(fitDistance(1, 60, 3)).toBeCloseTo(2, 12);
  });
  it('boundingRadius is half the box diagonal', () => {
    expect(boundingRadius([0, 0, 0], [2, 3, 6])).toBeCloseTo(3.5, 12);
  });
});

describe('quaternionFromRotation', () => {
  it('rotates vectors exactly like the matrix', () => {
    const r = rotationMatrix();
    const q = quaternionFromRotation(r);
    expect(Math.hypot(...q)).toBeCloseTo(1, 12);
    for (const v of [
      [1, 0, 0],
      [0, 1, 0],
      [0.3, -0.2, 0.9],
    ]) {
      const expected = [0, 1, 2].map((i) => r[i * 3]! * v[0]! + r[i * 3 + 1]! * v[1]! + r[i * 3 + 2]! * v[2]!);
      rotate(q, v).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12));
    }
  });
  it('handles the 180° rotations (trace −1) on every axis', () => {
    expect(quaternionFromRotation([1, 0, 0, 0, -1, 0, 0, 0, -1]).map(Math.abs)).toEqual([1, 0, 0, 0]);
    expect(quaternionFromRotation([-1, 0, 0, 0, 1, 0, 0, 0, -1]).map(Math.abs)).toEqual([0, 1, 0, 0]);
    expect(quaternionFromRotation([-1, 0, 0, 0, -1, 0, 0, 0, 1]).map(Math.abs)).toEqual([0, 0, 1, 0]);
  });
});

describe('lookThroughPose', () => {
  const K = { width: 320, height: 240, fx: 280, fy: 280, cx: 159.5, cy: 119.5 };
  const r = rotationMatrix();
  const pose = [r[0]!, r[1]!, r[2]!, 0.6, r[3]!, r[4]!, r[5]!, -0.2, r[6]!, r[7]!, r[8]!, 1.5, 0, 0, 0, 1];

  it('puts the viewer at the camera centre, looking along the OpenCV +z with image-up = camera −y', () => {
    const p = lookThroughPose(pose, K, 4 / 3);
    expect(p.position).toEqual([0.6, -0.2, 1.5]);
    const look = rotate(p.quaternion, [0, 0, -1]);
    const up = rotate(p.quaternion, [0, 1, 0]);
    [r[2]!, r[5]!, r[8]!].forEach((x, i) => expect(look[i]).toBeCloseTo(x, 12));
    [-r[1]!, -r[4]!, -r[7]!].forEach((x, i) => expect(up[i]).toBeCloseTo(x, 12));
    expect(p.forward).toEqual([r[2], r[5], r[8]]);
  });
  it('takes the vertical field of view from fy when the viewport is as wide as the image or wider', () => {
    const expected = (2 * Math.atan(120 / 280) * 180) / Math.PI; // 46.4°
    expect(lookThroughPose(pose, K, 4 / 3).verticalFovDeg).toBeCloseTo(expected, 10);
    expect(lookThroughPose(pose, K, 2).verticalFovDeg).toBeCloseTo(expected, 10);
  });
  it('widens it so the image width fits a narrower viewport', () => {
    // aspect 1: tan(v/2) = (160/280) / 1.
    expect(lookThroughPose(pose, K, 1).verticalFovDeg).toBeCloseTo((2 * Math.atan(160 / 280) * 180) / Math.PI, 10);
  });
  it('lookThroughImageRect: the image rectangle inside the viewport', () => {
    expect(lookThroughImageRect(K, 800, 400)).toEqual({ x: (800 - 400 * (4 / 3)) / 2, y: 0, width: 400 * (4 / 3), height: 400 });
    expect(lookThroughImageRect(K, 400, 400)).toEqual({ x: 0, y: 50, width: 400, height: 300 });
  });
});
