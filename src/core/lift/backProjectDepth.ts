/**
 * Back-projection of a depth image to world points (OpenCV pinhole model):
 *   z = raw / depthScale,  x = (u − cx)·z/fx,  y = (v − cy)·z/fy,  p_world = R·p_cam + t.
 * A pixel becomes a point iff its raw depth is > 0 (and within maxDepth when given); nothing is
 * down-sampled here, so a single frame yields exactly one point per valid depth pixel.
 */
import type { CameraToWorld, DepthScale, Metres, PinholeIntrinsics } from '../units.ts';
import type { PointCloud } from './pointCloud.ts';

export interface DepthFrame {
  readonly width: number;
  readonly height: number;
  /** Raw depth units, row-major; 0 = missing. */
  readonly units: Uint16Array;
}

export interface BackProjectOptions {
  readonly intrinsics: PinholeIntrinsics;
  readonly depthScale: DepthScale;
  readonly cameraToWorld: CameraToWorld;
  /** 8-bit RGB of the same size as the depth image; points are grey when absent. */
  readonly rgb?: Uint8Array;
  readonly viewIndex?: number;
  readonly maxDepth?: Metres;
}

export function backProjectDepth(depth: DepthFrame, options: BackProjectOptions): PointCloud {
  const { width, height, units } = depth;
  const { intrinsics: k, depthScale, cameraToWorld: m, rgb } = options;
  if (k.width !== width || k.height !== height) {
    throw new Error(`backProjectDepth: intrinsics are for ${k.width}×${k.height}, depth image is ${width}×${height}`);
  }
  if (rgb && rgb.length !== width * height * 3) {
    throw new Error(`backProjectDepth: colour has ${rgb.length / 3} pixels, depth has ${width * height}`);
  }
  const maxUnits = options.maxDepth === undefined ? Infinity : options.maxDepth * depthScale;
  let count = 0;
  for (let i = 0; i < units.length; i++) {
    const d = units[i] as number;
    if (d > 0 && d <= maxUnits) count++;
  }
  const positions = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  const pixelIndex = new Uint32Array(count);
  const viewIndex = new Uint16Array(count).fill(options.viewIndex ?? 0);
  const invFx = 1 / k.fx;
  const invFy = 1 / k.fy;
  const invScale = 1 / depthScale;
  const [r00, r01, r02, tx, r10, r11, r12, ty, r20, r21, r22, tz] = m as unknown as number[];
  let n = 0;
  for (let v = 0; v < height; v++) {
    const yFactor = (v - k.cy) * invFy;
    for (let u = 0; u < width; u++) {
      const pix = v * width + u;
      const d = units[pix] as number;
      if (d === 0 || d > maxUnits) continue;
      const z = d * invScale;
      const x = (u - k.cx) * invFx * z;
      const y = yFactor * z;
      positions[n * 3] = r00! * x + r01! * y + r02! * z + tx!;
      positions[n * 3 + 1] = r10! * x + r11! * y + r12! * z + ty!;
      positions[n * 3 + 2] = r20! * x + r21! * y + r22! * z + tz!;
      if (rgb) {
        colors[n * 3] = rgb[pix * 3]!;
        colors[n * 3 + 1] = rgb[pix * 3 + 1]!;
        colors[n * 3 + 2] = rgb[pix * 3 + 2]!;
      } else {
        colors[n * 3] = colors[n * 3 + 1] = colors[n * 3 + 2] = 160;
      }
      pixelIndex[n] = pix;
      n++;
    }
  }
  return { count, positions, colors, viewIndex, pixelIndex };
}
