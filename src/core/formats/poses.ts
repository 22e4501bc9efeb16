/**
 * Camera pose files. Every parser returns camera-to-world, row-major 4×4, in the OpenCV camera frame
 * (x right, y down, z forward), metres — the conventions of ../units.ts.
 *
 * - Open3D / Redwood `trajectory.log` (camera-to-world per frame);
 * - TUM RGB-D `groundtruth.txt` (`t tx ty tz qx qy qz qw`, camera-to-world, quaternion x y z w);
 * - ScanNet `pose/<i>.txt` (camera-to-world 4×4; invalid frames hold -inf / nan).
 *
 * The JSON formats live beside this file and share its 4×4 helpers (`checkRigid`, `invertRigid`, …)
 * and JSON helpers: nerfstudio / instant-ngp / Polycam `transforms.json` in nerfstudio.ts, multical /
 * SparseDFF `calibration.json` in rigCalibration.ts.
 */
import { asCameraToWorld, type CameraToWorld } from '../units.ts';
import { FormatError } from './formatError.ts';

// ---------------------------------------------------------------------------------------------
// Small 4×4 helpers (row-major, 16 numbers)

type Mat4 = readonly number[];

export function multiply4(a: Mat4, b: Mat4): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** Inverse of a rigid transform [R t; 0 1]: [Rᵀ −Rᵀt; 0 1]. */
export function invertRigid(m: Mat4): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = m[c * 4 + r]!;
    out[r * 4 + 3] = 0 - (m[0 * 4 + r]! * m[3]! + m[1 * 4 + r]! * m[7]! + m[2 * 4 + r]! * m[11]!); // 0 − x: no −0
  }
  out[15] = 1;
  return out;
}

/**
 * How far the top-left 3×3 of `m` is from a proper rotation: the largest |RᵀR − I| entry, and the
 * determinant. Used to reject scaled, sheared or mirrored "poses".
 */
export function rotationError(m: Mat4): { orthonormality: number; det: number } {
  let worst = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += m[k * 4 + i]! * m[k * 4 + j]!;
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  const a = (r: number, c: number) => m[r * 4 + c]!;
  const det =
    a(0, 0) * (a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)) - a(0, 1) * (a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0)) + a(0, 2) * (a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0));
  return { orthonormality: worst, det };
}

/** 1,000 km: a camera position beyond is a damaged number (or not metres), and lifting would overflow float32. */
const MAX_TRANSLATION_M = 1e6;

/** Tolerance on RᵀR − I for poses printed with ~6 significant digits. */
const ROTATION_TOLERANCE = 2e-3;

/** `m` as a camera-to-world pose, after checking it is rigid (orthonormal rotation, det +1, last row 0 0 0 1); throws naming `context`. */
export function checkRigid(m: Mat4, context: string): CameraToWorld {
  const { orthonormality, det } = rotationError(m);
  if (orthonormality > ROTATION_TOLERANCE || det < 0) {
    throw new FormatError(
      `${context}: not a rigid camera pose (rotation part has |RᵀR − I| up to ${orthonormality.toPrecision(3)} and determinant ${det.toPrecision(4)}; expected an orthonormal rotation with determinant +1)`,
    );
  }
  const bottom = [m[12]!, m[13]!, m[14]!, m[15]!];
  if (Math.abs(bottom[0]!) > 1e-6 || Math.abs(bottom[1]!) > 1e-6 || Math.abs(bottom[2]!) > 1e-6 || Math.abs(bottom[3]! - 1) > 1e-6) {
    throw new FormatError(`${context}: last row of the 4×4 pose is ${bottom.join(' ')} (expected 0 0 0 1)`);
  }
  return checkPosition(m, context);
}

/** `m` as a pose after checking its camera position is within MAX_TRANSLATION_M of the origin. */
export function checkPosition(m: Mat4, context: string): CameraToWorld {
  const t = [m[3]!, m[7]!, m[11]!];
  if (!t.every((v) => Math.abs(v) <= MAX_TRANSLATION_M)) {
    throw new FormatError(`${context}: camera position ${t.join(' ')} is not within ${MAX_TRANSLATION_M.toExponential()} m of the origin (expected metres)`);
  }
  return asCameraToWorld(m);
}

