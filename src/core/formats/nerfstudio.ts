/**
 * nerfstudio / instant-ngp / Polycam `transforms.json`: per-frame image paths, camera-to-world poses
 * and pinhole intrinsics. Returns camera-to-world, row-major 4×4, in the OpenCV camera frame
 * (x right, y down, z forward), metres — the conventions of ../units.ts, like every parser in
 * poses.ts (whose rigid-pose and JSON helpers it uses). The file's poses are in the OpenGL camera
 * frame and are converted here; its principal point is corner-based and is shifted by −0.5 here.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';
import { checkRigid, finiteNumber, isRecord, openGlToOpenCv, parseJson } from './poses.ts';
import { FormatError } from './formatError.ts';
import { checkIntrinsics } from './intrinsicsFiles.ts';

export interface NerfstudioFrame {
  /** `file_path` as written (relative to the transforms.json folder). */
  readonly filePath: string;
  readonly depthPath?: string;
  /** Camera-to-world, OpenCV camera frame (converted from OpenGL). */
  readonly cameraToWorld: CameraToWorld;
  /** Intrinsics of the colour image at `file_path` (global values overridden per frame). */
  readonly intrinsics: PinholeIntrinsics;
  /** Lens distortion coefficients present and non-zero (k1 k2 k3 k4 p1 p2); a pinhole lift ignores them. */
  readonly distortion?: Readonly<Record<string, number>>;
}

export interface NerfstudioTransforms {
  /** The global intrinsics when the file has a complete set at the top level. */
  readonly intrinsics?: PinholeIntrinsics;
  readonly cameraModel: string;
  readonly frames: NerfstudioFrame[];
}

const DISTORTION_KEYS = ['k1', 'k2', 'k3', 'k4', 'p1', 'p2'] as const;
const PINHOLE_MODELS = new Set(['PINHOLE', 'OPENCV', 'SIMPLE_PINHOLE', 'SIMPLE_RADIAL', 'RADIAL', 'PERSPECTIVE']);

/** Flattens a 4×4 (or 3×4, padded with 0 0 0 1) row-major nested array; undefined if malformed. */
function matrixRows(x: unknown): number[] | undefined {
  if (!Array.isArray(x) || (x.length !== 4 && x.length !== 3)) return undefined;
  const rows = x as unknown[];
  if (!rows.every((r) => Array.isArray(r) && r.length === 4 && (r as unknown[]).every((v) => finiteNumber(v) !== undefined))) return undefined;
  const m = (rows as number[][]).flat();
  return m.length === 12 ? [...m, 0, 0, 0, 1] : m;
}

/**
 * nerfstudio `transforms.json` (also instant-ngp and Polycam exports): intrinsics `fl_x fl_y cx cy
 * w h` at the top level and/or per frame (per-frame values win; `camera_angle_x` stands in for
 * `fl_x`), `frames[].file_path`, optional `depth_file_path`, and `transform_matrix` = camera-to-world
 * in the OpenGL camera frame, converted here to OpenCV by right-multiplying diag(1, −1, −1, 1).
 *
 * Pixel convention: nerfstudio (like COLMAP and instant-ngp) measures cx, cy from the image's
 * top-left CORNER (pixel centres at +0.5); FieldLens measures from the top-left pixel's CENTRE, so
 * cx − 0.5 and cy − 0.5 are returned.
 */
