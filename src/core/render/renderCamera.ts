/**
 * The camera a render is made from: pinhole intrinsics (pixels) and a camera-to-world pose
 * (row-major 4×4, OpenCV frame: x right, y down, z forward, metres) — the conventions of ../units.ts.
 *
 * A pose file is either
 * - JSON: `{ "cameraToWorld": 4×4 (4 rows of 4, or 16 numbers row-major), "intrinsics": {…} }`, the
 *   intrinsics in any JSON form FieldLens reads (Open3D `width/height/intrinsic_matrix`,
 *   `fx fy cx cy` + `width height`, `K`); they may also sit at the top level beside the pose;
 * - text: a ScanNet-style 4×4 camera-to-world (4 rows of 4 numbers); the intrinsics then come
 *   from the caller (an input camera's).
 */
import { parseIntrinsicsFile } from '../formats/intrinsicsFiles.ts';
import { FormatError } from '../formats/formatError.ts';
import { checkRigid, isRecord, parseJson, parseScanNetPose } from '../formats/poses.ts';
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';

export interface RenderCamera {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
}

/** Parses a pose file; `fallbackIntrinsics` serve a file that carries none (the text form). */
export function parseRenderCamera(bytes: Uint8Array, fileName: string, fallbackIntrinsics?: PinholeIntrinsics): RenderCamera {
  const text = new TextDecoder('utf-8')
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .trim();
  if (!text.startsWith('{')) {
    if (!fallbackIntrinsics) throw new FormatError(`${fileName}: a 4×4 pose without intrinsics; give a JSON pose file with "intrinsics"`);
    return { cameraToWorld: parseScanNetPose(text, fileName), intrinsics: fallbackIntrinsics };
  }
  const raw = parseJson(text, fileName);
  if (!isRecord(raw)) throw new FormatError(`${fileName}: expected a JSON object with "cameraToWorld" and "intrinsics"`);
  const pose = raw.cameraToWorld;
  const flat = Array.isArray(pose) && pose.every(Array.isArray) ? (pose as unknown[][]).flat() : pose;
  if (!Array.isArray(flat) || flat.length !== 16 || !flat.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new FormatError(
      `${fileName}: "cameraToWorld" must be a 4×4 camera-to-world matrix (4 rows of 4 numbers, or 16 numbers row-major), found ${JSON.stringify(pose)?.slice(0, 60)}`,
    );
  }
  const cameraToWorld = checkRigid(flat as number[], `${fileName}: cameraToWorld`);
  const source = isRecord(raw.intrinsics) ? raw.intrinsics : raw;
  const hasIntrinsics = ['intrinsic_matrix', 'fx', 'K', 'fl_x'].some((key) => key in source);
  if (!hasIntrinsics) {
    if (!fallbackIntrinsics) throw new FormatError(`${fileName}: no "intrinsics" (Open3D intrinsic_matrix, fx fy cx cy with width height, or K)`);
    return { cameraToWorld, intrinsics: fallbackIntrinsics };
  }
  const intrinsics = parseIntrinsicsFile(new TextEncoder().encode(JSON.stringify(source)), `${fileName}: intrinsics`, fallbackIntrinsics);
  return { cameraToWorld, intrinsics };
}

/** The same camera at another image size (focal lengths and principal point scaled per axis; pixel centres at integers). */
export function resizeIntrinsics(k: PinholeIntrinsics, width: number, height: number): PinholeIntrinsics {
  const sx = width / k.width;
  const sy = height / k.height;
  // OpenCV pixel centres sit at integer coordinates: the image edge is at −0.5, so scale about it.
  return { width, height, fx: k.fx * sx, fy: k.fy * sy, cx: (k.cx + 0.5) * sx - 0.5, cy: (k.cy + 0.5) * sy - 0.5 };
}
