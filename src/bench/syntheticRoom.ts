/**
 * The benches' synthetic capture: a room (floor, ceiling, back and side walls, a box and a
 * sphere) ray-cast from posed 640×480 cameras into uint16 millimetre depth with colour; 1 % holes,
 * 0.5 % flying pixels at random, noise ∝ depth². Shared by the lift and outlier benches.
 */
import { type RgbRaster, asCameraToWorld, asDepthScale, asWorldPoints, type CameraToWorld, type PinholeIntrinsics } from '../core/units.ts';
import { backProjectDepth } from '../core/lift/backProjectDepth.ts';
import { concatPointClouds, type PointCloud } from '../core/lift/pointCloud.ts';
import { mulberry32 } from '../core/synth/prng.ts';

export const W = 640;
export const H = 480;
export const K: PinholeIntrinsics = { width: W, height: H, fx: 525, fy: 525, cx: 319.5, cy: 239.5 };
export const SCALE = 1000;

/** Camera-to-world for a camera at `eye` looking at `target` (world y up → camera y down). */
export function lookAt(eye: number[], target: number[]): CameraToWorld {
  const f = target.map((t, i) => t - eye[i]!);
  const fn = Math.hypot(...f);
  const z = f.map((v) => v / fn);
  const up = [0, 1, 0];
  // x = z × up (camera right), y = z × x (camera down).
  const xr = [z[1]! * up[2]! - z[2]! * up[1]!, z[2]! * up[0]! - z[0]! * up[2]!, z[0]! * up[1]! - z[1]! * up[0]!];
  const xn = Math.hypot(...xr);
  const x = xr.map((v) => v / xn);
  const y = [z[1]! * x[2]! - z[2]! * x[1]!, z[2]! * x[0]! - z[0]! * x[2]!, z[0]! * x[1]! - z[1]! * x[0]!];
  return asCameraToWorld([x[0]!, y[0]!, z[0]!, eye[0]!, x[1]!, y[1]!, z[1]!, eye[1]!, x[2]!, y[2]!, z[2]!, eye[2]!, 0, 0, 0, 1]);
}

/**
 * Ray-casts the room from a pose: returns uint16 mm depth and colour. Room: floor y = 0, walls at
 * z = 4, x = ±2.5, ceiling y = 2.6; a box [−0.6, 0.2] × [0, 0.7] × [1.6, 2.4] and a sphere
 * (centre (0.9, 0.5, 2.2), radius 0.4). 1 % holes; 0.5 % flying pixels; noise ∝ depth².
 */
export function renderFrame(pose: CameraToWorld, seed: number): { depth: Uint16Array; color: RgbRaster } {
  const r = mulberry32(seed);
  const m = pose;
  const depth = new Uint16Array(W * H);
  const rgb = new Uint8Array(W * H * 3);
  const o = [m[3]!, m[7]!, m[11]!];
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const cx = (u - K.cx) / K.fx;
      const cy = (v - K.cy) / K.fy;
      // World direction of the ray with camera z = 1.
      const d = [m[0]! * cx + m[1]! * cy + m[2]!, m[4]! * cx + m[5]! * cy + m[6]!, m[8]! * cx + m[9]! * cy + m[10]!];
      let best = Infinity;
      let colour = [0, 0, 0];
      const plane = (axis: number, at: number, c: number[]) => {
        const t = (at - o[axis]!) / d[axis]!;
        if (t > 0 && t < best) {
          best = t;
          colour = c;
        }
      };
      plane(1, 0, [120, 100, 80]);
      plane(1, 2.6, [230, 230, 230]);
      plane(2, 4, [200, 190, 170]);
      plane(0, 2.5, [180, 200, 180]);
      plane(0, -2.5, [180, 180, 210]);
      // Box: slab intersection.
      let tmin = 0;
      let tmax = Infinity;
      const lo = [-0.6, 0, 1.6];
      const hi = [0.2, 0.7, 2.4];
      for (let a = 0; a < 3; a++) {
        const t1 = (lo[a]! - o[a]!) / d[a]!;
        const t2 = (hi[a]! - o[a]!) / d[a]!;
        tmin = Math.max(tmin, Math.min(t1, t2));
        tmax = Math.min(tmax, Math.max(t1, t2));
      }
      if (tmin <= tmax && tmin > 0 && tmin < best) {
        best = tmin;
        colour = [200, 60, 40];
      }
      // Sphere.
      const oc = [o[0]! - 0.9, o[1]! - 0.5, o[2]! - 2.2];
      const a2 = d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!;
      const b = oc[0]! * d[0]! + oc[1]! * d[1]! + oc[2]! * d[2]!;
      const c = oc[0]! * oc[0]! + oc[1]! * oc[1]! + oc[2]! * oc[2]! - 0.16;
      const disc = b * b - a2 * c;
      if (disc >= 0) {
        const t = (-b - Math.sqrt(disc)) / a2;
        if (t > 0 && t < best) {
          best = t;
          colour = [40, 90, 200];
        }
      }
      // With camera z = 1 in the direction, t is the depth along the optical axis.
      let z = best;
      const roll = r();
      if (roll < 0.01 || !Number.isFinite(z)) z = 0;
      else if (roll < 0.015)
        z *= 0.5 + r(); // flying pixel
      else z += (r() - 0.5) * 0.004 * z * z;
      const i = v * W + u;
      depth[i] = Math.min(65535, Math.round(z * SCALE));
      rgb.set(colour, i * 3);
    }
  }
  return { depth, color: { width: W, height: H, rgb } };
}

/** The first `n` points of a cloud (fresh arrays). */
export function takePoints(c: PointCloud, n: number): PointCloud {
  return {
    count: n,
    positions: asWorldPoints(c.positions.slice(0, n * 3)),
    colors: c.colors.slice(0, n * 3),
    viewIndex: c.viewIndex.slice(0, n),
    pixelIndex: c.pixelIndex.slice(0, n),
  };
}

/**
 * `views` posed frames of the room (eyes on a ring around it, looking at its middle) lifted and
 * fused into one world cloud, about 300,000 points per view.
 */
export function roomCloud(views: number): { poses: CameraToWorld[]; frames: { depth: Uint16Array; color: RgbRaster }[]; cloud: PointCloud } {
  const poses = Array.from({ length: views }, (_, i) => {
    const a = (i / views) * Math.PI - Math.PI / 2; // eyes in front of the back wall, spread across the room
    return lookAt([1.8 * Math.sin(a), 1.2 + 0.25 * (i % 4), 0.6 - 0.4 * Math.cos(a)], [0.1, 0.5, 2.4]);
  });
  const frames = poses.map((p, i) => renderFrame(p, 101 + i));
  const depthScale = asDepthScale(SCALE);
  const clouds = frames.map((f, i) =>
    backProjectDepth({ width: W, height: H, units: f.depth }, { intrinsics: K, depthScale, cameraToWorld: poses[i]!, color: f.color, viewIndex: i }),
  );
  return { poses, frames, cloud: concatPointClouds(clouds) };
}
