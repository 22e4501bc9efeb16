/**
 * The lifted cloud: world-frame points in metres with 8-bit colours, plus where each point came from
 * (view and pixel) so results can be drawn back onto the input images.
 *
 * Ownership: a PointCloud's arrays are owned by whoever holds the object; functions here never keep
 * references to their inputs, and return fresh arrays.
 */

import { asWorldPoints, type WorldPoints } from '../units.ts';

export interface PointCloud {
  readonly count: number;
  /** xyz, metres, world frame; length 3·count. */
  readonly positions: WorldPoints;
  /** rgb 0..255; length 3·count. */
  readonly colors: Uint8Array;
  /** Index of the input view each point was lifted from; length count. */
  readonly viewIndex: Uint16Array;
  /** Row-major pixel index (v·width + u) in its view's depth image; length count. */
  readonly pixelIndex: Uint32Array;
}

export interface Bounds3 {
  readonly min: [number, number, number];
  readonly max: [number, number, number];
  readonly centroid: [number, number, number];
}

/** Concatenates clouds (views fused in the same world frame). */
export function concatPointClouds(clouds: readonly PointCloud[]): PointCloud {
  const count = clouds.reduce((n, c) => n + c.count, 0);
  const out: PointCloud = {
    count,
    positions: asWorldPoints(new Float32Array(count * 3)),
    colors: new Uint8Array(count * 3),
    viewIndex: new Uint16Array(count),
    pixelIndex: new Uint32Array(count),
  };
  let offset = 0;
  for (const c of clouds) {
    out.positions.set(c.positions.subarray(0, c.count * 3), offset * 3);
    out.colors.set(c.colors.subarray(0, c.count * 3), offset * 3);
    out.viewIndex.set(c.viewIndex.subarray(0, c.count), offset);
    out.pixelIndex.set(c.pixelIndex.subarray(0, c.count), offset);
    offset += c.count;
  }
  return out;
}

export function computeBounds(positions: Float32Array, count: number): Bounds3 {
  if (count === 0) return { min: [0, 0, 0], max: [0, 0, 0], centroid: [0, 0, 0] };
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const sum = [0, 0, 0];
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a] as number;
      if (v < min[a]!) min[a] = v;
      if (v > max[a]!) max[a] = v;
      sum[a]! += v;
    }
  }
  return { min, max, centroid: [sum[0]! / count, sum[1]! / count, sum[2]! / count] };
}
