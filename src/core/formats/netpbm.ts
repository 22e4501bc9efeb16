/**
 * Binary Netpbm images: PGM (P5, greyscale) and PPM (P6, RGB). NYU Depth v2 ships its raw Kinect
 * disparity as a 16-bit P5 and its colour as an 8-bit P6.
 *
 * Format (netpbm.sourceforge.net/doc/pgm.html): magic "P5"/"P6", then width, height and maxval as
 * ASCII decimals separated by whitespace, with `#` comments (to the end of the line) allowed between
 * tokens; then exactly ONE whitespace byte, then the raster. Samples are 1 byte when maxval < 256,
 * else 2 bytes, most significant byte FIRST (big-endian), whatever the host's byte order.
 */
import { FormatError } from './formatError.ts';

export interface NetpbmGrey8 {
  readonly kind: 'grey8';
  readonly width: number;
  readonly height: number;
  /** The file's maxval (1..255); samples are kept as stored (not rescaled to 0..255). */
  readonly maxval: number;
  readonly data: Uint8Array;
}

export interface NetpbmGrey16 {
  readonly kind: 'grey16';
  readonly width: number;
  readonly height: number;
  /** The file's maxval (256..65535); samples are kept as stored, in host byte order. */
  readonly maxval: number;
  readonly data: Uint16Array;
}

export interface NetpbmRgb8 {
  readonly kind: 'rgb8';
  readonly width: number;
  readonly height: number;
  /** The file's maxval; samples are rescaled to 0..255 when it is not 255 (16-bit PPMs included). */
  readonly maxval: number;
  /** Row-major, 3 bytes per pixel. */
  readonly data: Uint8Array;
}

export type NetpbmImage = NetpbmGrey8 | NetpbmGrey16 | NetpbmRgb8;

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
const HASH = 0x23;

/** Reads the header's decimal tokens after the 2-byte magic; returns them and the raster offset. */
function readHeader(bytes: Uint8Array, fileName: string, magic: string): { values: number[]; rasterOffset: number } {
  const values: number[] = [];
  let i = 2;
  while (values.length < 3) {
    // Skip whitespace and comments.
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (WHITESPACE.has(b)) i++;
      else if (b === HASH) {
        while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
      } else break;
    }
    if (i >= bytes.length) {
      throw new FormatError(
        `${fileName}: truncated ${magic} header (expected width, height and maxval, found ${values.length} of the 3 numbers before the end of the file)`,
      );
    }
    const start = i;
    while (i < bytes.length && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) i++;
    if (i === start) {
      const found = String.fromCharCode(...bytes.subarray(start, Math.min(start + 12, bytes.length))).replace(/[^\x20-\x7e]/g, '?');
      throw new FormatError(
        `${fileName}: malformed ${magic} header (expected a decimal number for the ${['width', 'height', 'maxval'][values.length]}, found "${found}")`,
      );
    }
    if (i < bytes.length && !WHITESPACE.has(bytes[i]!) && bytes[i] !== HASH) {
      throw new FormatError(
        `${fileName}: malformed ${magic} header (unexpected byte 0x${bytes[i]!.toString(16).padStart(2, '0')} after a number at offset ${i})`,
      );
    }
    values.push(Number(String.fromCharCode(...bytes.subarray(start, i))));
  }
  // Exactly one whitespace byte separates maxval from the raster (a comment may not follow maxval).
  if (i >= bytes.length || !WHITESPACE.has(bytes[i]!)) {
    throw new FormatError(
      `${fileName}: malformed ${magic} header (expected one whitespace byte after maxval, found ${i >= bytes.length ? 'the end of the file' : `byte 0x${bytes[i]!.toString(16)}`})`,
    );
  }
  return { values, rasterOffset: i + 1 };
}

/**
 * Parses a binary PGM (P5) or PPM (P6). P5 with maxval ≤ 255 → grey8, > 255 → grey16 (decoded from
 * big-endian); P6 → rgb8 (8- or 16-bit samples, scaled to 0..255 when maxval ≠ 255).
 */
export function parseNetpbm(bytes: Uint8Array, fileName: string): NetpbmImage {
  if (bytes.length < 2 || bytes[0] !== 0x50 /* P */) {
    const found = bytes.length === 0 ? 'an empty file' : Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new FormatError(`${fileName}: not a Netpbm image (expected "P5" (PGM) or "P6" (PPM) at the start, found ${found})`);
  }
  const variant = String.fromCharCode(bytes[1]!);
  if (variant !== '5' && variant !== '6') {
    const what: Record<string, string> = { '1': 'an ASCII PBM', '2': 'an ASCII PGM', '3': 'an ASCII PPM', '4': 'a binary PBM (1 bit per pixel)', '7': 'a PAM' };
    throw new FormatError(
      `${fileName}: unsupported Netpbm variant P${variant} (${what[variant] ?? 'unknown'}); expected binary P5 (PGM) or P6 (PPM) — re-save it as binary`,
    );
  }
  const magic = `P${variant}`;
  const { values, rasterOffset } = readHeader(bytes, fileName, magic);
  const [width, height, maxval] = values as [number, number, number];
  if (width < 1 || height < 1) throw new FormatError(`${fileName}: ${magic} image size ${width}×${height} (expected a positive width and height)`);
  if (maxval < 1 || maxval > 65535) throw new FormatError(`${fileName}: ${magic} maxval ${maxval} (expected 1..65535)`);
  const channels = variant === '6' ? 3 : 1;
  const bytesPerSample = maxval > 255 ? 2 : 1;
  const samples = width * height * channels;
  const needed = samples * bytesPerSample;
  const available = bytes.length - rasterOffset;
  if (available < needed) {
    throw new FormatError(
      `${fileName}: truncated ${magic} raster (expected ${needed.toLocaleString('en')} bytes for ${width}×${height}${channels === 3 ? '×3' : ''} at ${bytesPerSample * 8} bits, found ${available.toLocaleString('en')})`,
    );
  }
  const raster = bytes.subarray(rasterOffset, rasterOffset + needed);

  if (channels === 1) {
    if (bytesPerSample === 1) return { kind: 'grey8', width, height, maxval, data: Uint8Array.from(raster) };
    const data = new Uint16Array(samples);
    for (let p = 0; p < samples; p++) data[p] = (raster[2 * p]! << 8) | raster[2 * p + 1]!;
    return { kind: 'grey16', width, height, maxval, data };
  }
  const data = new Uint8Array(samples);
  if (bytesPerSample === 1) {
    if (maxval === 255) data.set(raster);
    else for (let s = 0; s < samples; s++) data[s] = Math.min(255, Math.round((raster[s]! * 255) / maxval));
  } else {
    for (let s = 0; s < samples; s++) {
      const v = (raster[2 * s]! << 8) | raster[2 * s + 1]!;
      data[s] = Math.min(255, Math.round((v * 255) / maxval));
    }
  }
  return { kind: 'rgb8', width, height, maxval, data };
}
