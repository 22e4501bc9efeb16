/**
 * Branded numeric types: units and frames live in the types so a raw depth value can never be
 * passed where metres are expected, nor a camera-frame point where a world point is expected.
 *
 * Conventions (everywhere in FieldLens):
 * - lengths in metres;
 * - camera frame = OpenCV: x right, y down, z forward;
 * - poses are camera-to-world 4×4, stored row-major in 16 numbers;
 * - pixel (u, v): u = column, v = row, origin at the top-left pixel's centre.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A length in metres. */
export type Metres = Brand<number, 'metres'>;
/** Raw depth units as stored in a depth image (e.g. millimetres for scale 1000). */
export type DepthUnits = Brand<number, 'depth-units'>;
/** Depth units per metre (TUM 5000, Redwood/ScanNet/RealSense 1000, Replica 6553.5). */
export type DepthScale = Brand<number, 'depth-units-per-metre'>;

/** Pinhole intrinsics of one image, in pixels, for an image of `width` × `height`. */
export interface PinholeIntrinsics {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
}

/** Camera-to-world rigid transform, row-major 4×4 (16 numbers), OpenCV camera frame. */
export type CameraToWorld = Brand<readonly number[], 'camera-to-world-row-major-4x4'>;

export const IDENTITY_POSE = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] as unknown as CameraToWorld;

export function asCameraToWorld(m: readonly number[]): CameraToWorld {
  if (m.length !== 16 || m.some((x) => !Number.isFinite(x))) {
    throw new Error(`camera-to-world pose: expected 16 finite numbers (row-major 4×4), found ${m.length} values`);
  }
  return m as CameraToWorld;
}

export function asDepthScale(s: number): DepthScale {
  if (!Number.isFinite(s) || s <= 0) throw new Error(`depth scale: expected a positive number of units per metre, found ${s}`);
  return s as DepthScale;
}
