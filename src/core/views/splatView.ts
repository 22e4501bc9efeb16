/**
 * A per-point scalar field seen through one input camera, as an RGBA image: every point is
 * projected with the camera's intrinsics (OpenCV frame), the nearest point per pixel wins
 * (z-buffer) and takes the turbo colour of its value. Used for the small side-by-side heatmaps
 * (teacher vs student), where one fixed viewpoint makes the two directly comparable.
 */
import { turboInto } from '../color/colormaps.ts';
import type { PinholeIntrinsics } from '../units.ts';

export interface SplatCamera {
  readonly intrinsics: PinholeIntrinsics;
  /** Row-major camera-to-world, OpenCV frame, metres. */
  readonly cameraToWorld: readonly number[];
}

/** RGBA bytes [height, width, 4]; pixels no point lands on stay transparent. */
export function splatScalarField(positions: Float32Array, count: number, values: Float32Array, min: number, max: number, camera: SplatCamera): Uint8ClampedArray<ArrayBuffer> {
  const { width, height, fx, fy, cx, cy } = camera.intrinsics;
  const m = camera.cameraToWorld;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const depth = new Float32Array(width * height).fill(Infinity);
  const span = max > min ? max - min : 1;
  const rgb = new Uint8Array(3);
  for (let i = 0; i < count; i++) {
    // World → camera: R^T (p − t), with R the upper-left 3×3 and t the last column.
    const dx = positions[i * 3]! - m[3]!;
    const dy = positions[i * 3 + 1]! - m[7]!;
    const dz = positions[i * 3 + 2]! - m[11]!;
    const x = m[0]! * dx + m[4]! * dy + m[8]! * dz;
    const y = m[1]! * dx + m[5]! * dy + m[9]! * dz;
    const z = m[2]! * dx + m[6]! * dy + m[10]! * dz;
    if (!(z > 0)) continue;
    const u = Math.round((fx * x) / z + cx);
    const v = Math.round((fy * y) / z + cy);
    if (u < 0 || v < 0 || u >= width || v >= height) continue;
    const pixel = v * width + u;
    if (z >= depth[pixel]!) continue;
    depth[pixel] = z;
    const value = values[i]!;
    if (Number.isFinite(value)) turboInto((value - min) / span, rgb, 0);
    else rgb.fill(128);
    rgba.set([rgb[0]!, rgb[1]!, rgb[2]!, 255], pixel * 4);
  }
  return rgba;
}

/**
 * For clouds without input cameras (point files): a 320×240 camera straight above the cloud's
 * bounding box, looking down world −z, far enough to see all of it.
 */
export function overheadCamera(bounds: { readonly min: readonly number[]; readonly max: readonly number[] }): SplatCamera {
  const [x0, y0] = bounds.min as [number, number, number];
  const [x1, y1, z1] = bounds.max as [number, number, number];
  const width = 320;
  const height = 240;
  const focal = 280;
  // Half extents must fit in half the image at the camera's distance above the top.
  const distance = Math.max(((x1 - x0) / 2) * (focal / (width / 2)), ((y1 - y0) / 2) * (focal / (height / 2)), 1e-3) * 1.1;
  // Columns: camera x = world +x, camera y (image down) = world −y, camera z (forward) = world −z.
  const cameraToWorld = [1, 0, 0, (x0 + x1) / 2, 0, -1, 0, (y0 + y1) / 2, 0, 0, -1, z1 + distance, 0, 0, 0, 1];
  return { intrinsics: { width, height, fx: focal, fy: focal, cx: (width - 1) / 2, cy: (height - 1) / 2 }, cameraToWorld };
}
