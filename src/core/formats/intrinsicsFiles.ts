/**
 * Camera intrinsics files, told apart by content (extension only breaks ties):
 * - Open3D JSON `{width, height, intrinsic_matrix: [9, column-major]}`;
 * - multical / SparseDFF-style JSON with `K` as 3 rows (+ optional `image_size` [w, h]), at the top
 *   level or under `cameras.<name>`; also JSON with plain `fx fy cx cy` (+ `width height` / `w h`);
 * - ScanNet `intrinsic_color.txt` / `intrinsic_depth.txt`: a 4×4 as 4 rows;
 * - plain text `fx fy cx cy`, optionally followed by `width height`; a bare 3×3 K as 9 numbers;
 * - `.npy` 3×3 row-major K (SparseDFF `intrinsic.npy`).
 *
 * Width/height come from the file when it has them, else from `imageSize` (an error if neither).
 * All of these use the OpenCV pixel convention (cx measured from the top-left pixel's centre).
 */
import type { PinholeIntrinsics } from '../units.ts';
import { parseNpy } from './npy.ts';
import { extensionOf } from './paths.ts';
import { intrinsicsFromKRows } from './rigCalibration.ts';
import { FormatError } from './formatError.ts';
import { parseJson } from './poses.ts';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

export interface IntrinsicsFileOptions {
  /** For multi-camera JSON (`cameras.<name>`): which camera to read. */
  readonly camera?: string;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function validIntrinsics(k: PinholeIntrinsics): boolean {
  return (
    [k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) &&
    k.fx > 0 &&
    k.fy > 0 &&
    Number.isInteger(k.width) &&
    Number.isInteger(k.height) &&
    k.width > 0 &&
    k.height > 0
  );
}

/**
 * Open3D `PinholeCameraIntrinsic` JSON: `{ width, height, intrinsic_matrix: [9 numbers] }` with the
 * 3×3 matrix stored COLUMN-major (Eigen's order): fx = m[0], fy = m[4], cx = m[6], cy = m[7].
 */
export function parseOpen3dIntrinsicsJson(text: string, fileName: string): PinholeIntrinsics {
  const raw = parseJson(text, fileName);
  const obj = raw as { width?: unknown; height?: unknown; intrinsic_matrix?: unknown };
  const m = obj.intrinsic_matrix as number[];
  if (!Array.isArray(m) || m.length !== 9 || !m.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new FormatError(`${fileName}: expected Open3D intrinsics {width, height, intrinsic_matrix: [9 numbers, column-major]}, found ${describeJson(raw)}`);
  }
  const [fx, , , , fy, , cx, cy] = m as [number, number, number, number, number, number, number, number, number];
  const k: PinholeIntrinsics = { width: Number(obj.width), height: Number(obj.height), fx, fy, cx, cy };
  if (!validIntrinsics(k)) {
    throw new FormatError(
      `${fileName}: invalid intrinsics (width ${k.width}, height ${k.height}, fx ${k.fx}, fy ${k.fy}): expected positive focal lengths and image size`,
    );
  }
  if (m[1] !== 0 || m[2] !== 0 || m[5] !== 0 || m[8] !== 1) {
    throw new FormatError(
      `${fileName}: intrinsic_matrix is not a pinhole matrix in column-major order (expected m[1] = m[2] = m[5] = 0 and m[8] = 1, found ${m.join(', ')})`,
    );
  }
  return checkIntrinsics(k, fileName);
}

function describeJson(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return JSON.stringify(raw);
  return `an object with keys ${Object.keys(raw).join(', ') || '(none)'}`;
}

export const MIN_FOCAL_PX = 1e-3;

/** Finite values, positive focal lengths and image size, principal point inside the image; throws naming `fileName`. */
export function checkIntrinsics(k: PinholeIntrinsics, fileName: string, sizeSource = 'the file'): PinholeIntrinsics {
  const { width, height, fx, fy, cx, cy } = k;
  // Below 1/1000 px the field of view is 180° to within a millidegree: the value is damaged, and lifting would overflow.
  if (![fx, fy, cx, cy].every(Number.isFinite) || !(fx >= MIN_FOCAL_PX && fy >= MIN_FOCAL_PX)) {
    throw new FormatError(`${fileName}: invalid intrinsics (fx ${fx}, fy ${fy}, cx ${cx}, cy ${cy}): expected finite values and positive focal lengths`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FormatError(`${fileName}: invalid image size ${width}×${height} (expected positive integers)`);
  }
  // A principal point outside the image means the numbers are in another order, or the intrinsics
  // belong to an image of another size (e.g. ScanNet colour intrinsics applied to the depth image).
  if (cx < -0.5 || cx > width - 0.5 || cy < -0.5 || cy > height - 0.5) {
    throw new FormatError(
      `${fileName}: principal point (cx ${cx}, cy ${cy}) lies outside the ${width}×${height} image (size from ${sizeSource}); expected intrinsics of this image — check the order (fx fy cx cy [width height]) or the image size`,
    );
  }
  return { width, height, fx, fy, cx, cy };
}

function withSize(
  k: Omit<PinholeIntrinsics, 'width' | 'height'>,
  fileSize: ImageSize | undefined,
  imageSize: ImageSize | undefined,
  fileName: string,
  found: string,
): PinholeIntrinsics {
  const size = fileSize ?? imageSize;
  if (!size) throw noSizeError(fileName, found);
  return checkIntrinsics({ ...k, width: size.width, height: size.height }, fileName, fileSize ? 'the file' : 'the image');
}

/** Parses an intrinsics file of any supported kind (see the module comment). */
export function parseIntrinsicsFile(bytes: Uint8Array, fileName: string, imageSize?: ImageSize, options: IntrinsicsFileOptions = {}): PinholeIntrinsics {
  const ext = extensionOf(fileName);
  if (NPY_MAGIC.every((b, i) => bytes[i] === b)) return fromNpy(bytes, fileName, imageSize);
  if (ext === 'npy') throw new FormatError(`${fileName}: not a NumPy .npy file (expected the magic "\\x93NUMPY" at the start)`);
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') throw new FormatError(`${fileName}: empty intrinsics file`);
  if (trimmed.startsWith('{') || ext === 'json') return fromJson(trimmed, fileName, imageSize, options);
  return fromText(trimmed, fileName, imageSize);
}

function fromNpy(bytes: Uint8Array, fileName: string, imageSize: ImageSize | undefined): PinholeIntrinsics {
  const array = parseNpy(bytes, fileName);
  const { shape, data } = array;
  if (shape.length !== 2 || shape[0] !== 3 || shape[1] !== 3) {
    throw new FormatError(`${fileName}: expected a 3×3 intrinsic matrix K, found an array of shape [${shape.join(', ')}]`);
  }
  const rows = [0, 1, 2].map((r) => [0, 1, 2].map((c) => Number(data[r * 3 + c]!)));
  return fromKRows(rows, undefined, imageSize, fileName);
}

function noSizeError(fileName: string, found: string): Error {
  return new FormatError(`${fileName}: ${found} has no image size; expected width and height in the file, or the size of the image these intrinsics belong to`);
}

function fromKRows(K: unknown, fileSize: ImageSize | undefined, imageSize: ImageSize | undefined, fileName: string): PinholeIntrinsics {
  const size = fileSize ?? imageSize;
  // Without a size, K is still validated first so a malformed matrix is reported as such.
  const k = intrinsicsFromKRows(K, size?.width ?? 1, size?.height ?? 1, fileName);
  if (!size) throw noSizeError(fileName, 'the 3×3 K');
  return checkIntrinsics(k, fileName, fileSize ? 'the file' : 'the image');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sizeFromJson(obj: Record<string, unknown>, fileName: string): ImageSize | undefined {
  const size = obj.image_size ?? obj.imageSize ?? obj.resolution;
  if (Array.isArray(size)) {
    if (size.length !== 2 || !size.every((v) => Number.isInteger(v) && (v as number) > 0)) {
      throw new FormatError(`${fileName}: "image_size" must be [width, height] (positive integers), found ${JSON.stringify(size)}`);
    }
    return { width: size[0] as number, height: size[1] as number };
  }
  const width = obj.width ?? obj.w;
  const height = obj.height ?? obj.h;
  if (width === undefined && height === undefined) return undefined;
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) <= 0 || (height as number) <= 0) {
    throw new FormatError(`${fileName}: image size ${JSON.stringify(width)}×${JSON.stringify(height)} (expected positive integer width and height)`);
  }
  return { width: width as number, height: height as number };
}

/** K as 3 rows, or as 9 numbers in ROW-major order (the order multical and OpenCV print). */
function kRowsOf(K: unknown): unknown {
  if (Array.isArray(K) && K.length === 9 && K.every((v) => typeof v === 'number')) return [K.slice(0, 3), K.slice(3, 6), K.slice(6, 9)];
  return K;
}

function fromJson(text: string, fileName: string, imageSize: ImageSize | undefined, options: IntrinsicsFileOptions): PinholeIntrinsics {
  const raw = parseJson(text, fileName);
  if (!isRecord(raw)) throw new FormatError(`${fileName}: expected a JSON object with camera intrinsics, found ${JSON.stringify(raw)?.slice(0, 40)}`);
  if ('intrinsic_matrix' in raw) return parseOpen3dIntrinsicsJson(text, fileName);

  let camera: Record<string, unknown> = raw;
  let context = fileName;
  if (isRecord(raw.cameras)) {
    const names = Object.keys(raw.cameras);
    const name = options.camera ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined) {
      throw new FormatError(`${fileName}: holds ${names.length} cameras (${names.join(', ')}); expected one camera, or the camera to read named by the caller`);
    }
    const chosen = raw.cameras[name];
    if (!isRecord(chosen)) throw new FormatError(`${fileName}: no camera "${name}" under "cameras" (found ${names.join(', ')})`);
    camera = chosen;
    context = `${fileName}: cameras.${name}`;
  } else if (isRecord(raw.camera)) {
    camera = raw.camera;
  }
  const fileSize = sizeFromJson(camera, context) ?? (camera !== raw ? sizeFromJson(raw, fileName) : undefined);
  const K = camera.K ?? camera.k ?? camera.camera_matrix;
  if (K !== undefined) return fromKRows(kRowsOf(K), fileSize, imageSize, context);
  const num = (...keys: string[]) => keys.map((k) => camera[k]).find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const fx = num('fx', 'fl_x', 'focal_x');
  const fy = num('fy', 'fl_y', 'focal_y') ?? fx;
  const cx = num('cx', 'ppx');
  const cy = num('cy', 'ppy');
  if (fx !== undefined && fy !== undefined && cx !== undefined && cy !== undefined) {
    return withSize({ fx, fy, cx, cy }, fileSize, imageSize, context, 'fx fy cx cy');
  }
  throw new FormatError(
    `${context}: no intrinsics found (expected Open3D {width, height, intrinsic_matrix}, a 3×3 "K" with optional "image_size", or fx, fy, cx, cy); found keys ${Object.keys(camera).join(', ') || '(none)'}`,
  );
}

