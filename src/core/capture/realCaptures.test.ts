/**
 * The capture pipeline on real captures from ../shared/data (skipped with the reason when absent).
 * Every reference value is computed here from the raw files with code independent of the parsers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { computeBounds } from '../lift/pointCloud.ts';
import type { CaptureFile } from './captureFiles.ts';
import { loadCapture } from './loadCapture.ts';
import { captureSettings } from './captureSettings.ts';

const lift = (files: CaptureFile[], depthScale: number | 'auto' = 'auto', preset?: string) =>
  loadCapture(files, captureSettings({ depthScale, ...(preset ? { intrinsicsPresetId: preset } : {}) }));

function folderFiles(dir: string, sub: string[]): CaptureFile[] {
  return sub.flatMap((s) => readdirSync(join(dir, s)).map((name) => ({ name: `${s}/${name}`, bytes: readBytes(join(dir, s, name)) })));
}

describe('real captures', () => {
  it('Redwood: four frames fused with trajectory.log overlap in one world frame', async (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun');
    const camera = requireRealData(ctx, 'rgbd/camera_primesense.json');
    const files = [
      ...folderFiles(dir, ['color', 'depth']),
      { name: 'trajectory.log', bytes: readBytes(join(dir, 'trajectory.log')) },
      { name: 'rgbd.match', bytes: readBytes(join(dir, 'rgbd.match')) },
      { name: 'camera_primesense.json', bytes: readBytes(camera) },
    ];
    const loaded = lift(files);
    expect(loaded.capture.format).toBe('open3d-trajectory');
    const frameCount = readdirSync(join(dir, 'depth')).length;
    expect(loaded.capture.views).toHaveLength(frameCount);

    // Independent reference: raw PNG pixels back-projected with fx = fy = 525, cx 319.5, cy 239.5
    // (from the JSON, column-major) and the log's 4×4 rows (header "i i i+1" → frame i).
    const k = JSON.parse(readFileSync(camera, 'utf8')) as { intrinsic_matrix: number[] };
    const [fx, , , , fy, , cx, cy] = k.intrinsic_matrix as [number, number, number, number, number, number, number, number];
    const rows = readFileSync(join(dir, 'trajectory.log'), 'utf8').trim().split('\n');
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    let count = 0;
    const perFrameCentroids: number[][] = [];
    for (let f = 0; f < frameCount; f++) {
      const m = rows.slice(f * 5 + 1, f * 5 + 5).flatMap((r) => r.trim().split(/\s+/).map(Number));
      const png = decode(readFileSync(join(dir, 'depth', `${String(f).padStart(5, '0')}.png`)));
      const sum = [0, 0, 0];
      let n = 0;
      for (let v = 0; v < png.height; v++) {
        for (let u = 0; u < png.width; u++) {
          const d = png.data[v * png.width + u]!;
          if (d === 0) continue;
          const z = d / 1000;
          const x = ((u - cx) * z) / fx;
          const y = ((v - cy) * z) / fy;
          for (let a = 0; a < 3; a++) {
            const w = m[a * 4]! * x + m[a * 4 + 1]! * y + m[a * 4 + 2]! * z + m[a * 4 + 3]!;
            min[a] = Math.min(min[a]!, w);
            max[a] = Math.max(max[a]!, w);
            sum[a]! += w;
          }
          n++;
        }
      }
      count += n;
      perFrameCentroids.push(sum.map((s) => s / n));
    }
    expect(loaded.cloud.count).toBe(count);
    const bounds = computeBounds(loaded.cloud.positions, loaded.cloud.count);
    for (let a = 0; a < 3; a++) {
      expect(bounds.min[a]).toBeCloseTo(min[a]!, 4);
      expect(bounds.max[a]).toBeCloseTo(max[a]!, 4);
    }
    // Overlap: consecutive frames of one room; their centroids lie within 0.5 m of each other.
    for (let f = 1; f < frameCount; f++) {
      const d = Math.hypot(...perFrameCentroids[f]!.map((c, a) => c - perFrameCentroids[0]![a]!));
      expect(d).toBeLessThan(0.5);
    }
    await ctx.annotate(
      `Redwood fused: ${count} points, min [${bounds.min.map((v) => v.toFixed(3)).join(', ')}] max [${bounds.max.map((v) => v.toFixed(3)).join(', ')}] m`,
    );
  });

  it('SUN RGB-D: the bit-rotated depth is detected by content and decoded to millimetres', (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats');
    const depthBytes = readBytes(join(dir, 'SUN_depth.png'));
    const loaded = lift(
      [
        { name: 'SUN_color.jpg', bytes: readBytes(join(dir, 'SUN_color.jpg')) },
        { name: 'SUN_depth.png', bytes: depthBytes },
      ],
      'auto',
      'primesense-640x480',
    );
    expect(loaded.capture.detected).toContain('SUN RGB-D bit-rotated');
    const raw = decode(depthBytes).data as Uint16Array;
    let valid = 0;
    let maxMetres = 0;
    for (const d of raw) {
      const metres = (((d >> 3) | (d << 13)) & 0xffff) / 1000;
      if (metres > 0) valid++;
      maxMetres = Math.max(maxMetres, metres);
    }
    expect(loaded.cloud.count).toBe(valid);
    const bounds = computeBounds(loaded.cloud.positions, loaded.cloud.count);
    expect(bounds.max[2]).toBeCloseTo(maxMetres, 5);
    expect(maxMetres).toBeLessThan(16.384);
  });

  it('NYU Depth v2 raw: big-endian disparity PGM + PPM colour', (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats');
    const pgm = readBytes(join(dir, 'NYU_depth.pgm'));
    const loaded = lift(
      [
        { name: 'NYU_color.ppm', bytes: readBytes(join(dir, 'NYU_color.ppm')) },
        { name: 'NYU_depth.pgm', bytes: pgm },
      ],
      'auto',
      'nyu-kinect-v1',
    );
    // Header "P5 640 480 65535\n", then 16-bit samples. Netpbm says big-endian, but this file's
    // first sample reads 0x07ff = 2047 (Kinect's "no reading") only little-endian — as big-endian it
    // would be 65287, outside the 11-bit disparity range — so it was written byte-swapped.
    const headerEnd = new TextDecoder().decode(pgm.subarray(0, 40)).indexOf('65535') + 6;
    const view = new DataView(pgm.buffer, pgm.byteOffset + headerEnd);
    expect(view.getUint16(0, true)).toBe(2047);
    let valid = 0;
    for (let i = 0; i < 640 * 480; i++) {
      const metres = 351.3 / (1092.5 - view.getUint16(i * 2, true));
      if (metres > 0 && metres <= 7) valid++;
    }
    expect(loaded.cloud.count).toBe(valid);
    expect(loaded.capture.detected).toContain('NYU Depth v2');
    expect(computeBounds(loaded.cloud.positions, loaded.cloud.count).max[2]).toBeLessThanOrEqual(7 + 1e-5);
  });

  it('TUM pair with the TUM depth scale: every valid pixel, z = raw / 5000', (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/other_formats');
    const depthBytes = readBytes(join(dir, 'TUM_depth.png'));
    const loaded = lift(
      [
        { name: 'TUM_color.png', bytes: readBytes(join(dir, 'TUM_color.png')) },
        { name: 'TUM_depth.png', bytes: depthBytes },
      ],
      5000,
      'primesense-640x480',
    );
    const raw = decode(depthBytes).data as Uint16Array;
    const valid = raw.filter((d) => d > 0);
    expect(loaded.cloud.count).toBe(valid.length);
    expect(computeBounds(loaded.cloud.positions, loaded.cloud.count).max[2]).toBeCloseTo(valid.reduce((a, b) => Math.max(a, b), 0) / 5000, 5);
  });

  it('the real SparseDFF rig calibration poses four cameras around one table', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/sparsedff-rig/vis_pcd.ply');
    const loaded = lift([{ name: 'vis_pcd.ply', bytes: readBytes(path) }]);
    expect(loaded.capture.format).toBe('ply');
    // Header vertex count, read independently.
    const header = new TextDecoder().decode(readBytes(path).subarray(0, 600));
    expect(loaded.cloud.count).toBe(Number(/element vertex (\d+)/.exec(header)![1]));
  });
});
