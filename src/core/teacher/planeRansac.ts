/**
 * Dominant plane by RANSAC (the support surface a tabletop capture stands on). Deterministic: samples
 * come from the seeded mulberry32 stream of src/core/synth/prng.ts, never Math.random, so the teacher
 * gives the same objects on every run and machine.
 *
 * Candidate planes are scored on at most `scoreSample` points (spread evenly over the candidates) for
 * speed; the winner then classifies every candidate point.
 */
import { mulberry32 } from '../synth/prng.ts';

/** n·p + offset = 0, n unit length; metres, world frame. */
export interface Plane {
  readonly normal: readonly [number, number, number];
  readonly offset: number;
}

export interface PlaneRansacOptions {
  readonly iterations?: number;
  /** Points within this distance of the plane are inliers (metres). */
  readonly inlierDistance?: number;
  readonly seed?: number;
  readonly scoreSample?: number;
}

export interface PlaneFit {
  readonly plane: Plane;
  /** 1 for inliers among the candidates, length = point count. */
  readonly inliers: Uint8Array;
  readonly inlierCount: number;
}

export const DEFAULT_PLANE_RANSAC: Required<PlaneRansacOptions> = { iterations: 200, inlierDistance: 0.01, seed: 0x91a4e, scoreSample: 20000 };

function planeThrough(p: Float32Array, a: number, b: number, c: number): Plane | null {
  const ux = p[b * 3]! - p[a * 3]!;
  const uy = p[b * 3 + 1]! - p[a * 3 + 1]!;
  const uz = p[b * 3 + 2]! - p[a * 3 + 2]!;
  const vx = p[c * 3]! - p[a * 3]!;
  const vy = p[c * 3 + 1]! - p[a * 3 + 1]!;
  const vz = p[c * 3 + 2]! - p[a * 3 + 2]!;
  const nx = uy * vz - uz * vy;
  const ny = uz * vx - ux * vz;
  const nz = ux * vy - uy * vx;
  const length = Math.hypot(nx, ny, nz);
  if (!(length > 1e-12)) return null; // collinear sample
  const normal = [nx / length, ny / length, nz / length] as const;
  return { normal, offset: -(normal[0] * p[a * 3]! + normal[1] * p[a * 3 + 1]! + normal[2] * p[a * 3 + 2]!) };
}

export function distanceToPlane(plane: Plane, p: Float32Array, i: number): number {
  return Math.abs(plane.normal[0] * p[i * 3]! + plane.normal[1] * p[i * 3 + 1]! + plane.normal[2] * p[i * 3 + 2]! + plane.offset);
}

/**
 * The plane with the most inliers among the candidate points (`candidates` non-zero, or all points when
 * null); null when fewer than 3 candidates exist.
 */
export function fitDominantPlane(positions: Float32Array, candidates: Uint8Array | null, options: PlaneRansacOptions = {}): PlaneFit | null {
  const o = { ...DEFAULT_PLANE_RANSAC, ...options };
  const count = positions.length / 3;
  const pool: number[] = [];
  for (let i = 0; i < count; i++)
    if ((candidates === null || candidates[i] !== 0) && Number.isFinite(positions[i * 3]! + positions[i * 3 + 1]! + positions[i * 3 + 2]!)) pool.push(i);
  if (pool.length < 3) return null;
  const step = Math.max(1, pool.length / o.scoreSample);
  const scored: number[] = [];
  for (let s = 0; s < pool.length; s += step) scored.push(pool[Math.floor(s)]!);
  const random = mulberry32(o.seed);
  const pick = () => pool[Math.floor(random() * pool.length)]!;
  let best: Plane | null = null;
  let bestScore = -1;
  for (let it = 0; it < o.iterations; it++) {
    const plane = planeThrough(positions, pick(), pick(), pick());
    if (!plane) continue;
    let score = 0;
    for (const i of scored) if (distanceToPlane(plane, positions, i) <= o.inlierDistance) score++;
    if (score > bestScore) [best, bestScore] = [plane, score];
  }
  if (!best) return null;
  const inliers = new Uint8Array(count);
  let inlierCount = 0;
  for (const i of pool) {
    if (distanceToPlane(best, positions, i) <= o.inlierDistance) {
      inliers[i] = 1;
      inlierCount++;
    }
  }
  return { plane: best, inliers, inlierCount };
}