export function parseNerfstudioTransforms(text: string, fileName: string): NerfstudioTransforms {
  const raw = parseJson(text, fileName);
  if (!isRecord(raw) || !Array.isArray(raw.frames)) {
    throw new FormatError(
      `${fileName}: expected a nerfstudio transforms.json object with a "frames" array, found ${isRecord(raw) ? `keys ${Object.keys(raw).join(', ') || '(none)'}` : JSON.stringify(raw)?.slice(0, 40)}`,
    );
  }
  const cameraModel = typeof raw.camera_model === 'string' ? raw.camera_model : 'OPENCV';
  if (!PINHOLE_MODELS.has(cameraModel.toUpperCase())) {
    throw new FormatError(
      `${fileName}: camera_model "${cameraModel}" is not a pinhole model (expected PINHOLE or OPENCV; fisheye and equirectangular captures must be undistorted first)`,
    );
  }
  if (raw.frames.length === 0) throw new FormatError(`${fileName}: "frames" is empty`);

  const resolve = (frame: Record<string, unknown>, context: string): { intrinsics: PinholeIntrinsics; distortion?: Record<string, number> } => {
    const get = (key: string) => finiteNumber(frame[key]) ?? finiteNumber(raw[key]);
    const w = get('w');
    const h = get('h');
    let fx = get('fl_x');
    let fy = get('fl_y');
    const angleX = get('camera_angle_x');
    const angleY = get('camera_angle_y');
    if (fx === undefined && angleX !== undefined && w !== undefined) fx = (0.5 * w) / Math.tan(0.5 * angleX);
    if (fy === undefined && angleY !== undefined && h !== undefined) fy = (0.5 * h) / Math.tan(0.5 * angleY);
    fy ??= fx;
    fx ??= fy;
    const cx = get('cx') ?? (w !== undefined ? w / 2 : undefined);
    const cy = get('cy') ?? (h !== undefined ? h / 2 : undefined);
    const missing = [
      ['w', w],
      ['h', h],
      ['fl_x (or camera_angle_x)', fx],
    ]
      .filter(([, v]) => v === undefined)
      .map(([k]) => k as string);
    if (missing.length > 0)
      throw new FormatError(`${context}: missing intrinsics ${missing.join(', ')} (expected at the top level of ${fileName} or in the frame)`);
    const intrinsics: PinholeIntrinsics = { width: w!, height: h!, fx: fx!, fy: fy!, cx: cx! - 0.5, cy: cy! - 0.5 };
    if (!Number.isFinite(intrinsics.fx) || !Number.isFinite(intrinsics.fy)) {
      throw new FormatError(
        `${context}: focal length fl_x ${fx}, fl_y ${fy} is not finite (camera_angle_x / camera_angle_y of 0?); expected positive finite focal lengths`,
      );
    }
    checkIntrinsics(intrinsics, context);
    const distortion: Record<string, number> = {};
    for (const key of DISTORTION_KEYS) {
      const v = get(key);
      if (v !== undefined && v !== 0) distortion[key] = v;
    }
    return Object.keys(distortion).length > 0 ? { intrinsics, distortion } : { intrinsics };
  };

  let globalIntrinsics: PinholeIntrinsics | undefined;
  try {
    globalIntrinsics = resolve({}, fileName).intrinsics;
  } catch {
    globalIntrinsics = undefined;
  }

  const frames = (raw.frames as unknown[]).map((frame, i): NerfstudioFrame => {
    const context = `${fileName}: frames[${i}]`;
    if (!isRecord(frame)) throw new FormatError(`${context}: expected an object, found ${JSON.stringify(frame)?.slice(0, 40)}`);
    if (typeof frame.file_path !== 'string' || frame.file_path === '') throw new FormatError(`${context}: missing "file_path"`);
    const m = matrixRows(frame.transform_matrix);
    if (!m)
      throw new FormatError(
        `${context}: "transform_matrix" must be a 4×4 (or 3×4) array of finite numbers, found ${JSON.stringify(frame.transform_matrix)?.slice(0, 60)}`,
      );
    const cameraToWorld = checkRigid(openGlToOpenCv(m), `${context} (${frame.file_path})`);
    const { intrinsics, distortion } = resolve(frame, `${context} (${frame.file_path})`);
    const depthPath = typeof frame.depth_file_path === 'string' && frame.depth_file_path !== '' ? frame.depth_file_path : undefined;
    return { filePath: frame.file_path, ...(depthPath ? { depthPath } : {}), cameraToWorld, intrinsics, ...(distortion ? { distortion } : {}) };
  });
  return { ...(globalIntrinsics ? { intrinsics: globalIntrinsics } : {}), cameraModel, frames };
}
