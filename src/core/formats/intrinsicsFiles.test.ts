import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIntrinsicsFile } from './intrinsicsFiles.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { encodeNpy } from '../../testing/fixtureEncoders.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

// ScanNet scene0000_00's published calibration (intrinsic_depth for 640×480, intrinsic_color for 1296×968).
const SCANNET_DEPTH =
  '577.590698 0.000000 318.905426 0.000000\n0.000000 578.729797 242.683609 0.000000\n0.000000 0.000000 1.000000 0.000000\n0.000000 0.000000 0.000000 1.000000\n';
const SCANNET_COLOR =
  '1170.187988 0.000000 647.750000 0.000000\n0.000000 1170.187988 483.750000 0.000000\n0.000000 0.000000 1.000000 0.000000\n0.000000 0.000000 0.000000 1.000000\n';

describe('parseIntrinsicsFile', () => {
  it('reads ScanNet 4×4 intrinsic files, taking the size from the image', () => {
    expect(parseIntrinsicsFile(utf8(SCANNET_DEPTH), 'intrinsic/intrinsic_depth.txt', { width: 640, height: 480 })).toEqual({
      width: 640,
      height: 480,
      fx: 577.590698,
      fy: 578.729797,
      cx: 318.905426,
      cy: 242.683609,
    });
    expect(parseIntrinsicsFile(utf8(SCANNET_COLOR), 'intrinsic_color.txt', { width: 1296, height: 968 })).toMatchObject({
      fx: 1170.187988,
      cx: 647.75,
      cy: 483.75,
    });
  });

  it('needs an image size for files without one', () => {
    expect(() => parseIntrinsicsFile(utf8(SCANNET_DEPTH), 'intrinsic_depth.txt')).toThrow(
      /intrinsic_depth\.txt: the 4×4 intrinsic matrix has no image size; expected width and height in the file, or the size of the image/,
    );
    expect(() => parseIntrinsicsFile(utf8('525 525 319.5 239.5'), 'k.txt')).toThrow(/k\.txt: "fx fy cx cy" has no image size/);
  });

  it('refuses intrinsics whose principal point lies outside the given image (colour intrinsics on the depth image)', () => {
    expect(() => parseIntrinsicsFile(utf8(SCANNET_COLOR), 'intrinsic_color.txt', { width: 640, height: 480 })).toThrow(
      /intrinsic_color\.txt: principal point \(cx 647\.75, cy 483\.75\) lies outside the 640×480 image \(size from the image\)/,
    );
  });

  it('reads plain "fx fy cx cy" with or without "width height"', () => {
    expect(parseIntrinsicsFile(utf8('525 525 319.5 239.5\n'), 'cam.txt', { width: 640, height: 480 })).toEqual({
      width: 640,
      height: 480,
      fx: 525,
      fy: 525,
      cx: 319.5,
      cy: 239.5,
    });
    // The file's own size wins over the image's.
    expect(parseIntrinsicsFile(utf8('# fx fy cx cy w h\n415.69 415.69 319.5 239.5 640 480'), 'cam.txt', { width: 320, height: 240 })).toEqual({
      width: 640,
      height: 480,
      fx: 415.69,
      fy: 415.69,
      cx: 319.5,
      cy: 239.5,
    });
  });

  it('catches numbers in another order', () => {
    expect(() => parseIntrinsicsFile(utf8('640 480 525 525 319.5 239.5'), 'cam.txt')).toThrow(/cam\.txt: invalid image size 319\.5×239\.5/);
    expect(() => parseIntrinsicsFile(utf8('319.5 239.5 525 525 640 480'), 'cam.txt')).toThrow(
      /cam\.txt: principal point \(cx 525, cy 525\) lies outside the 640×480 image/,
    );
  });

  it('reads a bare 3×3 K as 9 numbers (rows)', () => {
    expect(parseIntrinsicsFile(utf8('500 0 320\n0 510 240\n0 0 1\n'), 'K.txt', { width: 640, height: 480 })).toEqual({
      width: 640,
      height: 480,
      fx: 500,
      fy: 510,
      cx: 320,
      cy: 240,
    });
  });

  it('names what it found for other counts and for words', () => {
    expect(() => parseIntrinsicsFile(utf8('1 2 3 4 5'), 'odd.txt', { width: 8, height: 8 })).toThrow(/odd\.txt: 5 numbers; expected 16 .*9 .*4 .*or 6/);
    expect(() => parseIntrinsicsFile(utf8('fx=525 fy=525'), 'words.txt', { width: 8, height: 8 })).toThrow(
      /words\.txt: expected numbers only .*found "fx=525"/,
    );
    expect(() => parseIntrinsicsFile(utf8('   \n'), 'blank.txt')).toThrow(/blank\.txt: empty intrinsics file/);
  });

  it('rejects a 4×4 that is not a pinhole matrix', () => {
    const skewed = '500 0 320 0\n0 500 240 0\n0.5 0 1 0\n0 0 0 1';
    expect(() => parseIntrinsicsFile(utf8(skewed), 'intrinsic_color.txt', { width: 640, height: 480 })).toThrow(
      /intrinsic_color\.txt: 16 numbers but not a 4×4 pinhole matrix/,
    );
  });

  it('reads a 3×3 float64 .npy K (SparseDFF intrinsic.npy), row-major', () => {
    const K = new Float64Array([1830.97, 0, 1911.31, 0, 1830.52, 1104.3, 0, 0, 1]);
    const k = parseIntrinsicsFile(encodeNpy(K, [3, 3]), 'cam0/intrinsic.npy', { width: 3840, height: 2160 });
    expect(k).toEqual({ width: 3840, height: 2160, fx: 1830.97, fy: 1830.52, cx: 1911.31, cy: 1104.3 });
  });

  it('names the shape of a .npy that is not 3×3, and needs a size for a .npy K', () => {
    expect(() => parseIntrinsicsFile(encodeNpy(new Float64Array(16), [4, 4]), 'intrinsic.npy', { width: 8, height: 8 })).toThrow(
      /intrinsic\.npy: expected a 3×3 intrinsic matrix K, found an array of shape \[4, 4\]/,
    );
    const K = new Float64Array([500, 0, 320, 0, 500, 240, 0, 0, 1]);
    expect(() => parseIntrinsicsFile(encodeNpy(K, [3, 3]), 'intrinsic.npy')).toThrow(/intrinsic\.npy: the 3×3 K has no image size/);
    expect(() => parseIntrinsicsFile(utf8('not numpy'), 'intrinsic.npy')).toThrow(/intrinsic\.npy: not a NumPy \.npy file/);
  });

  it('rejects a .npy K that is not a pinhole matrix', () => {
    const K = new Float64Array([500, 0, 320, 0, 500, 240, 0, 0, 2]);
    expect(() => parseIntrinsicsFile(encodeNpy(K, [3, 3]), 'intrinsic.npy', { width: 640, height: 480 })).toThrow(
      /intrinsic\.npy: "K" is not a pinhole matrix/,
    );
  });

  it('reads multical-style JSON with K rows and image_size [w, h]', () => {
    const json = JSON.stringify({
      model: 'standard',
      image_size: [1280, 720],
      K: [
        [600, 0, 640],
        [0, 601, 360],
        [0, 0, 1],
      ],
      dist: [[0, 0, 0, 0, 0]],
    });
    expect(parseIntrinsicsFile(utf8(json), 'cam.json')).toEqual({ width: 1280, height: 720, fx: 600, fy: 601, cx: 640, cy: 360 });
    const noSize = JSON.stringify({
      K: [
        [600, 0, 640],
        [0, 601, 360],
        [0, 0, 1],
      ],
    });
    expect(parseIntrinsicsFile(utf8(noSize), 'cam.json', { width: 1280, height: 720 })).toMatchObject({ width: 1280, height: 720 });
  });

  it('asks which camera when a JSON holds several, and reads the one named', () => {
    const K = (f: number) => [
      [f, 0, 640],
      [0, f, 360],
      [0, 0, 1],
    ];
    const json = JSON.stringify({ cameras: { cam0: { image_size: [1280, 720], K: K(600) }, cam1: { image_size: [1280, 720], K: K(700) } } });
    expect(() => parseIntrinsicsFile(utf8(json), 'intrinsic.json')).toThrow(/intrinsic\.json: holds 2 cameras \(cam0, cam1\); expected one camera/);
    expect(parseIntrinsicsFile(utf8(json), 'intrinsic.json', undefined, { camera: 'cam1' }).fx).toBe(700);
    const single = JSON.stringify({ cameras: { cam0: { image_size: [1280, 720], K: K(600) } } });
    expect(parseIntrinsicsFile(utf8(single), 'intrinsic.json').fx).toBe(600);
  });

  it('reads JSON with plain fx fy cx cy and width/height (or w/h)', () => {
    expect(parseIntrinsicsFile(utf8('{"fx": 525, "fy": 526, "cx": 319.5, "cy": 239.5, "width": 640, "height": 480}'), 'k.json')).toEqual({
      width: 640,
      height: 480,
      fx: 525,
      fy: 526,
      cx: 319.5,
      cy: 239.5,
    });
    expect(parseIntrinsicsFile(utf8('{"camera": {"w": 1200, "h": 680, "fx": 600, "fy": 600, "cx": 599.5, "cy": 339.5}}'), 'cam_params.json')).toMatchObject({
      width: 1200,
      height: 680,
    });
  });

  it('says what keys it found in an unrecognised JSON', () => {
    expect(() => parseIntrinsicsFile(utf8('{"focal": 500}'), 'x.json', { width: 8, height: 8 })).toThrow(/x\.json: no intrinsics found .*found keys focal/);
    expect(() => parseIntrinsicsFile(utf8('{"K": [1, 2]'), 'broken.json')).toThrow(/broken\.json: not valid JSON/);
  });

  it('delegates Open3D JSON (column-major intrinsic_matrix)', () => {
    const json = JSON.stringify({ width: 640, height: 480, intrinsic_matrix: [525, 0, 0, 0, 525, 0, 319.5, 239.5, 1] });
    expect(parseIntrinsicsFile(utf8(json), 'camera.json')).toEqual({ width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 });
  });

  it('reads the real Open3D camera_primesense.json', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/camera_primesense.json');
    expect(parseIntrinsicsFile(readBytes(path), 'camera_primesense.json')).toEqual({ width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 });
  });

  it('reads the real SparseDFF factory intrinsic.json, one named camera at a time', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/sparsedff-rig/intrinsic.json');
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { cameras: Record<string, { K: number[][]; image_size: number[] }> };
    const names = Object.keys(raw.cameras);
    expect(names.length).toBe(4);
    expect(() => parseIntrinsicsFile(readBytes(path), 'intrinsic.json')).toThrow(/holds 4 cameras/);
    for (const name of names) {
      const k = parseIntrinsicsFile(readBytes(path), 'intrinsic.json', undefined, { camera: name });
      const ref = raw.cameras[name]!;
      expect(k).toEqual({ width: ref.image_size[0], height: ref.image_size[1], fx: ref.K[0]![0], fy: ref.K[1]![1], cx: ref.K[0]![2], cy: ref.K[1]![2] });
      expect([k.width, k.height]).toEqual([3840, 2160]);
    }
  });
});
