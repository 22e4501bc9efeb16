import { describe, expect, it } from 'vitest';
import { asCameraToWorld } from '../units.ts';
import { renderSplats } from './splatRender.ts';
import { estimatePointSpacing, intrinsicsFromFov, openCvCameraToWorld, pixelColours, pixelFeatures, pixelScalars } from './viewRender.ts';

/** Column-major 4×4 of a three.js camera with basis columns x, y, z (its look direction is −z) at `t`. */
const threeMatrix = (x: number[], y: number[], z: number[], t: number[]) => [...x, 0, ...y, 0, ...z, 0, ...t, 1];

function project(world: number[], threeWorld: number[]) {
  const intrinsics = intrinsicsFromFov(60, 101, 81);
  const out = renderSplats(
    { count: 1, positions: new Float32Array(world), colors: new Uint8Array([255, 0, 0]) },
    { intrinsics, cameraToWorld: asCameraToWorld(openCvCameraToWorld(threeWorld)), fillHoles: false },
  );
  const k = out.pointIndex.indexOf(0);
  return k < 0 ? null : { u: k % 101, v: Math.floor(k / 101), depth: out.depthMetres[k]! };
}

describe('openCvCameraToWorld', () => {
  it('puts what a three.js camera looks at (its −z) in front, right to the right and up above', () => {
    const cam = threeMatrix([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 5]);
    expect(project([0, 0, 0], cam)).toEqual({ u: 50, v: 40, depth: 5 });
    expect(project([1, 0, 0], cam)!.u).toBeGreaterThan(50);
    expect(project([0, 1, 0], cam)!.v).toBeLessThan(40);
    expect(project([0, 0, 10], cam)).toBeNull(); // behind the camera
  });

  it('follows a rotated camera (looking along world −x)', () => {
    // Rotated +90° about y: its x axis → world −z, y stays, z → world +x.
    const cam = threeMatrix([0, 0, -1], [0, 1, 0], [1, 0, 0], [2, 0, 0]);
    const centre = project([-3, 0, 0], cam)!;
    expect(centre).toEqual({ u: 50, v: 40, depth: 5 });
    expect(project([-3, 0, -1], cam)!.u).toBeGreaterThan(50); // world −z is the camera's right
  });
});

describe('intrinsicsFromFov', () => {
  it('makes the vertical field of view span the image height', () => {
    const k = intrinsicsFromFov(90, 640, 480);
    expect(k.fy).toBeCloseTo(240, 9); // tan 45° = 1: half the height
    expect(k.fx).toBe(k.fy);
  });
});

describe('estimatePointSpacing', () => {
  it('finds the pitch of a regular 1 cm grid', () => {
    const pts: number[] = [];
    for (let x = 0; x < 20; x++) for (let y = 0; y < 20; y++) pts.push(x * 0.01, y * 0.01, 0.5);
    expect(estimatePointSpacing(new Float32Array(pts), 400)).toBeCloseTo(0.01, 5);
  });
});

describe('per-pixel images through the index image', () => {
  const index = new Int32Array([1, -1, 0, 1]);
  it('colours covered pixels from their point and leaves the rest transparent', () => {
    const img = pixelColours(index, 2, 2, new Uint8Array([10, 20, 30, 40, 50, 60]));
    expect([...img.rgba]).toEqual([40, 50, 60, 255, 0, 0, 0, 0, 10, 20, 30, 255, 40, 50, 60, 255]);
  });
  it('reads scalars (NaN uncovered) and feature rows (zero uncovered)', () => {
    expect([...pixelScalars(index, new Float32Array([0.25, 0.75]))]).toEqual([0.75, NaN, 0.25, 0.75]);
    const rows = [
      [1, 2],
      [3, 4],
    ];
    const f = pixelFeatures(index, 2, (i, out) => out.set(rows[i]!));
    expect([...f]).toEqual([3, 4, 0, 0, 1, 2, 3, 4]);
  });
});
