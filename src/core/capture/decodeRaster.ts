/**
 * Decodes one dropped depth or colour file of any supported encoding into the normalised rasters
 * of units.ts, choosing the decoder by content first and extension second.
 */
import { depthFromNpy, depthFromNyuDisparity, depthFromSunPng, depthFromUint16 } from '../formats/depthFormats.ts';
import { parseNetpbm } from '../formats/netpbm.ts';
import { isNpyBytes, parseNpy, type NpyArray } from '../formats/npy.ts';
import { decodeImage, type DecodedImage } from '../formats/images.ts';
import type { MetricDepth, RgbRaster } from '../units.ts';
import type { CaptureFile } from './captureFiles.ts';
import { FormatError } from '../formats/formatError.ts';

export type DepthEncoding = 'auto' | 'uint16' | 'sun-rotated' | 'nyu-disparity';

export interface DecodedDepth {
  readonly depth: MetricDepth;
  /** What was recognised, for the UI ("16-bit PNG, 1000 units/m", "SUN RGB-D bit-rotated PNG"). */
  readonly encoding: string;
  /** The depth scale the values were divided by; null when the encoding fixes the units (float metres, disparity, SUN). */
  readonly depthScale: number | null;
}

/**
 * SUN RGB-D stores depth with its 16 bits rotated by 3, so the low 3 bits of every stored value
 * are the top 3 bits of the true millimetre depth: bits 1–2 are zero for any depth below 16.38 m
 * (bit 0 is set beyond 8.19 m, e.g. windows). Plain depth has uniformly distributed low bits, so
 * only ~25 % of its pixels have bits 1–2 clear. ≥ 99 % of ≥ 1000 valid pixels is the tell.
 */
export function looksSunRotated(units: Uint16Array): boolean {
  let valid = 0;
  let bits12Clear = 0;
  for (let i = 0; i < units.length; i++) {
    const d = units[i]!;
    if (d === 0) continue;
    valid++;
    if ((d & 6) === 0) bits12Clear++;
  }
  return valid >= 1000 && bits12Clear >= 0.99 * valid;
}

export function isNetpbm(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x36);
}

/** `decoded` saves a second decode when the caller already decoded the image to classify it. */
export function decodeDepthFile(file: CaptureFile, depthScale: number, encoding: DepthEncoding = 'auto', decoded?: DecodedImage): DecodedDepth {
  const { name, bytes } = file;
  if (isNpyBytes(bytes)) {
    const array = parseNpy(bytes, name);
    return {
      depth: depthFromNpy(array, name, depthScale),
      encoding: `.npy depth (float = metres, uint16 / ${depthScale})`,
      depthScale: array.dtype === 'uint16' ? depthScale : null,
    };
  }
  if (isNetpbm(bytes)) {
    const pgm = parseNetpbm(bytes, name);
    if (pgm.kind !== 'grey16')
      throw new FormatError(`${name}: expected a 16-bit PGM (NYU Kinect disparity), found ${pgm.kind === 'grey8' ? 'an 8-bit PGM' : 'a colour PPM'}`);
    return {
      depth: depthFromNyuDisparity(pgm.data, pgm.width, pgm.height),
      encoding: 'NYU Depth v2 raw disparity PGM (metres = 351.3 / (1092.5 − raw), ≤ 7 m)',
      depthScale: null,
    };
  }
  const image = decoded ?? decodeImage(bytes, name);
  if (image.kind === 'grey8')
    throw new FormatError(`${name}: expected a 16-bit single-channel depth PNG, found an 8-bit greyscale PNG (8 bits cannot hold depth; save depth as uint16)`);
  if (image.kind === 'rgb8') throw new FormatError(`${name}: expected a depth image (16-bit single channel), found a colour image`);
  const sun = encoding === 'sun-rotated' || (encoding === 'auto' && looksSunRotated(image.units));
  if (sun) return { depth: depthFromSunPng(image.units, image.width, image.height), encoding: 'SUN RGB-D bit-rotated 16-bit PNG (mm)', depthScale: null };
  if (encoding === 'nyu-disparity')
    return { depth: depthFromNyuDisparity(image.units, image.width, image.height), encoding: 'Kinect disparity PNG', depthScale: null };
  return { depth: depthFromUint16(image.units, image.width, image.height, depthScale), encoding: `16-bit PNG, ${depthScale} units/m`, depthScale };
}

/**
 * Colour is drawn onto the depth grid by scaling, so it must have the depth image's aspect ratio:
 * a different one is refused naming the colour file and both sizes (the lifter would otherwise
 * reject it with an untyped error); a proportional resize is allowed and said in `warnings`.
 */
export function checkColourRegistration(colourName: string, color: RgbRaster, depthName: string, depth: MetricDepth, warnings: string[]): void {
  if (color.width === depth.width && color.height === depth.height) return;
  const depthAspect = depth.width / depth.height;
  if (!(Math.abs(color.width / color.height - depthAspect) <= 1e-3 * depthAspect)) {
    throw new FormatError(
      `${colourName}: colour is ${color.width}×${color.height} but depth ${depthName} is ${depth.width}×${depth.height} (different aspect ratios; expected colour registered to depth, the same size or a proportional resize)`,
    );
  }
  warnings.push(`${colourName}: colour ${color.width}×${color.height} resampled onto the ${depth.width}×${depth.height} depth grid`);
}

/** Colour from PNG/JPG, PPM, or an H×W×3 `.npy` (uint8, or float in 0..1). */
export function decodeColourFile(file: CaptureFile, decoded?: DecodedImage): RgbRaster {
  const { name, bytes } = file;
  if (isNpyBytes(bytes)) return colourFromNpy(parseNpy(bytes, name), name);
  if (isNetpbm(bytes)) {
    const ppm = parseNetpbm(bytes, name);
    if (ppm.kind !== 'rgb8') throw new FormatError(`${name}: expected a colour PPM (P6), found a greyscale PGM`);
    return { width: ppm.width, height: ppm.height, rgb: ppm.data };
  }
  const image = decoded ?? decodeImage(bytes, name);
  if (image.kind === 'depth16') throw new FormatError(`${name}: expected a colour image, found a 16-bit single-channel (depth) PNG`);
  if (image.kind === 'grey8') {
    const rgb = new Uint8Array(image.grey.length * 3);
    for (let i = 0; i < image.grey.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.grey[i]!;
    return { width: image.width, height: image.height, rgb };
  }
  return { width: image.width, height: image.height, rgb: image.rgb };
}

function colourFromNpy(array: NpyArray, name: string): RgbRaster {
  const [height, width, channels] = array.shape;
  if (array.shape.length !== 3 || (channels !== 3 && channels !== 4) || !height || !width) {
    throw new FormatError(`${name}: expected colours of shape [H, W, 3] (or 4), found [${array.shape.join(', ')}]`);
  }
  const rgb = new Uint8Array(width * height * 3);
  const data = array.data;
  const isFloat = array.dtype === 'float32' || array.dtype === 'float64';
  let maxValue = 0;
  if (isFloat) for (let i = 0; i < data.length; i++) maxValue = Math.max(maxValue, Number(data[i]));
  // Float colours are 0..1 by convention (Open3D, SparseDFF); 0..255 floats also occur.
  const scale = isFloat ? (maxValue <= 1.0001 ? 255 : 1) : array.dtype === 'uint16' ? 1 / 257 : 1;
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.max(0, Math.min(255, Math.round(Number(data[p * channels + c]) * scale)));
  }
  return { width, height, rgb };
}
