/**
 * multical / SparseDFF `calibration.json`: per-camera K, distortion and rig extrinsics of a
 * multi-camera rig, and `intrinsicsFromKRows` (a 3×3 K as nested rows → pinhole intrinsics, shared
 * with intrinsicsFiles.ts). Poses are returned camera-to-world, row-major 4×4, in the OpenCV camera
 * frame, metres (../units.ts), with world = the rig's reference camera frame. Uses the rigid-pose
 * and JSON helpers of poses.ts; every stored {R, T} is checked to be a proper rotation.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';
import { checkPosition, checkRigid, finiteNumber, invertRigid, isRecord, multiply4, parseJson } from './poses.ts';
import { FormatError } from './formatError.ts';

export interface CalibratedCamera {
  readonly intrinsics: PinholeIntrinsics;
  /** Camera-to-world with world = the rig's reference camera frame (cam0 in SparseDFF). */
  readonly cameraToWorld: CameraToWorld;
  /** Distortion coefficients as stored, flattened (multical "standard": k1 k2 p1 p2 k3). */
  readonly distortion: readonly number[];
}

export interface RigCalibration {
  readonly cameras: Readonly<Record<string, CalibratedCamera>>;
  /** The camera whose frame is the world frame (identity pose), e.g. "cam0". */
  readonly reference: string;
}

export interface RigCalibrationOptions {
  /**
   * What a stored {R, T} under "A_to_B" (or under a plain camera name) maps:
   * - 'multical' (default; what multical writes and SparseDFF reads): points in B's (the rig's)
   *   frame INTO A's frame, X_A = R·X_B + T — a world-to-camera extrinsic despite the key's name;
   * - 'camera-to-reference': points in A's frame into B's frame, X_B = R·X_A + T.
   */
  readonly extrinsics?: 'multical' | 'camera-to-reference';
  /** Image size for cameras without an `image_size`. */
  readonly imageSize?: { readonly width: number; readonly height: number };
}

function rtToMatrix(value: unknown, context: string): number[] {
  if (!isRecord(value)) throw new FormatError(`${context}: expected {"R": 3×3, "T": 3}, found ${JSON.stringify(value)?.slice(0, 60)}`);
  const R = value.R;
  const T = value.T;
  const rOk =
    Array.isArray(R) &&
    R.length === 3 &&
    R.every((row) => Array.isArray(row) && row.length === 3 && (row as unknown[]).every((v) => finiteNumber(v) !== undefined));
  const tFlat = Array.isArray(T) ? (T as unknown[]).flat() : undefined;
  const tOk = tFlat?.length === 3 && tFlat.every((v) => finiteNumber(v) !== undefined);
  if (!rOk || !tOk)
    throw new FormatError(
      `${context}: expected "R" as 3 rows of 3 numbers and "T" as 3 numbers, found R ${JSON.stringify(R)?.slice(0, 60)}, T ${JSON.stringify(T)?.slice(0, 40)}`,
    );
  const r = (R as number[][]).flat();
  const t = tFlat as number[];
  const m = [r[0]!, r[1]!, r[2]!, t[0]!, r[3]!, r[4]!, r[5]!, t[1]!, r[6]!, r[7]!, r[8]!, t[2]!, 0, 0, 0, 1];
  checkRigid(m, context);
  return m;
}

