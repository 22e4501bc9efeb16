import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { decodeImage } from './images.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';

describe('decodeImage', () => {
  it('keeps all 16 bits of a single-channel PNG and classifies it as depth', () => {
    const values = new Uint16Array([0, 1, 255, 256, 4097, 65535]);
    const png = encode({ width: 3, height: 2, data: values, depth: 16, channels: 1 });
    const image = decodeImage(png, 'depth.png');
    expect(image.kind).toBe('depth16');
    if (image.kind !== 'depth16') return;
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.units)).toEqual(Array.from(values));
  });

  it('classifies 8-bit RGB and RGBA as colour, dropping alpha', () => {
    const rgba = new Uint8Array([10, 20, 30, 255, 40, 50, 60, 0]);
    const image = decodeImage(encode({ width: 2, height: 1, data: rgba, depth: 8, channels: 4 }), 'c.png');
    expect(image.kind).toBe('rgb8');
    if (image.kind === 'rgb8') expect(Array.from(image.rgb)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('reports an 8-bit single-channel PNG as grey8, not depth', () => {
    const image = decodeImage(encode({ width: 2, height: 1, data: new Uint8Array([1, 2]), depth: 8, channels: 1 }), 'd8.png');
    expect(image.kind).toBe('grey8');
  });

  it('names the file and the bytes found for non-images', () => {
    expect(() => decodeImage(new TextEncoder().encode('hello world'), 'depth.png')).toThrow(/depth\.png: not a PNG or JPEG image .*found 68 65 6c 6c/);
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/empty\.png: .*found an empty file/);
  });

  it('rejects a truncated PNG with a message naming the file', () => {
    const png = encode({ width: 64, height: 64, data: new Uint16Array(64 * 64).fill(1234), depth: 16, channels: 1 });
    expect(() => decodeImage(png.subarray(0, png.length >> 1), 'cut.png')).toThrow(/cut\.png: .*(corrupt|truncated)/);
  });

  it('decodes the real TUM depth PNG as 16-bit (values above 255 survive)', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats/TUM_depth.png');
    const image = decodeImage(readBytes(path), 'TUM_depth.png');
    expect(image.kind).toBe('depth16');
    if (image.kind !== 'depth16') return;
    expect([image.width, image.height]).toEqual([640, 480]);
    expect(image.units.reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(255 * 20);
  });

  it('decodes the real Redwood JPEG colour frame', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/color/00000.jpg');
    const image = decodeImage(readBytes(path), '00000.jpg');
    expect(image.kind).toBe('rgb8');
    expect([image.width, image.height]).toEqual([640, 480]);
  });
});
