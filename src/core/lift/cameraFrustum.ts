/**
 * Camera frusta for drawing: the camera centre and the four image-corner rays cut at a depth.
 *
 * The image's outer corners are the outer edges of its corner pixels: pixel (−0.5, −0.5),
 * (W − 0.5, −0.5), (W − 0.5, H − 0.5), (−0.5, H − 0.5) (pixel centres are at integers, see
 * units.ts), in that order: top-left, top-right, bottom-right, bottom-left. A corner at depth z
 * (along the camera's optical axis, OpenCV frame) is x = (u − cx)·z/fx, y = (v − cy)·z/fy, z,
 * mapped to the world by the camera-to-world pose. Pure.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';

export type Vec3 = [number, number, number];

export interface FrustumCorners {
  /** Camera centre in the world frame (the pose's translation). */
  readonly centre: Vec3;
  /** World points of the image corners at the depth: top-left, top-right, bottom-right, bottom-left. */
  readonly corners: [Vec3, Vec3, Vec3, Vec3];
}

/** Corner pixels (u, v) of an image: top-left, top-right, bottom-right, bottom-left outer edges. */
export function imageCornerPixels(intrinsics: PinholeIntrinsics): [number, number][] {
  const { width: w, height: h } = intrinsics;
  return [
    [-0.5, -0.5],
    [w - 0.5, -0.5],
    [w - 0.5, h - 0.5],
    [-0.5, h - 0.5],
  ];
}

/** @param depthMetres distance of the corner plane along the optical axis, metres */
export function frustumCorners(intrinsics: PinholeIntrinsics, cameraToWorld: CameraToWorld, depthMetres: number): FrustumCorners {
  const m = cameraToWorld;
  const toWorld = (x: number, y: number, z: number): Vec3 => [
    m[0]! * x + m[1]! * y + m[2]! * z + m[3]!,
    m[4]! * x + m[5]! * y + m[6]! * z + m[7]!,
    m[8]! * x + m[9]! * y + m[10]! * z + m[11]!,
  ];
  const z = depthMetres;
  const corners = imageCornerPixels(intrinsics).map(([u, v]) =>
    toWorld(((u - intrinsics.cx) * z) / intrinsics.fx, ((v - intrinsics.cy) * z) / intrinsics.fy, z),
  );
  return { centre: [m[3]!, m[7]!, m[11]!], corners: corners as [Vec3, Vec3, Vec3, Vec3] };
}

/**
 * The frustum as 8 line segments (16 endpoints, xyz each: 48 floats) for a LineSegments geometry:
 * centre → each corner (TL, TR, BR, BL), then the image rectangle TL→TR, TR→BR, BR→BL, BL→TL.
 */
export function frustumLineSegments(intrinsics: PinholeIntrinsics, cameraToWorld: CameraToWorld, depthMetres: number): Float32Array {
  const { centre, corners } = frustumCorners(intrinsics, cameraToWorld, depthMetres);
  const out = new Float32Array(48);
  let o = 0;
  const put = (p: Vec3) => {
    out[o++] = p[0];
    out[o++] = p[1];
    out[o++] = p[2];
  };
  for (const c of corners) {
    put(centre);
    put(c);
  }
  for (let i = 0; i < 4; i++) {
    put(corners[i]!);
    put(corners[(i + 1) % 4]!);
  }
  return out;
}
