/**
 * Back-projection of a depth image to world points (OpenCV pinhole model):
 *   z = raw / depthScale,  x = (u − cx)·z/fx,  y = (v − cy)·z/fy,  p_world = R·p_cam + t.
 * A pixel becomes a point iff its depth is > 0 and finite (NaN = missing) and within
 * [minDepth, maxDepth] when given; nothing is down-sampled here, so a single frame yields exactly
 * one point per valid depth pixel.
 */
import { asWorldPoints, type RgbRaster, type CameraToWorld, type DepthScale, type Metres, type PinholeIntrinsics } from '../units.ts';
import type { PointCloud } from './pointCloud.ts';

export interface DepthFrame {
  readonly width: number;
  readonly height: number;
  /** Raw depth units (uint16, or float metres with depthScale 1), row-major; 0 or NaN = missing. */
  readonly units: Uint16Array | Float32Array;
}

export interface BackProjectOptions {
  readonly intrinsics: PinholeIntrinsics;
  readonly depthScale: DepthScale;
  readonly cameraToWorld: CameraToWorld;
  /**
   * Colour registered to the depth image. It may have another resolution of the same aspect
   * ratio (e.g. 1280×960 colour over 640×480 depth): each depth pixel takes the colour pixel
   * covering its centre. Points are grey when absent.
   */
  readonly color?: RgbRaster;
  readonly viewIndex?: number;
  readonly minDepth?: Metres;
  readonly maxDepth?: Metres;
}

export function backProjectDepth(depth: DepthFrame, options: BackProjectOptions): PointCloud {
  const { width, height, units } = depth;
  const { intrinsics: k, depthScale, cameraToWorld: m, color } = options;
  if (k.width !== width || k.height !== height) {
    throw new Error(`backProjectDepth: intrinsics are for ${k.width}×${k.height}, depth image is ${width}×${height}`);
  }
  if (color && Math.abs(color.width / color.height - width / height) > 1e-3 * (width / height)) {
    throw new Error(
      `backProjectDepth: colour is ${color.width}×${color.height}, depth is ${width}×${height} (different aspect ratios cannot be registered by scaling)`,
    );
  }
  const minUnits = options.minDepth === undefined ? 0 : options.minDepth * depthScale;
  const maxUnits = options.maxDepth === undefined ? Infinity : options.maxDepth * depthScale;
  const keep = (d: number) => d > 0 && d >= minUnits && d <= maxUnits && d !== Infinity;
  let count = 0;
  for (let i = 0; i < units.length; i++) if (keep(units[i] as number)) count++;

  const positions = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  const pixelIndex = new Uint32Array(count);
  const viewIndex = new Uint16Array(count).fill(options.viewIndex ?? 0);
  // Colour column/row lookup tables: the colour pixel covering each depth pixel centre.
  const colourColumn = color ? Uint32Array.from({ length: width }, (_, u) => Math.min(color.width - 1, Math.floor(((u + 0.5) * color.width) / width))) : null;
  const colourRow = color ? Uint32Array.from({ length: height }, (_, v) => Math.min(color.height - 1, Math.floor(((v + 0.5) * color.height) / height))) : null;
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
      if (!keep(d)) continue;
      // (x, y, z): the pixel in the camera frame (OpenCV); stored after the pose, in the world frame.
      const z = d * invScale;
      const x = (u - k.cx) * invFx * z;
      const y = yFactor * z;
      positions[n * 3] = r00! * x + r01! * y + r02! * z + tx!;
      positions[n * 3 + 1] = r10! * x + r11! * y + r12! * z + ty!;
      positions[n * 3 + 2] = r20! * x + r21! * y + r22! * z + tz!;
      if (color) {
        const c = (colourRow![v]! * color.width + colourColumn![u]!) * 3;
        colors[n * 3] = color.rgb[c]!;
        colors[n * 3 + 1] = color.rgb[c + 1]!;
        colors[n * 3 + 2] = color.rgb[c + 2]!;
      } else {
        colors[n * 3] = colors[n * 3 + 1] = colors[n * 3 + 2] = 160;
      }
      pixelIndex[n] = pix;
      n++;
    }
  }
  return { count, positions: asWorldPoints(positions), colors, viewIndex, pixelIndex };
}