function fromText(text: string, fileName: string, imageSize: ImageSize | undefined): PinholeIntrinsics {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const tokens = lines
    .flatMap((l) => l.split(/[\s,;]+/))
    .filter((t) => t !== '' && t !== '[' && t !== ']')
    .map((t) => t.replace(/^\[+|\]+$/g, ''));
  const values = tokens.map((t) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN));
  const bad = tokens.findIndex((_, i) => !Number.isFinite(values[i]!));
  if (bad >= 0) {
    throw new FormatError(`${fileName}: expected numbers only (a 4×4 matrix, a 3×3 K, or "fx fy cx cy [width height]"), found "${tokens[bad]}"`);
  }
  const matrix = (n: number) => (r: number, c: number) => values[r * n + c]!;
  if (values.length === 16) {
    // ScanNet intrinsic_*.txt: [[fx, 0, cx, 0], [0, fy, cy, 0], [0, 0, 1, 0], [0, 0, 0, 1]].
    const m = matrix(4);
    const pinhole = m(1, 0) === 0 && m(2, 0) === 0 && m(2, 1) === 0 && m(2, 2) === 1 && m(3, 0) === 0 && m(3, 1) === 0 && m(3, 2) === 0 && m(3, 3) === 1;
    if (!pinhole || Math.abs(m(0, 1)) > 1e-3 * Math.abs(m(0, 0))) {
      throw new FormatError(
        `${fileName}: 16 numbers but not a 4×4 pinhole matrix [[fx 0 cx 0] [0 fy cy 0] [0 0 1 0] [0 0 0 1]] (rows: ${[0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => m(r, c)).join(' ')).join(' | ')})`,
      );
    }
    return withSize({ fx: m(0, 0), fy: m(1, 1), cx: m(0, 2), cy: m(1, 2) }, undefined, imageSize, fileName, 'the 4×4 intrinsic matrix');
  }
  if (values.length === 9) {
    const m = matrix(3);
    return fromKRows(
      [0, 1, 2].map((r) => [0, 1, 2].map((c) => m(r, c))),
      undefined,
      imageSize,
      fileName,
    );
  }
  if (values.length === 4 || values.length === 6) {
    const [fx, fy, cx, cy, width, height] = values as [number, number, number, number, number?, number?];
    const fileSize = width !== undefined && height !== undefined ? { width, height } : undefined;
    return withSize({ fx, fy, cx, cy }, fileSize, imageSize, fileName, '"fx fy cx cy"');
  }
  throw new FormatError(
    `${fileName}: ${values.length} numbers; expected 16 (a 4×4 matrix as in ScanNet's intrinsic_color.txt), 9 (a 3×3 K), 4 ("fx fy cx cy") or 6 ("fx fy cx cy width height")`,
  );
}