/** K as 3 rows of 3 numbers → pinhole intrinsics (no skew). */
export function intrinsicsFromKRows(K: unknown, width: number | undefined, height: number | undefined, context: string): PinholeIntrinsics {
  const ok =
    Array.isArray(K) &&
    K.length === 3 &&
    K.every((row) => Array.isArray(row) && row.length === 3 && (row as unknown[]).every((v) => finiteNumber(v) !== undefined));
  if (!ok) throw new FormatError(`${context}: expected "K" as 3 rows of 3 numbers, found ${JSON.stringify(K)?.slice(0, 80)}`);
  const k = (K as number[][]).flat();
  const [fx, skew, cx, r10, fy, cy, r20, r21, r22] = k as [number, number, number, number, number, number, number, number, number];
  if (r10 !== 0 || r20 !== 0 || r21 !== 0 || Math.abs(r22 - 1) > 1e-9) {
    throw new FormatError(`${context}: "K" is not a pinhole matrix [[fx, 0, cx], [0, fy, cy], [0, 0, 1]] (found ${JSON.stringify(K)})`);
  }
  if (Math.abs(skew) > 1e-3 * Math.abs(fx)) throw new FormatError(`${context}: "K" has skew ${skew}; FieldLens supports pinhole cameras without skew`);
  if (width === undefined || height === undefined) {
    throw new FormatError(`${context}: no image size (expected "image_size": [width, height] in the file, or the image size from the capture)`);
  }
  const intrinsics = { width, height, fx, fy, cx, cy };
  // 65,535 px: JPEG's and most sensors' limit; beyond, the size is a damaged number.
  if (!(fx > 0 && fy > 0) || !Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width > 65_535 || height > 65_535) {
    throw new FormatError(`${context}: invalid intrinsics (fx ${fx}, fy ${fy}, ${width}×${height}): expected positive focal lengths and image size`);
  }
  return intrinsics;
}

/** `image_size` as [width, height] (multical's order). */
function imageSizeOf(camera: Record<string, unknown>, context: string): { width: number; height: number } | undefined {
  const size = camera.image_size;
  if (size === undefined) return undefined;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    throw new FormatError(`${context}: "image_size" must be [width, height] (positive integers), found ${JSON.stringify(size)}`);
  }
  return { width: size[0] as number, height: size[1] as number };
}

/**
 * multical `calibration.json` as SparseDFF ships it: `cameras.<name>` {model, image_size [w, h],
 * K (3 rows), dist} and `camera_poses` with the reference camera under its plain name (identity)
 * and the others under "<camN>_to_<cam0>" {R (3 rows), T (metres)}.
 *
 * Convention (determined from multical's source and SparseDFF's reader, not from the key name):
 * multical stores each camera's EXTRINSIC relative to the rig — the transform taking points in the
 * reference camera's frame into camera N's frame, X_N = R·X_0 + T. multical's own importer
 * (io/import_calib.py) chains "A_to_B" as pose_A = t · pose_B with pose = world-to-camera, and
 * SparseDFF (camera_tools.get_extrinsics_from_json) builds world→camN = t · (world→cam0) and inverts
 * it to move points to the world. The geometry of the shipped rig cannot tell the two readings
 * apart (four cameras symmetric about a table), so the code is the evidence. Hence
 * cameraToWorld(camN) = [Rᵀ | −Rᵀ·T] with world = the reference camera's frame.
 */
