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

/** What the page reads of the 3D view's camera to render from it. */
export interface ViewCameraSnapshot {
  /** The three.js camera's world matrix, column-major (it looks along its −z, y up). */
  readonly matrixWorld: readonly number[];
  readonly verticalFovDeg: number;
  /** Canvas width / height. */
  readonly aspect: number;
}

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
 * the cloud (every count/samples-th): sizes splats so neighbouring points touch. Neighbours are
 * searched in the 3×3×3 cells around each sample on a grid whose cell starts at 4·extent/√count
 * (a surface filling the box has spacing ≈ extent/√count) and grows ×4 until half the samples
 * find one; only the points in those cells are kept, so a 1 M-point cloud costs one pass.
 * 0 when no neighbour is found.
 */
export function estimatePointSpacing(positions: Float32Array, count: number, samples = 2000): number {
  if (count < 2) return 0;
  let extent = 0;
  for (let a = 0; a < 3; a++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = positions[3 * i + a]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > extent) extent = hi - lo;
  }
  if (!(extent > 0) || !Number.isFinite(extent)) return 0;
  const wanted = Math.min(samples, count) / 2;
  for (let cell = (4 * extent) / Math.sqrt(count), attempt = 0; attempt < 6; attempt++, cell *= 4) {
    const distances = sampledNearestDistances(positions, count, samples, cell);
    if (distances.length >= wanted) {
      distances.sort((x, y) => x - y);
      return distances[Math.floor(distances.length / 2)]!;
    }
  }
  return 0;
}

/** Nearest-neighbour distances of the sampled points found within one cell of them (see above). */
function sampledNearestDistances(positions: Float32Array, count: number, samples: number, cellMetres: number): number[] {
  // 10 bits per axis: cells 1024 apart share a key, which only adds candidates (distances are exact).
  const cellOf = (i: number, a: number) => Math.floor(positions[3 * i + a]! / cellMetres);
  const key = (x: number, y: number, z: number) => ((x & 1023) << 20) | ((y & 1023) << 10) | (z & 1023);
  const step = Math.max(1, Math.floor(count / samples));
  const wanted = new Map<number, number[]>();
  for (let i = 0; i < count; i += step) {
    const [x, y, z] = [cellOf(i, 0), cellOf(i, 1), cellOf(i, 2)];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) wanted.set(key(x + dx, y + dy, z + dz), []);
  }
  for (let i = 0; i < count; i++) wanted.get(key(cellOf(i, 0), cellOf(i, 1), cellOf(i, 2)))?.push(i);
  const distances: number[] = [];
  for (let i = 0; i < count; i += step) {
    const [x, y, z] = [cellOf(i, 0), cellOf(i, 1), cellOf(i, 2)];
    const px = positions[3 * i]!,
      py = positions[3 * i + 1]!,
      pz = positions[3 * i + 2]!;
    let best = Infinity;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++)
          for (const j of wanted.get(key(x + dx, y + dy, z + dz))!) {
            const d = (positions[3 * j]! - px) ** 2 + (positions[3 * j + 1]! - py) ** 2 + (positions[3 * j + 2]! - pz) ** 2;
            // Duplicates (voxel averaging can stack points) say nothing about spacing.
            if (d > 0 && d < best) best = d;
          }
    if (best <= cellMetres * cellMetres) distances.push(Math.sqrt(best));
  }
  return distances;
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
