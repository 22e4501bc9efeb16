/**
 * Depth encodings → MetricDepth (metres, Float32Array, row-major; 0 = no measurement).
 *
 * - plain uint16 units: metres = units / depthScale (TUM 5000, Redwood/ScanNet/Kinect 1000, …);
 * - SUN RGB-D PNG: the 16 bits are rotated right by 3 on disk; metres = rotl3(d) / 1000;
 * - NYU Depth v2 raw Kinect disparity: metres = 351.3 / (1092.5 − raw), kept only in (0, 7] m
 *   (Open3D's conversion; 2047 = the Kinect's "no reading" value falls outside and becomes 0).
 *   NYU's raw PGMs store the disparity byte-swapped (little-endian): detected and undone here;
 * - `.npy`: float32/float64 = metres already, uint16 = units / depthScale.
 */
import { type MetricDepth, asDepthScale } from '../units.ts';
import type { NpyArray } from './npy.ts';
import { FormatError } from './formatError.ts';

function checkSize(length: number, width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FormatError(`${what}: invalid image size ${width}×${height} (expected positive integers)`);
  }
  if (length !== width * height) {
    throw new FormatError(`${what}: expected ${width}×${height} = ${width * height} depth values, found ${length}`);
  }
}

/** Raw uint16 depth units → metres (0 stays 0 = missing). */
export function depthFromUint16(units: Uint16Array, width: number, height: number, depthScale: number): MetricDepth {
  checkSize(units.length, width, height, 'uint16 depth');
  const scale = asDepthScale(depthScale);
  const metres = new Float32Array(units.length);
  for (let i = 0; i < units.length; i++) metres[i] = units[i]! / scale;
  return { width, height, metres };
}

/** SUN RGB-D depth PNG: undo the 3-bit rotation, then millimetres → metres. */
export function depthFromSunPng(units: Uint16Array, width: number, height: number): MetricDepth {
  checkSize(units.length, width, height, 'SUN RGB-D depth');
  const metres = new Float32Array(units.length);
  for (let i = 0; i < units.length; i++) {
    const d = units[i]!;
    metres[i] = (((d >> 3) | (d << 13)) & 0xffff) / 1000;
  }
  return { width, height, metres };
}

export const NYU_MAX_DEPTH_METRES = 7;
/** Kinect v1 disparity is 11-bit; 2047 means "no reading". */
export const KINECT_MAX_DISPARITY = 2047;

/**
 * Whether 16-bit Kinect disparity samples arrived byte-swapped. NYU Depth v2's raw PGMs declare
 * maxval 65535 but store the disparity LITTLE-endian, against the PGM spec's big-endian: read per
 * the spec, the "no reading" value 2047 (07 ff) comes out as 65287 (ff 07). Open3D's NYU reader
 * parses the PGM big-endian and then swaps every sample back (RGBDImage::CreateFromNYUFormat).
 * A correctly ordered 11-bit disparity never exceeds 2047; a swapped one almost always does.
 */
export function nyuDisparityIsByteSwapped(raw: Uint16Array): boolean {
  for (let i = 0; i < raw.length; i++) if (raw[i]! > KINECT_MAX_DISPARITY) return true;
  return false;
}

/**
 * NYU Depth v2 raw Kinect disparity → metres = 351.3 / (1092.5 − raw); values outside (0, 7] m
 * become 0 (missing) — Open3D's conversion. `raw` holds the samples as decoded (e.g. by
 * parseNetpbm, big-endian per the PGM spec); when any exceeds the 11-bit range the whole image is
 * taken as byte-swapped (see nyuDisparityIsByteSwapped) and every sample is swapped first.
 */
export function depthFromNyuDisparity(raw: Uint16Array, width: number, height: number): MetricDepth {
  checkSize(raw.length, width, height, 'NYU disparity');
  const swapped = nyuDisparityIsByteSwapped(raw);
  const metres = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const d = swapped ? ((r & 0xff) << 8) | (r >> 8) : r;
    const m = 351.3 / (1092.5 - d);
    metres[i] = m > 0 && m <= NYU_MAX_DEPTH_METRES ? m : 0;
  }
  return { width, height, metres };
}

