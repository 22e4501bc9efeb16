/**
 * Camera placement for the viewer, as plain numbers (the render layer copies them into three.js).
 *
 * Frames: input poses are OpenCV camera-to-world (x right, y down, z forward, row-major 4×4);
 * the viewer's camera is three.js/OpenGL (x right, y up, looking along −z). The two differ by a
 * rotation of π about camera x, i.e. R_three = R_opencv · diag(1, −1, −1).
 */
import type { PinholeIntrinsics } from '../units.ts';

export type Vec3 = [number, number, number];
/** Unit quaternion x, y, z, w (three.js order). */
export type Quaternion = [number, number, number, number];

const DEG = 180 / Math.PI;

/**
 * Distance from a sphere's centre at which a perspective camera with vertical field of view
 * `verticalFovDeg` and `aspect` (width / height) sees the whole sphere: the narrower of the two
 * half-angles must contain it, d = r / sin(half-angle).
 */
export function fitDistance(radiusMetres: number, verticalFovDeg: number, aspect: number): number {
  const halfVertical = verticalFovDeg / DEG / 2;
  const halfHorizontal = Math.atan(Math.tan(halfVertical) * aspect);
  const half = Math.min(halfVertical, halfHorizontal);
  return Math.max(radiusMetres, 1e-6) / Math.sin(half);
}

/** Radius of the sphere around a box's centre that holds the box (half its diagonal). */
export function boundingRadius(min: readonly number[], max: readonly number[]): number {
  return Math.hypot(max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!) / 2;
}

/** Quaternion of a proper rotation matrix given row-major as 9 numbers (Shepperd's method). */
export function quaternionFromRotation(r: readonly number[]): Quaternion {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = r as [number, number, number, number, number, number, number, number, number];
  const trace = m00 + m11 + m22;
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1);
    return [(m21 - m12) * s, (m02 - m20) * s, (m10 - m01) * s, 0.25 / s];
  }
  if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    return [0.25 * s, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  }
  if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    return [(m01 + m10) / s, 0.25 * s, (m12 + m21) / s, (m02 - m20) / s];
  }
  const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
  return [(m02 + m20) / s, (m12 + m21) / s, 0.25 * s, (m10 - m01) / s];
}

export interface LookThroughPose {
  /** Camera centre, metres, world frame. */
  readonly position: Vec3;
  /** Orientation of the three.js camera (looking along its −z). */
  readonly quaternion: Quaternion;
  /** Vertical field of view, degrees, such that the whole input image fits the viewport. */
  readonly verticalFovDeg: number;
  /** World direction the input camera looks along (its +z). */
  readonly forward: Vec3;
}

/**
 * The viewer pose that reproduces input camera (`cameraToWorld`, `intrinsics`) in a viewport of
 * `viewportAspect` (width / height). The image is fitted, not cropped: when the viewport is
 * narrower than the image, the vertical field of view grows so the image's width still fits.
 * The principal point is assumed central (offsets of a few pixels are ignored).
 */
export function lookThroughPose(cameraToWorld: readonly number[], intrinsics: PinholeIntrinsics, viewportAspect: number): LookThroughPose {
  const m = cameraToWorld;
  // Columns 1 and 2 negated: OpenCV (y down, z forward) → three.js (y up, looking along −z).
  const rotation = [m[0]!, -m[1]!, -m[2]!, m[4]!, -m[5]!, -m[6]!, m[8]!, -m[9]!, -m[10]!];
  const halfHeight = intrinsics.height / (2 * intrinsics.fy);
  const halfWidth = intrinsics.width / (2 * intrinsics.fx);
  const tanHalfVertical = Math.max(halfHeight, halfWidth / viewportAspect);
  return {
    position: [m[3]!, m[7]!, m[11]!],
    quaternion: quaternionFromRotation(rotation),
    verticalFovDeg: 2 * Math.atan(tanHalfVertical) * DEG,
    forward: [m[2]!, m[6]!, m[10]!],
  };
}

/**
 * Where the input image lies in a viewport that looks through its camera (see lookThroughPose):
 * a centred rectangle, in viewport pixels.
 */
export function lookThroughImageRect(
  intrinsics: PinholeIntrinsics,
  viewportWidth: number,
  viewportHeight: number,
): { x: number; y: number; width: number; height: number } {
  const imageAspect = intrinsics.width / intrinsics.fx / (intrinsics.height / intrinsics.fy);
  const viewportAspect = viewportWidth / viewportHeight;
  const width = viewportAspect > imageAspect ? viewportHeight * imageAspect : viewportWidth;
  const height = viewportAspect > imageAspect ? viewportHeight : viewportWidth / imageAspect;
  return { x: (viewportWidth - width) / 2, y: (viewportHeight - height) / 2, width, height };
}
