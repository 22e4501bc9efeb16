/**
 * Camera-to-world poses that look at a point, in the OpenCV camera convention of FieldLens
 * (camera x right, y down in the image, z forward).
 */
import { asCameraToWorld, type CameraToWorld } from '../units.ts';
import type { Vec3 } from './primitives.ts';

function normalised(v: Vec3): Vec3 {
  const length = Math.sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
  if (!(length > 0)) throw new Error('lookAt: zero-length vector');
  return { x: v.x / length, y: v.y / length, z: v.z / length };
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
}

/**
 * Pose of a camera at `eye` whose optical axis (camera +z) points at `target`, with image "up"
 * (camera −y) as close as possible to `worldUp`. The rotation's columns are the camera axes in world:
 * x = forward × up (right), y = forward × x (down), z = forward, so det R = +1.
 */
export function lookAtCameraToWorld(eye: Vec3, target: Vec3, worldUp: Vec3): CameraToWorld {
  const forward = normalised({ x: target.x - eye.x, y: target.y - eye.y, z: target.z - eye.z });
  const right = normalised(cross(forward, worldUp));
  const down = cross(forward, right);
  return asCameraToWorld([right.x, down.x, forward.x, eye.x, right.y, down.y, forward.y, eye.y, right.z, down.z, forward.z, eye.z, 0, 0, 0, 1]);
}
