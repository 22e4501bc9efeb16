import { describe, expect, it } from 'vitest';
import { asCameraToWorld, type CameraToWorld, type PinholeIntrinsics } from '../units.ts';
import { makeDemoRig } from './demoRig.ts';
import { distanceToSurfaceMetres, vec3, type PlaneShape, type Vec3 } from './primitives.ts';
import { renderRgbdView } from './renderRgbdView.ts';
import type { SynthMaterial, SynthScene } from './sceneTypes.ts';
import { makeTabletopScene } from './tabletopScene.ts';

const INTRINSICS: PinholeIntrinsics = { width: 64, height: 48, fx: 50, fy: 55, cx: 31.5, cy: 23.5 };
const GREY: SynthMaterial = { albedo: [128, 128, 128], textureNoiseFraction: 0.05, pattern: 'none' };

function sceneWithOnePlane(plane: PlaneShape): SynthScene {
  return {
    seed: 1,
    objects: [{ instanceId: 3, name: 'plane', colourName: 'grey', parts: [{ shape: plane, material: GREY }] }],
    lighting: { unitDirectionToLight: vec3(0, 0, 1), ambientFraction: 0.4, diffuseFraction: 0.6, castShadows: true },
    background: [10, 20, 30],
  };
}

/** Camera at height `heightMetres` above (x, y), optical axis straight down, image x along world +x. */
function lookingStraightDown(x: number, y: number, heightMetres: number): CameraToWorld {
  return asCameraToWorld([1, 0, 0, x, 0, -1, 0, y, 0, 0, -1, heightMetres, 0, 0, 0, 1]);
}

/** Element-wise equality; much faster than a deep toEqual on 10⁵-element typed arrays. */
function sameElements(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('renderRgbdView', () => {
  it('sees a floor 1.5 m below a downward camera at depth 1500 mm in every pixel', () => {
    const floor: PlaneShape = { kind: 'plane', pointOnPlane: vec3(0, 0, 0), unitNormal: vec3(0, 0, 1) };
    const cameraToWorld = lookingStraightDown(0.3, -0.2, 1.5);
    const view = renderRgbdView(sceneWithOnePlane(floor), { intrinsics: INTRINSICS, cameraToWorld });
    expect(view.depthMillimetres.length).toBe(64 * 48);
    expect(view.depthMillimetres.every((depth) => depth === 1500)).toBe(true);
    expect(view.instance.every((id) => id === 3)).toBe(true);
    // Lit head-on: 128 · (0.4 + 0.6) ± 5 % noise, never the background.
    for (let pixel = 0; pixel < 64 * 48; pixel++) {
      const red = view.color[pixel * 3] ?? 0;
      expect(red).toBeGreaterThanOrEqual(121);
      expect(red).toBeLessThanOrEqual(135);
    }
  });

  it('stores camera-frame z, not the distance along the ray, at an off-centre pixel', () => {
    // Identity pose: camera frame = world frame. Tilted plane x + z = 2 (normal (1, 0, 1)/√2).
    const tilted: PlaneShape = { kind: 'plane', pointOnPlane: vec3(0, 0, 2), unitNormal: vec3(Math.SQRT1_2, 0, Math.SQRT1_2) };
    const intrinsics: PinholeIntrinsics = { width: 320, height: 240, fx: 200, fy: 200, cx: 159.5, cy: 119.5 };
    const cameraToWorld = asCameraToWorld([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const view = renderRgbdView(sceneWithOnePlane(tilted), { intrinsics, cameraToWorld });
    const [u, v] = [260, 30];
    const a = (u - 159.5) / 200;
    const b = (v - 119.5) / 200;
    // Along (a, b, 1): t·a + t = 2, and the camera-frame z of the hit is t itself.
    const zMetres = 2 / (1 + a);
    const rayLengthMetres = zMetres * Math.hypot(a, b, 1);
    const stored = view.depthMillimetres[v * 320 + u] ?? 0;
    expect(stored).toBe(Math.round(zMetres * 1000));
    expect(Math.abs(stored - rayLengthMetres * 1000)).toBeGreaterThan(100);
    // And the centre-column pixels of this plane are at z = 2/(1 + a) regardless of the row.
    expect(view.depthMillimetres[0 * 320 + 160]).toBe(Math.round((2 / (1 + 0.5 / 200)) * 1000));
  });

  it('gives depth 0, instance 0 and the background colour to rays that hit nothing', () => {
    const floor: PlaneShape = { kind: 'plane', pointOnPlane: vec3(0, 0, 0), unitNormal: vec3(0, 0, 1) };
    const lookingUp = asCameraToWorld([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1.5, 0, 0, 0, 1]);
    const view = renderRgbdView(sceneWithOnePlane(floor), { intrinsics: INTRINSICS, cameraToWorld: lookingUp });
    expect(view.depthMillimetres.every((depth) => depth === 0)).toBe(true);
    expect(view.instance.every((id) => id === 0)).toBe(true);
    expect(Array.from(view.color.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('renders the same bytes twice and different noise for another noise seed', () => {
    const scene = makeTabletopScene(7);
    const camera = makeDemoRig()[0];
    if (camera === undefined) throw new Error('demo rig has no cameras');
    const first = renderRgbdView(scene, camera);
    const second = renderRgbdView(scene, camera);
    expect(sameElements(first.color, second.color)).toBe(true);
    expect(sameElements(first.depthMillimetres, second.depthMillimetres)).toBe(true);
    expect(sameElements(first.instance, second.instance)).toBe(true);
    const reseeded = renderRgbdView(scene, camera, { noiseSeed: 99 });
    expect(sameElements(reseeded.color, first.color)).toBe(false);
    expect(sameElements(reseeded.depthMillimetres, first.depthMillimetres)).toBe(true);
  });

  it('back-projects every pixel of every instance onto that object’s surface (within 2 mm)', () => {
    const scene = makeTabletopScene(7);
    for (const camera of makeDemoRig()) {
      const view = renderRgbdView(scene, camera);
      const { width, height, fx, fy, cx, cy } = camera.intrinsics;
      const p = (index: number): number => camera.cameraToWorld[index] ?? Number.NaN;
      const worstMetresById = new Map<number, number>();
      for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
          const depth = view.depthMillimetres[v * width + u] ?? 0;
          if (depth === 0) continue;
          const z = depth / 1000;
          const x = ((u - cx) * z) / fx;
          const y = ((v - cy) * z) / fy;
          const world: Vec3 = vec3(p(0) * x + p(1) * y + p(2) * z + p(3), p(4) * x + p(5) * y + p(6) * z + p(7), p(8) * x + p(9) * y + p(10) * z + p(11));
          const id = view.instance[v * width + u] ?? -1;
          const object = scene.objects.find((candidate) => candidate.instanceId === id);
          if (object === undefined) throw new Error(`pixel (${u}, ${v}) has unknown instance id ${id}`);
          const distance = Math.min(...object.parts.map((part) => distanceToSurfaceMetres(part.shape, world)));
          worstMetresById.set(id, Math.max(worstMetresById.get(id) ?? 0, distance));
        }
      }
      expect([...worstMetresById.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
      for (const [id, worstMetres] of worstMetresById) {
        expect(worstMetres, `instance ${id}`).toBeLessThan(0.002);
      }
    }
  });
});
