import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { loadCapture } from './loadCapture.ts';
import { decodeImage } from '../formats/images.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { join } from 'node:path';
import { captureSettings, type CaptureSettingsInput } from './captureSettings.ts';

const W = 8;
const H = 6;
const depthUnits = Uint16Array.from({ length: W * H }, (_, i) => (i % 5 === 0 ? 0 : 500 + i * 10));
const depthPng = encode({ width: W, height: H, data: depthUnits, depth: 16, channels: 1 });
const colourPng = encode({ width: W, height: H, data: new Uint8Array(W * H * 3).fill(90), depth: 8, channels: 3 });
const open3dJson = (w: number, h: number) =>
  new TextEncoder().encode(JSON.stringify({ width: w, height: h, intrinsic_matrix: [10, 0, 0, 0, 12, 0, 3.5, 2.5, 1] }));

/** One frame through the whole pipeline, as the worker and the CLI run it. */
function assembleRgbdFrame(files: { name: string; bytes: Uint8Array }[], options: CaptureSettingsInput) {
  const loaded = loadCapture(files, captureSettings(options));
  const view = loaded.capture.views![0]!;
  return { cloud: loaded.cloud, capture: loaded.capture, intrinsics: view.intrinsics };
}

describe('single RGB-D frame', () => {
  it('tells depth from colour by content, whatever the names, and lifts one point per valid pixel', () => {
    const { cloud, capture } = assembleRgbdFrame(
      [
        { name: 'b.png', bytes: colourPng },
        { name: 'a.png', bytes: depthPng },
        { name: 'cam.json', bytes: open3dJson(W, H) },
      ],
      { depthScale: 'auto' },
    );
    expect(capture.format).toBe('rgbd-frame');
    expect(capture.detected).toBe('RGB-D frame: b.png + a.png (16-bit PNG, 1000 units/m), intrinsics from cam.json');
    expect(Array.from(cloud.colors.subarray(0, 3))).toEqual([90, 90, 90]);
    expect(cloud.count).toBe(depthUnits.filter((d) => d > 0).length);
    // pixel 1 = (u 1, v 0), 510 units → z = 0.51 m; fx 10 fy 12 cx 3.5 cy 2.5 from the column-major matrix
    expect(cloud.positions[2]).toBeCloseTo(0.51, 6);
    expect(cloud.positions[0]).toBeCloseTo(((1 - 3.5) * 0.51) / 10, 6);
    expect(cloud.positions[1]).toBeCloseTo(((0 - 2.5) * 0.51) / 12, 6);
  });

  it('scales intrinsics given for another resolution of the same aspect', () => {
    const { intrinsics } = assembleRgbdFrame(
      [
        { name: 'd.png', bytes: depthPng },
        { name: 'k.json', bytes: open3dJson(W * 2, H * 2) },
      ],
      { depthScale: 1000 },
    );
    expect(intrinsics.fx).toBeCloseTo(5, 9);
    expect(intrinsics.cx).toBeCloseTo((3.5 + 0.5) / 2 - 0.5, 9);
  });

  it('uses a preset when no JSON is dropped', () => {
    const { capture, intrinsics } = assembleRgbdFrame([{ name: 'd.png', bytes: depthPng }], { depthScale: 1000, intrinsicsPresetId: 'primesense-640x480' });
    expect(capture.detected).toMatch(/intrinsics from preset primesense-640x480$/);
    expect(intrinsics.fx).toBeCloseTo((525 * W) / 640, 9);
  });

  describe('bad input gives a specific message naming the file', () => {
    it('non-PNG depth', () => {
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'depth.png', bytes: new TextEncoder().encode('not a png') },
            { name: 'k.json', bytes: open3dJson(W, H) },
          ],
          { depthScale: 1000 },
        ),
      ).toThrow(/^depth\.png: not a PNG or JPEG image \(expected the PNG signature/);
    });
    it('8-bit depth PNG', () => {
      const d8 = encode({ width: W, height: H, data: new Uint8Array(W * H).fill(3), depth: 8, channels: 1 });
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'rgb.png', bytes: colourPng },
            { name: 'depth8.png', bytes: d8 },
            { name: 'k.json', bytes: open3dJson(W, H) },
          ],
          { depthScale: 1000 },
        ),
      ).toThrow(/^depth8\.png: expected a 16-bit single-channel depth PNG, found an 8-bit greyscale PNG/);
    });
    it('mismatched colour and depth sizes', () => {
      const big = encode({ width: W * 2, height: H, data: new Uint8Array(W * 2 * H * 3), depth: 8, channels: 3 });
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'rgb.png', bytes: big },
            { name: 'depth.png', bytes: depthPng },
            { name: 'k.json', bytes: open3dJson(W, H) },
          ],
          { depthScale: 1000 },
        ),
      ).toThrow(/^rgb\.png: colour is 16×6 but depth depth\.png is 8×6/);
    });
    it('missing intrinsics', () => {
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'rgb.png', bytes: colourPng },
            { name: 'depth.png', bytes: depthPng },
          ],
          { depthScale: 1000 },
        ),
      ).toThrow(/^depth\.png: no camera intrinsics — expected an intrinsics file/);
    });
    it('no depth at all', () => {
      expect(() => assembleRgbdFrame([{ name: 'rgb.png', bytes: colourPng }], { depthScale: 1000 })).toThrow(
        /no depth image among the dropped files: expected a 16-bit single-channel PNG.*found rgb\.png/,
      );
    });
    it('malformed intrinsics JSON', () => {
      const bad = new TextEncoder().encode(JSON.stringify({ fx: 1 }));
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'depth.png', bytes: depthPng },
            { name: 'cam.json', bytes: bad },
          ],
          { depthScale: 1000 },
        ),
      ).toThrow(/^cam\.json: no intrinsics found \(expected Open3D .*found keys fx$/);
    });
    it('bad depth scale', () => {
      expect(() =>
        assembleRgbdFrame(
          [
            { name: 'depth.png', bytes: depthPng },
            { name: 'k.json', bytes: open3dJson(W, H) },
          ],
          { depthScale: 0 },
        ),
      ).toThrow(/depth scale: expected a positive number/);
    });
  });

  it('real TUM pair: one point per non-zero depth pixel, z = raw / 5000', (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats');
    const depthBytes = readBytes(join(dir, 'TUM_depth.png'));
    const { cloud } = assembleRgbdFrame(
      [
        { name: 'TUM_color.png', bytes: readBytes(join(dir, 'TUM_color.png')) },
        { name: 'TUM_depth.png', bytes: depthBytes },
      ],
      { depthScale: 5000, intrinsicsPresetId: 'primesense-640x480' },
    );
    // Independent reference: count and mean depth straight from the decoded raw pixels.
    const raw = decodeImage(depthBytes, 'TUM_depth.png');
    if (raw.kind !== 'depth16') throw new Error('TUM depth did not decode as 16-bit');
    let valid = 0;
    let sumZ = 0;
    for (const d of raw.units) {
      if (d === 0) continue;
      valid++;
      sumZ += d / 5000;
    }
    expect(cloud.count).toBe(valid);
    let cloudSumZ = 0;
    for (let i = 0; i < cloud.count; i++) cloudSumZ += cloud.positions[i * 3 + 2]!;
    expect(cloudSumZ / cloud.count).toBeCloseTo(sumZ / valid, 4);
  });
});
