/**
 * FieldLens scene description (`scene.json`, format "fieldlens-scene@1"): several posed RGB-D views
 * of one scene. The demo scene is one; so is anything a project page wants to ship. The capture
 * assembler (capture/posedCaptures.ts) lifts and fuses its views like any other posed capture.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';
import { FormatError } from './formatError.ts';
import { checkRigid, isRecord, parseJson } from './poses.ts';
import { checkIntrinsics } from './intrinsicsFiles.ts';

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
  const s = parseJson(text, fileName);
  if (!isRecord(s)) throw new FormatError(`${fileName}: expected a JSON object with "format": "fieldlens-scene@1"`);
  if (s.format !== 'fieldlens-scene@1')
    throw new FormatError(`${fileName}: expected format "fieldlens-scene@1", found ${JSON.stringify(s.format)?.slice(0, 60)}`);
  const depthScale = s.depthScale;
  if (typeof depthScale !== 'number' || !Number.isFinite(depthScale) || depthScale <= 0) {
    throw new FormatError(
      `${fileName}: expected "depthScale" (depth units per metre, a positive number), found ${JSON.stringify(depthScale)?.slice(0, 40) ?? 'none'}`,
    );
  }
  if (!Array.isArray(s.views) || s.views.length === 0) throw new FormatError(`${fileName}: expected a non-empty "views" array`);
  const views = (s.views as unknown[]).map((v, i): SceneView => {
    if (!isRecord(v)) throw new FormatError(`${fileName}: view ${i} is ${JSON.stringify(v)?.slice(0, 40)}, expected an object`);
    if (typeof v.color !== 'string' || typeof v.depth !== 'string') throw new FormatError(`${fileName}: view ${i} needs "color" and "depth" file names`);
    const k = v.intrinsics;
    if (!isRecord(k) || ![k.width, k.height, k.fx, k.fy, k.cx, k.cy].every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new FormatError(`${fileName}: view ${i} needs intrinsics {width, height, fx, fy, cx, cy}`);
    }
    const intrinsics = checkIntrinsics(k as unknown as PinholeIntrinsics, `${fileName} (view ${i})`);
    const m = v.cameraToWorld;
    if (!Array.isArray(m) || m.length !== 16 || !m.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new FormatError(`${fileName}: view ${i} needs "cameraToWorld": 16 finite numbers (row-major 4×4)`);
    }
    const name = typeof v.name === 'string' ? v.name : `view${i}`;
    return { name, color: v.color, depth: v.depth, intrinsics, cameraToWorld: checkRigid(m as number[], `${fileName} (view ${i})`) };
  });
  const up = s.worldUp;
  const worldUp =
    Array.isArray(up) && up.length === 3 && up.every((x) => typeof x === 'number' && Number.isFinite(x)) && up.some((x) => x !== 0)
      ? ([up[0], up[1], up[2]] as const)
      : undefined;
  return { format: 'fieldlens-scene@1', name: typeof s.name === 'string' ? s.name : fileName, depthScale, views, ...(worldUp ? { worldUp } : {}) };
}
