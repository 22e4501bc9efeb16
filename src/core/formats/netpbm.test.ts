import { describe, expect, it } from 'vitest';
import { parseNetpbm } from './netpbm.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const file = (header: string, raster: number[]) => new Uint8Array([...ascii(header), ...raster]);

describe('parseNetpbm', () => {
  it('reads an 8-bit P5 with comments anywhere in the header', () => {
    const image = parseNetpbm(file('P5\n# made by hand\n3 # width\n2\n# maxval next\n255\n', [0, 1, 2, 253, 254, 255]), 'g.pgm');
    expect(image).toMatchObject({ kind: 'grey8', width: 3, height: 2, maxval: 255 });
    expect(Array.from(image.data)).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('keeps 8-bit grey samples as stored when maxval < 255', () => {
    const image = parseNetpbm(file('P5 2 1 15\n', [3, 15]), 'g.pgm');
    expect(image.kind).toBe('grey8');
    expect(Array.from(image.data)).toEqual([3, 15]);
  });

  it('reads a 16-bit P5 most significant byte first', () => {
    // 0x1234 is stored 12 34; 2047 (0x07ff) is stored 07 ff.
    const image = parseNetpbm(file('P5 4 1 65535\n', [0x12, 0x34, 0x07, 0xff, 0x00, 0x01, 0xff, 0xff]), 'd.pgm');
    expect(image).toMatchObject({ kind: 'grey16', width: 4, height: 1, maxval: 65535 });
    expect(image.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(image.data)).toEqual([0x1234, 2047, 1, 65535]);
  });

  it('uses 2 bytes per sample as soon as maxval exceeds 255', () => {
    const image = parseNetpbm(file('P5 1 1 256\n', [0x01, 0x00]), 'd.pgm');
    expect(image.kind).toBe('grey16');
    expect(Array.from(image.data)).toEqual([256]);
  });

  it('reads an 8-bit P6 as RGB triplets', () => {
    const image = parseNetpbm(file('P6\n#c\n2 1\n255\n', [10, 20, 30, 40, 50, 60]), 'c.ppm');
    expect(image).toMatchObject({ kind: 'rgb8', width: 2, height: 1 });
    expect(Array.from(image.data)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('reduces a 16-bit P6 to 8 bits (v · 255 / maxval, big-endian samples)', () => {
    // 65535 → 255, 257 (01 01) → 1, 32896 (80 80) → 128, 0 → 0.
    const image = parseNetpbm(file('P6 2 1 65535\n', [0xff, 0xff, 0x01, 0x01, 0x80, 0x80, 0, 0, 0, 0, 0xff, 0xff]), 'c16.ppm');
    expect(image.kind).toBe('rgb8');
    expect(Array.from(image.data)).toEqual([255, 1, 128, 0, 0, 255]);
  });

  it('rescales 8-bit P6 samples when maxval is not 255', () => {
    const image = parseNetpbm(file('P6 1 1 15\n', [15, 0, 5]), 'c.ppm');
    expect(Array.from(image.data)).toEqual([255, 0, 85]);
  });

  it('treats a byte after the single separator as raster data, even if it is whitespace', () => {
    // 0x20 and 0x0a are pixel values here, not header whitespace.
    const image = parseNetpbm(file('P5 2 1 255\n', [0x20, 0x0a]), 'g.pgm');
    expect(Array.from(image.data)).toEqual([0x20, 0x0a]);
  });

  it('names the file and the sizes for a truncated raster', () => {
    expect(() => parseNetpbm(file('P5 4 4 65535\n', [1, 2, 3]), 'cut.pgm')).toThrow(
      /cut\.pgm: truncated P5 raster \(expected 32 bytes for 4×4 at 16 bits, found 3\)/,
    );
    expect(() => parseNetpbm(file('P6 2 2 255\n', new Array<number>(11).fill(0)), 'cut.ppm')).toThrow(
      /cut\.ppm: truncated P6 raster \(expected 12 bytes .*found 11\)/,
    );
  });

  it('rejects other Netpbm variants, non-Netpbm files and malformed headers', () => {
    expect(() => parseNetpbm(file('P2 1 1 255\n', ascii('7')), 'a.pgm')).toThrow(/a\.pgm: unsupported Netpbm variant P2 \(an ASCII PGM\)/);
    expect(() => parseNetpbm(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'x.pgm')).toThrow(/x\.pgm: not a Netpbm image .*found 89 50 4e 47/);
    expect(() => parseNetpbm(new Uint8Array(0), 'e.pgm')).toThrow(/e\.pgm: .*an empty file/);
    expect(() => parseNetpbm(file('P5 3 x 255\n', []), 'h.pgm')).toThrow(
      /h\.pgm: malformed P5 header \(expected a decimal number for the height, found "x 255/,
    );
    expect(() => parseNetpbm(file('P5 3 2', []), 'h.pgm')).toThrow(/h\.pgm: truncated P5 header \(expected width, height and maxval, found 2 of the 3/);
    expect(() => parseNetpbm(file('P5 0 2 255\n', []), 'z.pgm')).toThrow(/z\.pgm: P5 image size 0×2/);
    expect(() => parseNetpbm(file('P5 1 1 70000\n', [0, 0, 0]), 'm.pgm')).toThrow(/m\.pgm: P5 maxval 70000 \(expected 1\.\.65535\)/);
  });

  it('reads the real NYU raw depth PGM: 640×480, 16-bit, samples decoded big-endian per the PGM spec', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/NYU_depth.pgm');
    const bytes = readBytes(path);
    const image = parseNetpbm(bytes, 'NYU_depth.pgm');
    expect(image).toMatchObject({ kind: 'grey16', width: 640, height: 480, maxval: 65535 });
    if (image.kind !== 'grey16') return;
    // Independent reference: the last 640·480·2 bytes are the raster; combine each pair big-endian.
    const raster = bytes.subarray(bytes.length - 640 * 480 * 2);
    let maxBigEndian = 0;
    for (let i = 0; i < raster.length; i += 2) maxBigEndian = Math.max(maxBigEndian, raster[i]! * 256 + raster[i + 1]!);
    expect(image.data.reduce((a, b) => Math.max(a, b), 0)).toBe(maxBigEndian);
    expect(image.data[0]).toBe(raster[0]! * 256 + raster[1]!);
    expect(image.data[640 * 480 - 1]).toBe(raster[raster.length - 2]! * 256 + raster[raster.length - 1]!);
  });

  it('reads the real NYU colour PPM: 640×480 RGB, first pixel = the first raster bytes', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/NYU_color.ppm');
    const bytes = readBytes(path);
    const image = parseNetpbm(bytes, 'NYU_color.ppm');
    expect(image).toMatchObject({ kind: 'rgb8', width: 640, height: 480 });
    const raster = bytes.subarray(bytes.length - 640 * 480 * 3);
    expect(Array.from(image.data.subarray(0, 6))).toEqual(Array.from(raster.subarray(0, 6)));
    expect(image.data.length).toBe(640 * 480 * 3);
  });
});
