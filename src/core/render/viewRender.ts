/**
 * What turns a 3D view into a render request and a rendered point-index image into files: the
 * OpenCV camera of a three.js-style viewer, the typical point spacing that sizes the splats, and
 * per-pixel images read through the index image (colours, scalars, feature rows).
 *
 * Frames: three.js cameras look along their −z with y up; OpenCV cameras along +z with y down, so
 * the camera-to-world rotation's second and third columns change sign.
 */
import type { PinholeIntrinsics } from '../units.ts';
import type { RgbaImage } from '../views/viewImages.ts';

/**
 * Row-major OpenCV camera-to-world from a three.js camera's world matrix (column-major, as
 * `matrixWorld.elements`).
 */
export function openCvCameraToWorld(threeMatrixWorld: ArrayLike<number>): number[] {
  const e = threeMatrixWorld;
  // Column-major e[col·4 + row]; OpenCV y = −three y, z = −three z.
  return [e[0]!, -e[4]!, -e[8]!, e[12]!, e[1]!, -e[5]!, -e[9]!, e[13]!, e[2]!, -e[6]!, -e[10]!, e[14]!, 0, 0, 0, 1];
}

/** Square-pixel intrinsics of a `width` × `height` image with vertical field of view `verticalFovDeg`, centred principal point. */
export function intrinsicsFromFov(verticalFovDeg: number, width: number, height: number): PinholeIntrinsics {
  const fy = height / 2 / Math.tan((verticalFovDeg * Math.PI) / 360);
  return { width, height, fx: fy, fy, cx: (width - 1) / 2, cy: (height - 1) / 2 };
}

/**
 * Median distance from a point to its nearest neighbour, over up to `samples` points spread over
 * the cloud (every count/samples-th), found on a hash grid of cell `cellMetres` (neighbours farther
 * than one cell are not seen: the sample is then skipped). Sizes splats so neighbouring points
 * touch. 0 when no sample found a neighbour.
 */
export function estimatePointSpacing(positions: Float32Array, count: number, samples = 2000, cellMetres = 0.05): number {
  const key = (x: number, y: number, z: number) => `${Math.floor(x / cellMetres)},${Math.floor(y / cellMetres)},${Math.floor(z / cellMetres)}`;
  const cells = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const k = key(positions[3 * i]!, positions[3 * i + 1]!, positions[3 * i + 2]!);
    let list = cells.get(k);
    if (!list) cells.set(k, (list = []));
    list.push(i);
  }
  const step = Math.max(1, Math.floor(count / samples));
  const distances: number[] = [];
  for (let i = 0; i < count; i += step) {
    const x = positions[3 * i]!,
      y = positions[3 * i + 1]!,
      z = positions[3 * i + 2]!;
    const cx = Math.floor(x / cellMetres),
      cy = Math.floor(y / cellMetres),
      cz = Math.floor(z / cellMetres);
    let best = Infinity;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          for (const j of cells.get(`${cx + dx},${cy + dy},${cz + dz}`) ?? []) {
            if (j === i) continue;
            const d = (positions[3 * j]! - x) ** 2 + (positions[3 * j + 1]! - y) ** 2 + (positions[3 * j + 2]! - z) ** 2;
            // Duplicates (voxel averaging can stack points) say nothing about spacing.
            if (d > 0 && d < best) best = d;
          }
        }
    if (best <= cellMetres * cellMetres) distances.push(Math.sqrt(best));
  }
  if (distances.length === 0) return 0;
  distances.sort((a, b) => a - b);
  return distances[Math.floor(distances.length / 2)]!;
}

/** RGBA image of per-point colours (3 bytes a point) read through `pointIndex`; uncovered pixels transparent black. */
export function pixelColours(pointIndex: Int32Array, width: number, height: number, perPointRgb: Uint8Array): RgbaImage {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let k = 0; k < width * height; k++) {
    const i = pointIndex[k]!;
    if (i < 0) continue;
    rgba[4 * k] = perPointRgb[3 * i]!;
    rgba[4 * k + 1] = perPointRgb[3 * i + 1]!;
    rgba[4 * k + 2] = perPointRgb[3 * i + 2]!;
    rgba[4 * k + 3] = 255;
  }
  return { width, height, rgba };
}

/** Per-pixel values of a per-point scalar (relevancy) read through `pointIndex`; NaN where uncovered. */
export function pixelScalars(pointIndex: Int32Array, perPoint: Float32Array): Float32Array {
  const out = new Float32Array(pointIndex.length);
  for (let k = 0; k < pointIndex.length; k++) {
    const i = pointIndex[k]!;
    out[k] = i < 0 ? NaN : perPoint[i]!;
  }
  return out;
}

/** Largest D-channel feature image built (floats): 64 M floats = 256 MB. */
export const MAX_FEATURE_IMAGE_FLOATS = 64 * 1024 * 1024;

/**
 * The [height·width, dim] feature image: each covered pixel takes its point's row, read by
 * `readRow(pointIndex, out)` (any feature store); zeros where uncovered.
 */
export function pixelFeatures(pointIndex: Int32Array, dim: number, readRow: (point: number, out: Float32Array) => void): Float32Array {
  const floats = pointIndex.length * dim;
  if (floats > MAX_FEATURE_IMAGE_FLOATS) {
    throw new Error(
      `feature image: ${pointIndex.length} pixels × ${dim} channels = ${floats} floats (at most ${MAX_FEATURE_IMAGE_FLOATS}); render a smaller image`,
    );
  }
  const out = new Float32Array(floats);
  for (let k = 0; k < pointIndex.length; k++) {
    const i = pointIndex[k]!;
    if (i >= 0) readRow(i, out.subarray(k * dim, (k + 1) * dim));
  }
  return out;
}
