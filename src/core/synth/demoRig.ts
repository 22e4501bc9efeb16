/**
 * The four cameras of the bundled demo scene: 320×240 pinhole views around the table, about 0.5 m above
 * the table top, each looking at the table-top centre, so every camera sees every object.
 */
import { asCameraToWorld, type CameraToWorld, type PinholeIntrinsics } from '../units.ts';
import { lookAtCameraToWorld } from './lookAt.ts';
import { vec3 } from './primitives.ts';
import { TABLE_TOP_CENTRE, TABLE_TOP_HEIGHT_METRES } from './tabletopScene.ts';

export interface DemoCamera {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
}

export const DEMO_INTRINSICS: PinholeIntrinsics = { width: 320, height: 240, fx: 280, fy: 280, cx: 159.5, cy: 119.5 };

/**
 * Where each camera stands: azimuth about the table-top centre (degrees, from world +x toward +y),
 * horizontal distance from it and height above the table top. Azimuths avoid the table's axes so that
 * no object sits squarely behind another; distances and heights vary a little for baseline diversity.
 */
export const DEMO_CAMERA_PLACEMENTS: readonly {
  readonly azimuthDegrees: number;
  readonly horizontalDistanceMetres: number;
  readonly heightAboveTableTopMetres: number;
}[] = [
  { azimuthDegrees: -60, horizontalDistanceMetres: 1.2, heightAboveTableTopMetres: 0.5 },
  { azimuthDegrees: 30, horizontalDistanceMetres: 1.15, heightAboveTableTopMetres: 0.52 },
  { azimuthDegrees: 120, horizontalDistanceMetres: 1.25, heightAboveTableTopMetres: 0.48 },
  { azimuthDegrees: 210, horizontalDistanceMetres: 1.2, heightAboveTableTopMetres: 0.5 },
];

/**
 * Pose entries are rounded to 1e-9 so that scene.json carries short, exactly reproducible numbers and the
 * renderer uses exactly the pose that is written (the rotation stays orthonormal to ~1e-9).
 */
function roundedPose(pose: CameraToWorld): CameraToWorld {
  return asCameraToWorld(pose.map((entry) => Math.round(entry * 1e9) / 1e9 + 0));
}

export function makeDemoRig(): DemoCamera[] {
  return DEMO_CAMERA_PLACEMENTS.map(({ azimuthDegrees, horizontalDistanceMetres, heightAboveTableTopMetres }) => {
    const azimuth = (azimuthDegrees * Math.PI) / 180;
    const eye = vec3(
      TABLE_TOP_CENTRE.x + horizontalDistanceMetres * Math.cos(azimuth),
      TABLE_TOP_CENTRE.y + horizontalDistanceMetres * Math.sin(azimuth),
      TABLE_TOP_HEIGHT_METRES + heightAboveTableTopMetres,
    );
    return { intrinsics: DEMO_INTRINSICS, cameraToWorld: roundedPose(lookAtCameraToWorld(eye, TABLE_TOP_CENTRE, vec3(0, 0, 1))) };
  });
}
