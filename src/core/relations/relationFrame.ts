/**
 * The frame spatial relations are judged in: world up plus two horizontal directions taken from a
 * viewing camera (README.md beside this file). All vectors are unit, world frame.
 *
 * - up: the capture's declared world up, else the dominant plane's normal (RANSAC, the teacher's
 *   planeRansac), turned to the side the first camera's image-up (−y) points to, else −y of the
 *   first camera.
 * - right = the camera's x axis, forward (away from the viewer) = its z axis, each projected onto
 *   the plane perpendicular to up and renormalised. A camera looking straight down has no
 *   horizontal z: its image-up (−y) stands in for "away from the viewer".
 */
import type { CameraToWorld } from '../units.ts';

export type Vec3 = readonly [number, number, number];

export interface RelationFrame {
  readonly up: Vec3;
  /** The viewer's right, horizontal. */
  readonly right: Vec3;
  /** Away from the viewer, horizontal. */
  readonly forward: Vec3;
  /** Where up came from, for the JSON and the panel. */
  readonly upSource: 'capture' | 'plane' | 'camera';
  readonly cameraSource: string;
}

export const dot3 = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export function normalise3(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`relation frame: cannot normalise the zero vector [${v.join(', ')}]`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Column `c` of the rotation of a row-major camera-to-world pose: camera axis c in world. */
export function cameraAxis(pose: CameraToWorld, c: 0 | 1 | 2): Vec3 {
  return [pose[c]!, pose[4 + c]!, pose[8 + c]!];
}

/** `v` with its component along unit `up` removed, or null when that leaves (almost) nothing. */
function horizontal(v: Vec3, up: Vec3): Vec3 | null {
  const k = dot3(v, up);
  const h: Vec3 = [v[0] - k * up[0], v[1] - k * up[1], v[2] - k * up[2]];
  return Math.hypot(h[0], h[1], h[2]) < 1e-3 ? null : normalise3(h);
}

export interface UpEvidence {
  readonly declared?: readonly [number, number, number] | undefined;
  /** The dominant plane's normal (either sign). */
  readonly planeNormal?: Vec3 | undefined;
  /** The first input camera; its −y orients a plane normal and is the last resort. */
  readonly firstCamera?: CameraToWorld | undefined;
}

/** World up by the rule above; evidence of none of the three kinds is an error. */
export function chooseUp(e: UpEvidence): { up: Vec3; source: RelationFrame['upSource'] } {
  if (e.declared) return { up: normalise3(e.declared), source: 'capture' };
  const imageUp = e.firstCamera ? normalise3(scale(cameraAxis(e.firstCamera, 1), -1)) : null;
  if (e.planeNormal) {
    const n = normalise3(e.planeNormal);
    return { up: imageUp && dot3(n, imageUp) < 0 ? scale(n, -1) : n, source: 'plane' };
  }
  if (imageUp) return { up: imageUp, source: 'camera' };
  throw new Error('relation frame: the capture declares no world up, has no dominant plane and no camera');
}

const scale = (v: Vec3, k: number): Vec3 => [v[0] * k, v[1] * k, v[2] * k];

/** The relation frame of a viewing camera (pose camera-to-world) under `up`. */
export function relationFrame(up: Vec3, viewer: CameraToWorld, upSource: RelationFrame['upSource'], cameraSource: string): RelationFrame {
  const x = cameraAxis(viewer, 0);
  const z = cameraAxis(viewer, 2);
  const forward = horizontal(z, up) ?? horizontal(scale(cameraAxis(viewer, 1), -1), up);
  if (!forward) throw new Error('relation frame: the viewing camera has no horizontal direction');
  // A camera rolled by 90° has a vertical x: then right is forward × up's horizontal perpendicular.
  const right =
    horizontal(x, up) ??
    normalise3([forward[1] * up[2] - forward[2] * up[1], forward[2] * up[0] - forward[0] * up[2], forward[0] * up[1] - forward[1] * up[0]]);
  return { up, right, forward, upSource, cameraSource };
}

/**
 * Camera-to-world (row-major, OpenCV axes) of a viewer at `eye` looking at `target` with world
 * `up`: z = forward, x = z × up (right), y = z × x (down). The studio's 3D view as a viewing camera.
 */
export function viewerPose(eye: Vec3, target: Vec3, up: Vec3): CameraToWorld {
  const z = normalise3([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]]);
  let x: Vec3 = [z[1] * up[2] - z[2] * up[1], z[2] * up[0] - z[0] * up[2], z[0] * up[1] - z[1] * up[0]];
  // Looking straight along up: any horizontal right will do; take the one of the world x axis.
  x = Math.hypot(...x) < 1e-9 ? normalise3([1 - up[0] * up[0], -up[0] * up[1], -up[0] * up[2]]) : normalise3(x);
  const y: Vec3 = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
  return [x[0], y[0], z[0], eye[0], x[1], y[1], z[1], eye[1], x[2], y[2], z[2], eye[2], 0, 0, 0, 1] as unknown as CameraToWorld;
}
