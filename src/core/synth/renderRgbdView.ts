/**
 * Ray-casts one RGB-D view of a procedural scene: colour, depth and instance ids, pixel-aligned.
 *
 * One ray per pixel centre, no anti-aliasing, so depth and instance are exact per pixel. The ray
 * direction is the camera-frame ((u − cx)/fx, (v − cy)/fy, 1) rotated to world and deliberately NOT
 * normalised: its camera-frame z is 1, so the ray parameter t of a hit is the hit's camera-frame depth z
 * (what depth sensors and the FieldLens back-projection expect), not the distance along the ray.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';
import { patternedAlbedo } from './materials.ts';
import { mixSeeds, mulberry32 } from './prng.ts';
import { intersectShape, vec3, type RayHit, type Shape, type Vec3 } from './primitives.ts';
import type { SynthMaterial, SynthScene } from './sceneTypes.ts';

export interface RgbdViewSpec {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
}

export interface RgbdRenderOptions {
  /** Seed of the per-pixel texture noise; defaults to one derived from the scene seed. */
  readonly noiseSeed?: number;
}

export interface RenderedRgbdView {
  readonly width: number;
  readonly height: number;
  /** Interleaved 8-bit RGB, row-major, width·height·3. */
  readonly color: Uint8Array;
  /** Camera-frame z in millimetres (depth scale 1000); 0 where the ray hits nothing or z > 65.535 m. */
  readonly depthMillimetres: Uint16Array;
  /** Instance id of the surface seen at each pixel; 0 for the floor and for no hit. */
  readonly instance: Uint8Array;
}

const MAX_DEPTH_MILLIMETRES = 65535;
/** Primary rays start at the camera centre; nothing in a scene is closer than this. */
const PRIMARY_RAY_T_MIN = 1e-6;
/** Shadow rays start this far off the surface (metres along the normal) to avoid self-shadowing. */
const SHADOW_RAY_OFFSET_METRES = 1e-4;

interface FlatPart {
  readonly shape: Shape;
  readonly material: SynthMaterial;
  readonly instanceId: number;
}

interface ClosestHit {
  readonly hit: RayHit;
  readonly part: FlatPart;
}

function closestHit(parts: readonly FlatPart[], origin: Vec3, direction: Vec3, tMin: number): ClosestHit | null {
  let best: ClosestHit | null = null;
  for (const part of parts) {
    const hit = intersectShape(part.shape, origin, direction, tMin);
    if (hit !== null && (best === null || hit.t < best.hit.t)) best = { hit, part };
  }
  return best;
}

function anyHit(parts: readonly FlatPart[], origin: Vec3, direction: Vec3, tMin: number): boolean {
  return parts.some((part) => intersectShape(part.shape, origin, direction, tMin) !== null);
}

function clampToByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

export function renderRgbdView(scene: SynthScene, view: RgbdViewSpec, options: RgbdRenderOptions = {}): RenderedRgbdView {
  const { width, height, fx, fy, cx, cy } = view.intrinsics;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`renderRgbdView: image size must be positive integers, found ${width}×${height}`);
  }
  for (const id of scene.objects.map((object) => object.instanceId)) {
    if (!Number.isInteger(id) || id < 0 || id > 255) throw new Error(`renderRgbdView: instance id ${id} does not fit in 8 bits`);
  }
  const pose = view.cameraToWorld;
  const m = (index: number): number => pose[index] ?? Number.NaN;
  const [r00, r01, r02, r10, r11, r12, r20, r21, r22] = [m(0), m(1), m(2), m(4), m(5), m(6), m(8), m(9), m(10)];
  const origin = vec3(m(3), m(7), m(11));

  const parts: FlatPart[] = scene.objects.flatMap((object) =>
    object.parts.map((part) => ({ shape: part.shape, material: part.material, instanceId: object.instanceId })),
  );
  const { unitDirectionToLight: light, ambientFraction, diffuseFraction, castShadows } = scene.lighting;
  const noise = mulberry32(options.noiseSeed ?? mixSeeds(scene.seed, 0x0015e));

  const color = new Uint8Array(width * height * 3);
  const depthMillimetres = new Uint16Array(width * height);
  const instance = new Uint8Array(width * height);

  for (let v = 0; v < height; v++) {
    const b = (v - cy) / fy;
    for (let u = 0; u < width; u++) {
      const a = (u - cx) / fx;
      const pixel = v * width + u;
      // One draw per pixel whether or not it is used, so the noise at a pixel does not depend on the scene.
      const noiseSample = noise() * 2 - 1;
      const direction = vec3(r00 * a + r01 * b + r02, r10 * a + r11 * b + r12, r20 * a + r21 * b + r22);
      const found = closestHit(parts, origin, direction, PRIMARY_RAY_T_MIN);
      if (found === null) {
        color.set(scene.background, pixel * 3);
        continue;
      }
      const { hit, part } = found;
      const depthMm = Math.round(hit.t * 1000);
      depthMillimetres[pixel] = depthMm <= MAX_DEPTH_MILLIMETRES ? depthMm : 0;
      instance[pixel] = part.instanceId;

      // Light the side the camera sees: a plane's declared normal may point away from the camera.
      let normal = hit.normal;
      if (normal.x * direction.x + normal.y * direction.y + normal.z * direction.z > 0) {
        normal = vec3(-normal.x, -normal.y, -normal.z);
      }
      const hitPoint = vec3(origin.x + hit.t * direction.x, origin.y + hit.t * direction.y, origin.z + hit.t * direction.z);
      let lambert = Math.max(0, normal.x * light.x + normal.y * light.y + normal.z * light.z);
      if (lambert > 0 && castShadows) {
        const shadowOrigin = vec3(
          hitPoint.x + normal.x * SHADOW_RAY_OFFSET_METRES,
          hitPoint.y + normal.y * SHADOW_RAY_OFFSET_METRES,
          hitPoint.z + normal.z * SHADOW_RAY_OFFSET_METRES,
        );
        if (anyHit(parts, shadowOrigin, light, 0)) lambert = 0;
      }
      const albedo = patternedAlbedo(part.material, part.shape, hitPoint);
      const brightness = (ambientFraction + diffuseFraction * lambert) * (1 + part.material.textureNoiseFraction * noiseSample);
      color[pixel * 3] = clampToByte(albedo[0] * brightness);
      color[pixel * 3 + 1] = clampToByte(albedo[1] * brightness);
      color[pixel * 3 + 2] = clampToByte(albedo[2] * brightness);
    }
  }
  return { width, height, color, depthMillimetres, instance };
}