/** Rotation matrix (row-major 3×3 in a 4×4) of a unit quaternion given as x y z w. */
export function quaternionToPose(qx: number, qy: number, qz: number, qw: number, tx: number, ty: number, tz: number, context: string): CameraToWorld {
  const n = Math.hypot(qx, qy, qz, qw);
  if (!(n > 1e-9) || !Number.isFinite(n)) throw new FormatError(`${context}: quaternion (${qx}, ${qy}, ${qz}, ${qw}) has zero or non-finite length`);
  const x = qx / n;
  const y = qy / n;
  const z = qz / n;
  const w = qw / n;
  return checkPosition(
    [
      1 - 2 * (y * y + z * z),
      2 * (x * y - z * w),
      2 * (x * z + y * w),
      tx,
      2 * (x * y + z * w),
      1 - 2 * (x * x + z * z),
      2 * (y * z - x * w),
      ty,
      2 * (x * z - y * w),
      2 * (y * z + x * w),
      1 - 2 * (x * x + y * y),
      tz,
      0,
      0,
      0,
      1,
    ],
    context,
  );
}

/** camera-to-world in the OpenGL camera frame (x right, y up, z backward) → OpenCV: C · diag(1, −1, −1, 1). */
export function openGlToOpenCv(m: Mat4): number[] {
  const out = [...m];
  for (let r = 0; r < 4; r++) {
    out[r * 4 + 1] = 0 - m[r * 4 + 1]!; // 0 − x: no −0 entries
    out[r * 4 + 2] = 0 - m[r * 4 + 2]!;
  }
  return out;
}

/** Parses one number token, accepting the inf / -inf / nan spellings C and numpy print. */
function parseToken(token: string): number {
  const lower = token.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan' || lower === '-nan' || lower === '+nan' || lower === '-nan(ind)' || lower === 'nan(ind)') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) return Number.NaN;
  return Number(token);
}

function isNumberToken(token: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token) || /^[+-]?(inf|infinity|nan)(\(ind\))?$/i.test(token);
}

interface Line {
  readonly number: number;
  readonly tokens: string[];
}

/** Non-empty, non-comment lines split on whitespace (and commas), with 1-based line numbers. */
function dataLines(text: string, comment = '#'): Line[] {
  const out: Line[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith(comment)) continue;
    out.push({ number: i + 1, tokens: line.split(/[\s,]+/).filter((t) => t !== '') });
  }
  return out;
}

function numbersOf(line: Line, count: number, fileName: string, what: string): number[] {
  if (line.tokens.length !== count || !line.tokens.every(isNumberToken)) {
    throw new FormatError(`${fileName}: line ${line.number}: expected ${what} (${count} numbers), found "${line.tokens.join(' ')}"`);
  }
  return line.tokens.map(parseToken);
}

// ---------------------------------------------------------------------------------------------
// Open3D / Redwood trajectory.log

export interface TrajectoryEntry {
  /** 0-based index of the depth image this pose belongs to (see parseOpen3dTrajectoryLog). */
  readonly frame: number;
  /** The block's header line as written: for Open3D/Redwood `i i i+1`. */
  readonly metadata: readonly [number, number, number];
  readonly cameraToWorld: CameraToWorld;
}

/**
 * Open3D / Redwood `.log` trajectory: per frame a header line of 3 integers, then the 4 rows of the
 * camera-to-world 4×4. Redwood documents the third header number as "the frame number of the
 * corresponding depth image (starting from 1)" and Open3D writes `i i i+1` for the i-th image, so
 * `frame` = third number − 1 (0-based). Files whose third numbers start at 0 are taken as 0-based.
 */