/**
 * A depth `.npy` of shape [H, W] or [H, W, 1]: float32/float64 are metres already (NaN kept, as
 * missing); uint16 are units divided by `depthScale`. Always returns a fresh array.
 */
export function depthFromNpy(array: NpyArray, fileName: string, depthScale: number): MetricDepth {
  const { shape, dtype, data } = array;
  const ok = (shape.length === 2 || (shape.length === 3 && shape[2] === 1)) && shape[0]! > 0 && shape[1]! > 0;
  if (!ok) {
    throw new FormatError(
      `${fileName}: expected a depth array of shape [H, W] or [H, W, 1], found shape [${shape.join(', ')}]${shape.length === 3 && (shape[2] === 3 || shape[2] === 4) ? ' (that looks like a colour image or a point map)' : ''}`,
    );
  }
  const height = shape[0]!;
  const width = shape[1]!;
  if (data.length !== width * height) throw new FormatError(`${fileName}: shape [${shape.join(', ')}] needs ${width * height} values, found ${data.length}`);
  if (dtype === 'float32' || dtype === 'float64') {
    return { width, height, metres: Float32Array.from(data as Float32Array | Float64Array) };
  }
  if (dtype === 'uint16') {
    const depth = depthFromUint16(data as Uint16Array, width, height, depthScale);
    return depth;
  }
  throw new FormatError(
    `${fileName}: unsupported depth dtype ${dtype} (expected float32/float64 metres, or uint16 units of 1/${depthScale} m); convert with depth.astype(np.float32) in metres or np.uint16 in millimetres`,
  );
}

export interface DepthCheck {
  /** NaN pixels, treated as missing ("1,234 NaN pixels ignored"). */
  readonly nanCount: number;
  /** Pixels with a positive, finite depth. */
  readonly validCount: number;
}

/**
 * Validates metric depth before lifting. NaN = missing (counted and returned); a negative value or
 * +Infinity is a broken conversion (wrong dtype, disparity not converted…) and throws with the
 * count and an example pixel; no positive finite value at all throws "no valid depth".
 */
export function checkMetricDepth(depth: MetricDepth, fileName: string): DepthCheck {
  const { width, height, metres } = depth;
  checkSize(metres.length, width, height, fileName);
  let nanCount = 0;
  let validCount = 0;
  let negativeCount = 0;
  let infiniteCount = 0;
  let firstNegative = -1;
  let firstInfinite = -1;
  for (let i = 0; i < metres.length; i++) {
    const v = metres[i]!;
    if (v > 0) {
      if (v === Infinity) {
        if (infiniteCount++ === 0) firstInfinite = i;
      } else validCount++;
    } else if (v < 0) {
      if (negativeCount++ === 0) firstNegative = i;
    } else if (v !== 0) nanCount++;
  }
  const at = (i: number) => `pixel (u ${i % width}, v ${Math.floor(i / width)}) = ${metres[i]}`;
  if (negativeCount > 0) {
    throw new FormatError(
      `${fileName}: ${negativeCount.toLocaleString('en')} negative depth value${negativeCount === 1 ? '' : 's'}, e.g. ${at(firstNegative)} (expected metres ≥ 0, 0 = missing; is this disparity or a signed/offset encoding?)`,
    );
  }
  if (infiniteCount > 0) {
    throw new FormatError(
      `${fileName}: ${infiniteCount.toLocaleString('en')} infinite depth value${infiniteCount === 1 ? '' : 's'}, e.g. ${at(firstInfinite)} (expected finite metres; use 0 or NaN for missing pixels)`,
    );
  }
  if (validCount === 0) {
    const nanNote = nanCount > 0 ? ` (${nanCount.toLocaleString('en')} NaN, the rest 0)` : ' (every pixel is 0)';
    throw new FormatError(`${fileName}: no valid depth — none of the ${metres.length.toLocaleString('en')} pixels has a positive depth${nanNote}`);
  }
  return { nanCount, validCount };
}
