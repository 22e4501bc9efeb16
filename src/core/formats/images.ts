/**
 * Pure image decoders: bytes in, typed arrays out. PNG through fast-png (keeps 16-bit samples —
 * a canvas would drop depth to 8 bits), JPEG through jpeg-js. Errors name the file and say what
 * was expected and what was found.
 */
import { decode as decodePngBytes, hasPngSignature } from 'fast-png';
import { decode as decodeJpegBytes } from 'jpeg-js';

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
  if (type === 'jpeg') return decodeJpeg(bytes, fileName);
  if (type === 'png') return decodePng(bytes, fileName);
  throw new Error(
    `${fileName}: not a PNG or JPEG image (expected the PNG signature 89 50 4e 47 or JPEG ff d8 ff, found ${hexPrefix(bytes) || 'an empty file'})`,
  );
}

function decodePng(bytes: Uint8Array, fileName: string): DecodedImage {
  let png;
  try {
    png = decodePngBytes(bytes);
  } catch (error) {
    throw new Error(`${fileName}: corrupt or truncated PNG (${(error as Error).message})`, { cause: error });
  }
  const { width, height, depth, channels } = png;
  const pixels = width * height;
  if (png.palette) {
    throw new Error(`${fileName}: palette PNG found; expected an RGB colour image or a 16-bit single-channel depth image`);
  }
  if (png.data.length < pixels * channels) {
    throw new Error(`${fileName}: truncated PNG (expected ${pixels * channels} samples for ${width}×${height}×${channels}, found ${png.data.length})`);
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
  throw new Error(`${fileName}: unsupported PNG layout (${channels} channel(s), ${depth}-bit); expected 8-bit RGB/RGBA colour or 16-bit single-channel depth`);
}

function decodeJpeg(bytes: Uint8Array, fileName: string): RgbImage {
  let jpeg;
  try {
    jpeg = decodeJpegBytes(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new Error(`${fileName}: corrupt or truncated JPEG (${(error as Error).message})`, { cause: error });
  }
  const pixels = jpeg.width * jpeg.height;
  if (jpeg.data.length !== pixels * 3) {
    throw new Error(`${fileName}: unexpected JPEG layout (expected ${pixels * 3} RGB bytes, found ${jpeg.data.length})`);
  }
  return { kind: 'rgb8', width: jpeg.width, height: jpeg.height, rgb: jpeg.data };
}
