/**
 * Pure image decoders: bytes in, typed arrays out. PNG through fast-png (keeps 16-bit samples —
 * a canvas would drop depth to 8 bits), JPEG through jpeg-js. Errors name the file and say what
 * was expected and what was found.
 */
import { decode as decodePngBytes, hasPngSignature } from 'fast-png';
import { decode as decodeJpegBytes } from 'jpeg-js';
import { FormatError } from './formatError.ts';

/** 8-bit RGB, row-major, 3 bytes per pixel. */
export interface RgbImage {
  readonly kind: 'rgb8';
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Raw depth units (uint16), row-major; 0 = no measurement. */
export interface DepthImage16 {
  readonly kind: 'depth16';
  readonly width: number;
  readonly height: number;
  readonly units: Uint16Array;
}

/** An 8-bit single-channel image: a greyscale photo, or (a common mistake) an 8-bit depth map. */
export interface Grey8Image {
  readonly kind: 'grey8';
  readonly width: number;
  readonly height: number;
  readonly grey: Uint8Array;
}

export type DecodedImage = RgbImage | DepthImage16 | Grey8Image;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];

export function sniffImageType(bytes: Uint8Array): 'png' | 'jpeg' | 'unknown' {
  if (hasPngSignature(bytes)) return 'png';
  if (JPEG_MAGIC.every((b, i) => bytes[i] === b)) return 'jpeg';
  return 'unknown';
}

function hexPrefix(bytes: Uint8Array, n = 8): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decodes a PNG or JPEG and classifies it by content (never by name):
 * 16-bit single channel → depth; 8-bit (or 16-bit) 3/4 channels → colour; 8-bit 1 channel → grey8.
 */
export function decodeImage(bytes: Uint8Array, fileName: string): DecodedImage {
  const type = sniffImageType(bytes);
  if (type !== 'unknown') checkClaimedSize(bytes, fileName, type);
  if (type === 'jpeg') return decodeJpeg(bytes, fileName);
  if (type === 'png') return decodePng(bytes, fileName);
  throw new FormatError(
    `${fileName}: not a PNG or JPEG image (expected the PNG signature 89 50 4e 47 or JPEG ff d8 ff, found ${hexPrefix(bytes) || 'an empty file'})`,
  );
}

/**
 * The most pixels FieldLens decodes from one image (8K × 5K). A header's size is checked against
 * it, and against the bytes that could possibly encode that many pixels, before anything is
 * allocated or decoded: a 50 KB PNG claiming 2³¹ pixels is refused at once.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Deflate expands at most ≈ 1032:1; a PNG's pixel rows cannot come from fewer bytes than this. */
const PNG_MAX_EXPANSION = 1100;
/** A baseline JPEG spends ≥ 2 bits per 8×8 block of each component; progressive EOB runs less: a generous floor. */
const JPEG_MIN_BYTES_PER_MEGAPIXEL = 500;

function claimedSize(bytes: Uint8Array, type: 'png' | 'jpeg'): { width: number; height: number; bitsPerPixel: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'png') {
    if (bytes.length < 26) return null;
    const channels = [1, 0, 3, 1, 2, 0, 4][bytes[25]!] ?? 4;
    return { width: view.getUint32(16), height: view.getUint32(20), bitsPerPixel: Math.max(1, channels * bytes[24]!) };
  }
  // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT/JPG/DAC).
  let at = 2;
  while (at + 9 < bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5), bitsPerPixel: 8 * bytes[at + 9]! };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

function checkClaimedSize(bytes: Uint8Array, fileName: string, type: 'png' | 'jpeg'): void {
  const size = claimedSize(bytes, type);
  if (!size) return;
  const { width, height } = size;
  const pixels = width * height;
  const label = type.toUpperCase();
  if (width === 0 || height === 0) throw new FormatError(`${fileName}: the ${label} header declares an empty ${width}×${height} image`);
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new FormatError(
      `${fileName}: the ${label} header declares ${width}×${height} = ${(pixels / 1e6).toFixed(1)} megapixels; FieldLens decodes at most ${MAX_IMAGE_PIXELS / 1e6} megapixels per image`,
    );
  }
  const needed =
    type === 'png' ? (height * (1 + Math.ceil((width * size.bitsPerPixel) / 8))) / PNG_MAX_EXPANSION : (pixels / 1e6) * JPEG_MIN_BYTES_PER_MEGAPIXEL;
  if (bytes.length < needed) {
    throw new FormatError(
      `${fileName}: the ${label} header declares ${width}×${height} pixels, which cannot fit in the file's ${bytes.length} bytes (at least ${Math.ceil(needed)} expected); the header or the file is damaged`,
    );
  }
}

function decodePng(bytes: Uint8Array, fileName: string): DecodedImage {
  let png;
  try {
    png = decodePngBytes(bytes);
  } catch (error) {
    throw new FormatError(`${fileName}: corrupt or truncated PNG (${(error as Error).message})`, { cause: error });
  }
  const { width, height, depth, channels } = png;
  const pixels = width * height;
  if (png.palette) {
    throw new FormatError(`${fileName}: palette PNG found; expected an RGB colour image or a 16-bit single-channel depth image`);
  }
  if (png.data.length < pixels * channels) {
    throw new FormatError(`${fileName}: truncated PNG (expected ${pixels * channels} samples for ${width}×${height}×${channels}, found ${png.data.length})`);
  }
  if (depth === 16 && channels === 1) {
    // Copy into an array we own: fast-png may return a view into a larger buffer.
    return { kind: 'depth16', width, height, units: Uint16Array.from(png.data as Uint16Array) };
  }
  if (channels === 1 && depth === 8) return { kind: 'grey8', width, height, grey: Uint8Array.from(png.data as Uint8Array) };
  if (channels === 3 || channels === 4) {
    const rgb = new Uint8Array(pixels * 3);
    const shift = depth === 16 ? 8 : 0;
    const src = png.data;
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] = (src[p * channels + c] as number) >> shift;
    }
    return { kind: 'rgb8', width, height, rgb };
  }
  throw new FormatError(
    `${fileName}: unsupported PNG layout (${channels} channel(s), ${depth}-bit); expected 8-bit RGB/RGBA colour or 16-bit single-channel depth`,
  );
}

function decodeJpeg(bytes: Uint8Array, fileName: string): RgbImage {
  let jpeg;
  try {
    jpeg = decodeJpegBytes(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6 });
  } catch (error) {
    throw new FormatError(`${fileName}: corrupt or truncated JPEG (${(error as Error).message})`, { cause: error });
  }
  const pixels = jpeg.width * jpeg.height;
  if (jpeg.data.length !== pixels * 3) {
    throw new FormatError(`${fileName}: unexpected JPEG layout (expected ${pixels * 3} RGB bytes, found ${jpeg.data.length})`);
  }
  return { kind: 'rgb8', width: jpeg.width, height: jpeg.height, rgb: jpeg.data };
}
