/**
 * Random tabletop scenes for the student's training set (MV-TOD in miniature): the demo's floor,
 * table and lighting with 2–5 random objects (box, can, ball, plate, pillar) in random colours,
 * places and yaws, seen by V random cameras around the table. Everything comes from the seed, so
 * a dataset is reproducible bit for bit.
 *
 * Instance ids: 0 floor / no hit, 1..n the random objects, TABLE_INSTANCE_ID the table.
 */
import { asCameraToWorld, type CameraToWorld, type PinholeIntrinsics } from '../units.ts';
import { lookAtCameraToWorld } from './lookAt.ts';
import { mixSeeds, mulberry32, uniformBetween, type UniformRandom } from './prng.ts';
import { vec3, type Shape } from './primitives.ts';
import type { RgbBytes, SynthColourName, SynthObject, SynthScene } from './sceneTypes.ts';
import {
  FLOOR_INSTANCE_ID,
  makeTabletopScene,
  TABLE_INSTANCE_ID,
  TABLE_TOP_CENTRE,
  TABLE_TOP_HEIGHT_METRES,
  TABLE_TOP_SIZE_X_METRES,
  TABLE_TOP_SIZE_Y_METRES,
} from './tabletopScene.ts';

export const RANDOM_TABLETOP_MAX_OBJECTS = 5;

const PALETTE: readonly { readonly name: SynthColourName; readonly albedo: RgbBytes }[] = [
  { name: 'red', albedo: [196, 34, 34] },
  { name: 'yellow', albedo: [236, 196, 40] },
  { name: 'blue', albedo: [34, 78, 204] },
  { name: 'green', albedo: [44, 158, 68] },
  { name: 'white', albedo: [236, 236, 228] },
];

type ObjectKind = 'box' | 'can' | 'ball' | 'plate' | 'pillar';
const KINDS: readonly ObjectKind[] = ['box', 'can', 'ball', 'plate', 'pillar'];

/** Footprint radius (metres) and surface of one random object centred at (x, y) on the table. */
function makeShape(kind: ObjectKind, random: UniformRandom, x: number, y: number, yaw: number): { radius: number; shape: Shape } {
  const z = TABLE_TOP_HEIGHT_METRES;
  const size = uniformBetween(random, 0.8, 1.25);
  switch (kind) {
    case 'box': {
      const h = vec3(0.04 * size, 0.03 * size, 0.03 * size);
      return { radius: Math.hypot(h.x, h.y), shape: { kind: 'box', centre: vec3(x, y, z + h.z), halfExtentsMetres: h, yawRadians: yaw } };
    }
    case 'can':
      return { radius: 0.04 * size, shape: { kind: 'cylinder', baseCentre: vec3(x, y, z), radiusMetres: 0.04 * size, heightMetres: 0.1 * size } };
    case 'ball':
      return { radius: 0.045 * size, shape: { kind: 'sphere', centre: vec3(x, y, z + 0.045 * size), radiusMetres: 0.045 * size } };
    case 'plate':
      return { radius: 0.1 * size, shape: { kind: 'cylinder', baseCentre: vec3(x, y, z), radiusMetres: 0.1 * size, heightMetres: 0.015 } };
    case 'pillar': {
      const h = vec3(0.025 * size, 0.025 * size, 0.07 * size);
      return { radius: Math.hypot(h.x, h.y), shape: { kind: 'box', centre: vec3(x, y, z + h.z), halfExtentsMetres: h, yawRadians: yaw } };
    }
  }
}

/** A random tabletop: the demo's floor, table and light, with 2..5 random non-overlapping objects. */
export function makeRandomTabletopScene(seed: number): SynthScene {
  const base = makeTabletopScene(seed);
  const keep = base.objects.filter((o) => o.instanceId === FLOOR_INSTANCE_ID || o.instanceId === TABLE_INSTANCE_ID);
  const random = mulberry32(mixSeeds(seed, 0x0b1ec7));
  const wanted = 2 + Math.floor(random() * (RANDOM_TABLETOP_MAX_OBJECTS - 1));
  const placed: { x: number; y: number; r: number }[] = [];
  const objects: SynthObject[] = [];
  for (let attempt = 0; attempt < 200 && objects.length < wanted; attempt++) {
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    const colour = PALETTE[Math.floor(random() * PALETTE.length)]!;
    const x = uniformBetween(random, -0.35, 0.35);
    const y = uniformBetween(random, -0.24, 0.24);
    const { radius, shape } = makeShape(kind, random, x, y, uniformBetween(random, -Math.PI, Math.PI));
    const fits =
      Math.abs(x) + radius < TABLE_TOP_SIZE_X_METRES / 2 - 0.03 &&
      Math.abs(y) + radius < TABLE_TOP_SIZE_Y_METRES / 2 - 0.03 &&
      placed.every((p) => Math.hypot(p.x - x, p.y - y) > p.r + radius + 0.02);
    if (!fits) continue;
    placed.push({ x, y, r: radius });
    // A little per-object variation, so the student cannot key on five exact colours.
    const jitter = (c: number) => Math.min(255, Math.max(0, c + Math.round(uniformBetween(random, -12, 12))));
    const albedo: RgbBytes = [jitter(colour.albedo[0]), jitter(colour.albedo[1]), jitter(colour.albedo[2])];
    objects.push({
      instanceId: objects.length + 1,
      name: `${colour.name} ${kind}`,
      colourName: colour.name,
      parts: [{ shape, material: { albedo, pattern: 'none', textureNoiseFraction: 0.04 } }],
    });
  }
  return { ...base, objects: [...keep, ...objects] };
}

export interface RandomCamera {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
}

/** `views` cameras spread around the table (jittered azimuth, distance, height, aim), `width`×`height` px. */
export function makeRandomRig(seed: number, views: number, width: number, height: number): RandomCamera[] {
  const random = mulberry32(mixSeeds(seed, 0xca3e7a));
  // The demo's 280 px focal length at 320 px width (about 60° horizontal field of view), scaled.
  const focal = (280 * width) / 320;
  const intrinsics: PinholeIntrinsics = { width, height, fx: focal, fy: focal, cx: (width - 1) / 2, cy: (height - 1) / 2 };
  const start = uniformBetween(random, 0, 2 * Math.PI);
  return Array.from({ length: views }, (_, v) => {
    const azimuth = start + (2 * Math.PI * v) / views + uniformBetween(random, -0.3, 0.3);
    const distance = uniformBetween(random, 0.95, 1.3);
    const eye = vec3(distance * Math.cos(azimuth), distance * Math.sin(azimuth), TABLE_TOP_HEIGHT_METRES + uniformBetween(random, 0.35, 0.6));
    const target = vec3(TABLE_TOP_CENTRE.x + uniformBetween(random, -0.05, 0.05), TABLE_TOP_CENTRE.y + uniformBetween(random, -0.05, 0.05), TABLE_TOP_CENTRE.z);
    const pose = lookAtCameraToWorld(eye, target, vec3(0, 0, 1));
    // Rounded as in scene.json, so the renderer uses exactly the pose that is written.
    return { intrinsics, cameraToWorld: asCameraToWorld(pose.map((e) => Math.round(e * 1e9) / 1e9 + 0)) };
  });
}
