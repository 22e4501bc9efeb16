/**
 * FieldLens scene description (`scene.json`, format "fieldlens-scene@1"): several posed RGB-D views
 * of one scene. The demo scene is one; so is anything a project page wants to ship. The capture
 * assembler (capture/posedCaptures.ts) lifts and fuses its views like any other posed capture.
 */
import { asCameraToWorld, asDepthScale, type CameraToWorld, type PinholeIntrinsics } from '../units.ts';

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