export function parseSparseDffCalibration(text: string, fileName: string, options: RigCalibrationOptions = {}): RigCalibration {
  const raw = parseJson(text, fileName);
  if (!isRecord(raw) || !isRecord(raw.cameras)) {
    throw new FormatError(
      `${fileName}: expected a multical calibration with "cameras" and "camera_poses", found ${isRecord(raw) ? `keys ${Object.keys(raw).join(', ') || '(none)'}` : JSON.stringify(raw)?.slice(0, 40)}`,
    );
  }
  const cameraNames = Object.keys(raw.cameras);
  if (cameraNames.length === 0) throw new FormatError(`${fileName}: "cameras" is empty`);
  if (!isRecord(raw.camera_poses)) {
    throw new FormatError(
      `${fileName}: no "camera_poses" (this looks like an intrinsics-only file such as multical's intrinsic.json; expected the rig extrinsics "camN_to_cam0": {R, T})`,
    );
  }
  const convention = options.extrinsics ?? 'multical';

  // World-to-camera extrinsics, propagated over the pose graph as multical's importer does.
  const known = new Map<string, number[]>();
  const relations: { from: string; to: string; t: number[]; key: string }[] = [];
  for (const [key, value] of Object.entries(raw.camera_poses)) {
    const context = `${fileName}: camera_poses.${key}`;
    let t = rtToMatrix(value, context);
    if (convention === 'camera-to-reference') t = invertRigid(t);
    const parts = key.split('_to_');
    if (parts.length === 2) {
      const [from, to] = parts as [string, string];
      for (const name of [from, to]) {
        if (!cameraNames.includes(name)) throw new FormatError(`${context}: names camera "${name}", which is not under "cameras" (${cameraNames.join(', ')})`);
      }
      relations.push({ from, to, t, key });
    } else if (parts.length === 1) {
      if (!cameraNames.includes(key))
        throw new FormatError(`${context}: "${key}" is not a camera under "cameras" (${cameraNames.join(', ')}) nor an "A_to_B" relation`);
      known.set(key, t);
    } else {
      throw new FormatError(`${context}: cannot read the key "${key}" (expected a camera name or "camN_to_cam0")`);
    }
  }
  if (known.size === 0) {
    const first = relations[0];
    if (!first) throw new FormatError(`${fileName}: "camera_poses" is empty`);
    known.set(first.to, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  }
  const extrinsics = new Map(known);
  const queue = [...known.keys()];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const pose = extrinsics.get(name)!;
    for (const r of relations) {
      let other: string | undefined;
      let derived: number[] | undefined;
      // X_from = t · X_to  ⇒  pose_from = t · pose_to, pose_to = t⁻¹ · pose_from.
      if (r.to === name) {
        other = r.from;
        derived = multiply4(r.t, pose);
      } else if (r.from === name) {
        other = r.to;
        derived = multiply4(invertRigid(r.t), pose);
      }
      if (!other || !derived) continue;
      const existing = extrinsics.get(other);
      if (existing) {
        if (existing.some((v, i) => Math.abs(v - derived[i]!) > 1e-4))
          throw new FormatError(`${fileName}: camera_poses.${r.key} is inconsistent with the other poses of ${other}`);
        continue;
      }
      extrinsics.set(other, derived);
      queue.push(other);
    }
  }
  const unposed = cameraNames.filter((n) => !extrinsics.has(n));
  if (unposed.length > 0)
    throw new FormatError(
      `${fileName}: no pose for camera${unposed.length > 1 ? 's' : ''} ${unposed.join(', ')} in "camera_poses" (found ${Object.keys(raw.camera_poses).join(', ')})`,
    );

  // No prototype: a camera may be named like an Object.prototype key ("constructor").
  const cameras = Object.create(null) as Record<string, CalibratedCamera>;
  for (const name of cameraNames) {
    const context = `${fileName}: cameras.${name}`;
    const camera = raw.cameras[name];
    if (!isRecord(camera)) throw new FormatError(`${context}: expected an object with "K", found ${JSON.stringify(camera)?.slice(0, 40)}`);
    const size = imageSizeOf(camera, context) ?? options.imageSize;
    const intrinsics = intrinsicsFromKRows(camera.K, size?.width, size?.height, context);
    const dist = camera.dist === undefined ? [] : Array.isArray(camera.dist) ? (camera.dist as unknown[]).flat(2) : undefined;
    if (!dist || !dist.every((v) => finiteNumber(v) !== undefined))
      throw new FormatError(`${context}: "dist" must be an array of numbers, found ${JSON.stringify(camera.dist)?.slice(0, 60)}`);
    cameras[name] = { intrinsics, cameraToWorld: checkPosition(invertRigid(extrinsics.get(name)!), context), distortion: dist as number[] };
  }
  const reference = cameraNames.find((n) => isIdentity(extrinsics.get(n)!)) ?? [...known.keys()][0]!;
  return { cameras, reference };
}

function isIdentity(m: readonly number[]): boolean {
  return m.every((v, i) => Math.abs(v - (i % 5 === 0 ? 1 : 0)) < 1e-9);
}
