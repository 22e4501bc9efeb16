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
  // Kept iff d > 0, d >= minUnits, d <= maxUnits and finite: capping the upper bound at the
  // largest finite double drops +Infinity, and NaN fails every comparison.
  const hi = Math.min(maxUnits, Number.MAX_VALUE);
  const lo = minUnits;
  let count = 0;
  const total = width * height;
  for (let i = 0; i < total; i++) {
    const d = units[i]!;
    if (d > 0 && d >= lo && d <= hi) count++;
  }

  const positions = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  const pixelIndex = new Uint32Array(count);
  const viewIndex = new Uint16Array(count).fill(options.viewIndex ?? 0);
  if (count === 0) return { count, positions: asWorldPoints(positions), colors, viewIndex, pixelIndex };
  // Per-column x/z factor and colour column offset (bytes), per-row colour row offset: the colour
  // pixel covering each depth pixel centre.
  const xFactor = new Float64Array(width);
  for (let u = 0; u < width; u++) xFactor[u] = (u - k.cx) / k.fx;
  const colourColumn = new Int32Array(width);
  const colourRow = new Int32Array(height);
  if (color) {
    for (let u = 0; u < width; u++) colourColumn[u] = Math.min(color.width - 1, Math.floor(((u + 0.5) * color.width) / width)) * 3;
    for (let v = 0; v < height; v++) colourRow[v] = Math.min(color.height - 1, Math.floor(((v + 0.5) * color.height) / height)) * color.width * 3;
  } else {
    colors.fill(160);
  }
  const rgb = color ? color.rgb : null;
  const invFy = 1 / k.fy;
  const invScale = 1 / depthScale;
  const [r00, r01, r02, tx, r10, r11, r12, ty, r20, r21, r22, tz] = m as unknown as number[];
  let p3 = 0;
  let n = 0;
  for (let v = 0; v < height; v++) {
    const yFactor = (v - k.cy) * invFy;
    // The world position is linear in z along a pixel ray: p = z·(R·(xf, yf, 1)) + t.
    const by0 = r01! * yFactor + r02!;
    const by1 = r11! * yFactor + r12!;
    const by2 = r21! * yFactor + r22!;
    const rowStart = v * width;
    const colourRowOffset = colourRow[v]!;
    for (let u = 0; u < width; u++) {
      const d = units[rowStart + u]!;
      if (!(d > 0 && d >= lo && d <= hi)) continue;
      const z = d * invScale;
      const xf = xFactor[u]!;
      positions[p3] = (r00! * xf + by0) * z + tx!;
      positions[p3 + 1] = (r10! * xf + by1) * z + ty!;
      positions[p3 + 2] = (r20! * xf + by2) * z + tz!;
      if (rgb) {
        const c = colourRowOffset + colourColumn[u]!;
        colors[p3] = rgb[c]!;
        colors[p3 + 1] = rgb[c + 1]!;
        colors[p3 + 2] = rgb[c + 2]!;
      }
      pixelIndex[n++] = rowStart + u;
      p3 += 3;
    }
  }
  return { count, positions: asWorldPoints(positions), colors, viewIndex, pixelIndex };
}