export function parseOpen3dTrajectoryLog(text: string, fileName: string): TrajectoryEntry[] {
  const lines = dataLines(text);
  if (lines.length === 0)
    throw new FormatError(`${fileName}: empty trajectory (expected blocks of a "i j k" header line and 4 rows of a 4×4 camera-to-world matrix)`);
  if (lines.length % 5 !== 0) {
    throw new FormatError(
      `${fileName}: ${lines.length} non-empty lines is not a whole number of 5-line blocks (a "i j k" header line and 4 rows of a 4×4 matrix each)`,
    );
  }
  const blocks: { metadata: [number, number, number]; cameraToWorld: CameraToWorld }[] = [];
  for (let b = 0; b < lines.length; b += 5) {
    const header = lines[b]!;
    if (header.tokens.length !== 3 || !header.tokens.every((t) => /^[+-]?\d+$/.test(t))) {
      throw new FormatError(`${fileName}: line ${header.number}: expected a block header of 3 integers (e.g. "0 0 1"), found "${header.tokens.join(' ')}"`);
    }
    const metadata = header.tokens.map(Number) as [number, number, number];
    const m: number[] = [];
    for (let r = 1; r <= 4; r++) m.push(...numbersOf(lines[b + r]!, 4, fileName, `row ${r} of the 4×4 pose after header line ${header.number}`));
    if (!m.every(Number.isFinite))
      throw new InvalidPoseError(`${fileName}: pose of block "${header.tokens.join(' ')}" (line ${header.number}) has non-finite entries`);
    blocks.push({ metadata, cameraToWorld: checkRigid(m, `${fileName}: pose of block "${header.tokens.join(' ')}" (line ${header.number})`) });
  }
  const zeroBased = blocks.some((b) => b.metadata[2] === 0);
  return blocks.map(({ metadata, cameraToWorld }) => {
    const frame = zeroBased ? metadata[2] : metadata[2] - 1;
    if (frame < 0) throw new FormatError(`${fileName}: block header "${metadata.join(' ')}" has a negative frame number`);
    return { frame, metadata, cameraToWorld };
  });
}

// ---------------------------------------------------------------------------------------------
// TUM RGB-D groundtruth.txt

export interface TimedPose {
  readonly timestamp: number;
  readonly cameraToWorld: CameraToWorld;
}

/**
 * TUM RGB-D `groundtruth.txt`: `timestamp tx ty tz qx qy qz qw` per line (quaternion x y z w, the
 * Hamilton convention; normalised here), camera-to-world; `#` lines are comments. Sorted by time.
 */
export function parseTumGroundTruth(text: string, fileName: string): TimedPose[] {
  const out: TimedPose[] = [];
  for (const line of dataLines(text)) {
    const v = numbersOf(line, 8, fileName, '"timestamp tx ty tz qx qy qz qw"');
    if (!v.every(Number.isFinite)) throw new FormatError(`${fileName}: line ${line.number}: non-finite value in "${line.tokens.join(' ')}"`);
    const [t, tx, ty, tz, qx, qy, qz, qw] = v as [number, number, number, number, number, number, number, number];
    out.push({ timestamp: t, cameraToWorld: quaternionToPose(qx, qy, qz, qw, tx, ty, tz, `${fileName}: line ${line.number}`) });
  }
  if (out.length === 0) throw new FormatError(`${fileName}: no poses (expected lines of "timestamp tx ty tz qx qy qz qw")`);
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

// ---------------------------------------------------------------------------------------------
// ScanNet pose/<i>.txt

/**
 * A pose file whose matrix holds -inf / nan: ScanNet marks frames where tracking failed this way.
 * Callers catch it to skip the frame; every other error means a malformed file.
 */
export class InvalidPoseError extends FormatError {
  override readonly name = 'InvalidPoseError';
}

/** ScanNet `pose/<i>.txt`: 4 rows of 4 numbers, camera-to-world (OpenCV camera frame). */
export function parseScanNetPose(text: string, fileName: string): CameraToWorld {
  const lines = dataLines(text);
  if (lines.length !== 4) {
    throw new FormatError(
      `${fileName}: expected a 4×4 camera-to-world matrix as 4 rows of 4 numbers, found ${lines.length} non-empty line${lines.length === 1 ? '' : 's'}`,
    );
  }
  const m = lines.flatMap((line, r) => numbersOf(line, 4, fileName, `row ${r + 1} of the 4×4 pose`));
  const bad = m.filter((x) => !Number.isFinite(x)).length;
  if (bad > 0) {
    throw new InvalidPoseError(`${fileName}: invalid pose (${bad} of 16 entries are -inf/inf/nan — the capture lost tracking on this frame)`);
  }
  return checkRigid(m, fileName);
}

// ---------------------------------------------------------------------------------------------
// JSON helpers shared by nerfstudio.ts and rigCalibration.ts

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deeper than any calibration or scene file nests; deeper input would overflow recursive walks (and error messages that quote it). */
export const MAX_JSON_DEPTH = 64;

/** The deepest [ / { nesting of `text`, strings skipped; stops counting past `limit`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** JSON.parse with a clear error naming the file, and a nesting limit checked before parsing. */
export function parseJson(text: string, fileName: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new FormatError(`${fileName}: JSON nested deeper than ${MAX_JSON_DEPTH} levels (not a calibration, camera or scene file)`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FormatError(`${fileName}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

export function finiteNumber(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}
