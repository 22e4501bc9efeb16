/**
 * FieldLens scene description (`scene.json`, format "fieldlens-scene@1"): several posed RGB-D views
 * of one scene. The demo scene is one; so is anything a project page wants to ship. All views are
 * back-projected with their camera-to-world poses and fused into one world cloud.
 */
import { decodeImage } from '../parse/images.ts';
import { backProjectDepth } from '../lift/backProjectDepth.ts';
import { concatPointClouds, type PointCloud } from '../lift/pointCloud.ts';
import { asCameraToWorld, asDepthScale, type CameraToWorld, type PinholeIntrinsics } from '../units.ts';
import type { NamedBytes } from './droppedFiles.ts';

export interface SceneView {
  readonly name: string;
  /** File names relative to the scene description. */
  readonly color: string;
  readonly depth: string;
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
}

export interface SceneDescription {
  readonly format: 'fieldlens-scene@1';
  readonly name: string;
  readonly depthScale: number;
  readonly views: readonly SceneView[];
  /** World "up" for viewers (e.g. [0, 0, 1] for a z-up world); optional. */
  readonly worldUp?: readonly [number, number, number];
}

export function parseSceneDescription(text: string, fileName: string): SceneDescription {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const s = raw as Partial<SceneDescription>;
  if (s?.format !== 'fieldlens-scene@1') throw new Error(`${fileName}: expected format "fieldlens-scene@1", found ${JSON.stringify(s?.format)}`);
  asDepthScale(Number(s.depthScale));
  if (!Array.isArray(s.views) || s.views.length === 0) throw new Error(`${fileName}: expected a non-empty "views" array`);
  const views = s.views.map((v: SceneView, i) => {
    if (typeof v.color !== 'string' || typeof v.depth !== 'string') throw new Error(`${fileName}: view ${i} needs "color" and "depth" file names`);
    const k = v.intrinsics;
    if (!k || ![k.width, k.height, k.fx, k.fy, k.cx, k.cy].every((x) => Number.isFinite(x))) {
      throw new Error(`${fileName}: view ${i} needs intrinsics {width, height, fx, fy, cx, cy}`);
    }
    return { ...v, name: v.name ?? `view${i}`, cameraToWorld: asCameraToWorld(v.cameraToWorld) };
  });
  const up = s.worldUp;
  const worldUp = Array.isArray(up) && up.length === 3 && up.every(Number.isFinite) ? ([up[0], up[1], up[2]] as const) : undefined;
  return { format: 'fieldlens-scene@1', name: s.name ?? fileName, depthScale: Number(s.depthScale), views, ...(worldUp ? { worldUp } : {}) };
}

/** Lifts and fuses every view; `files` must hold each view's colour and depth by name. */
export function liftPosedScene(scene: SceneDescription, files: readonly NamedBytes[]): PointCloud {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const need = (name: string): Uint8Array => {
    const bytes = byName.get(name);
    if (!bytes) throw new Error(`${scene.name}: missing file ${name} referenced by the scene description`);
    return bytes;
  };
  const clouds = scene.views.map((view, viewIndex) => {
    const depth = decodeImage(need(view.depth), view.depth);
    const colour = decodeImage(need(view.color), view.color);
    if (depth.kind !== 'depth16') throw new Error(`${view.depth}: expected a 16-bit single-channel depth PNG, found ${depth.kind === 'grey8' ? 'an 8-bit greyscale image' : 'a colour image'}`);
    if (colour.kind !== 'rgb8') throw new Error(`${view.color}: expected an RGB colour image, found a single-channel image`);
    if (colour.width !== depth.width || colour.height !== depth.height) {
      throw new Error(`${view.color}: colour is ${colour.width}×${colour.height} but depth ${view.depth} is ${depth.width}×${depth.height}`);
    }
    return backProjectDepth(depth, {
      intrinsics: view.intrinsics,
      depthScale: asDepthScale(scene.depthScale),
      cameraToWorld: view.cameraToWorld,
      rgb: colour.rgb,
      viewIndex,
    });
  });
  return concatPointClouds(clouds);
}
