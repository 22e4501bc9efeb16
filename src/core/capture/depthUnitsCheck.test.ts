/**
 * Depth-unit plausibility: TUM frames recognised by name, and a warning with the likely scale
 * whenever a frame's median depth lies outside 0.2–10 m. References are computed here from the
 * raw values (sorting), independently of the quickselect under test.
 */
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../testing/fixtureEncoders.ts';
import { readBytes, requireRealData } from '../../testing/realData.ts';
import { mulberry32 } from '../synth/prng.ts';
import { computeBounds } from '../lift/pointCloud.ts';
import { captureSettings } from './captureSettings.ts';
import { looksLikeTum, medianDepth } from './depthUnitsCheck.ts';
import { loadCapture } from './loadCapture.ts';

const sortedMedian = (values: number[]) => {
  const v = values.filter((d) => d > 0 && Number.isFinite(d)).sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

const W = 16;
const H = 12;
const camera = new TextEncoder().encode(JSON.stringify({ width: W, height: H, intrinsic_matrix: [20, 0, 0, 0, 20, 0, 7.5, 5.5, 1] }));
/** A frame whose valid pixels hold `units` (± 2 % spread), a quarter of them missing. */
function depthPng(units: number): Uint8Array {
  const random = mulberry32(3);
  const data = Uint16Array.from({ length: W * H }, (_, i) => (i % 4 === 0 ? 0 : Math.round(units * (0.98 + 0.04 * random()))));
  return encode({ width: W, height: H, data, depth: 16, channels: 1 });
}
const rawMedian = (png: Uint8Array) => sortedMedian(Array.from(decode(png).data as Uint16Array));
const lift = (depthName: string, png: Uint8Array, depthScale: number | 'auto' = 'auto') =>
  loadCapture(
    [
      { name: depthName, bytes: png },
      { name: 'camera.json', bytes: camera },
    ],
    captureSettings({ depthScale }),
  );

describe('median depth', () => {
  it('equals the sorted median over valid values, odd and even counts, ignoring 0, NaN and Infinity', () => {
    const random = mulberry32(11);
    for (const n of [1, 2, 7, 100, 1001]) {
      const values = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? [0, Number.NaN, Infinity][i % 3]! : Math.fround(random() * 8)));
      if (values.every((v) => !(v > 0 && Number.isFinite(v)))) continue;
      expect(medianDepth(Float32Array.from(values))).toBeCloseTo(sortedMedian(values), 6);
    }
    expect(medianDepth(new Float32Array([0, 0]))).toBeNaN();
  });
});

describe('TUM by name', () => {
  it('recognises timestamp names, "tum"/"freiburg" words and rgbd_dataset_freiburg folders, and nothing else', () => {
    for (const yes of [
      '1305031102.175304.png',
      'depth/1305031102.175304.png',
      'TUM_depth.png',
      'tum-depth.png',
      'freiburg1_depth.png',
      'rgbd_dataset_freiburg1_xyz/depth/d.png',
    ])
      expect(looksLikeTum(yes)).toBe(true);
    for (const no of ['depth.png', 'datum_depth.png', 'redwood-tum-nyu-sun/depth/00000.png', '00001.png', '1305031102.png', 'custom_depth.png'])
      expect(looksLikeTum(no)).toBe(false);
  });
});

describe('depth units on Auto', () => {
  it('a generated TUM-scaled frame with a plain name: warned, median at 1000 units/m, suggestion 5000', () => {
    const png = depthPng(12_000); // 2.4 m in TUM's 1/5000 m
    const loaded = lift('d.png', png);
    const warning = loaded.capture.depthScaleWarning!;
    expect(warning.depthScale).toBe(1000);
    expect(warning.medianMetres).toBeCloseTo(rawMedian(png) / 1000, 5);
    expect(warning.suggestedScale).toBe(5000);
    expect(warning.message).toBe(`d.png: median depth ${(rawMedian(png) / 1000).toFixed(1)} m at 1000 units/m — TUM RGB-D uses 5000: try 5000`);
  });

  it('the same frame with a TUM timestamp name is read at 5000 units/m, without a warning', () => {
    const png = depthPng(12_000);
    const loaded = lift('1305031102.175304.png', png);
    expect(loaded.capture.depthScaleWarning).toBeUndefined();
    expect(loaded.capture.detected).toContain('16-bit PNG, 5000 units/m, TUM by its name');
    const maxUnits = Math.max(...(decode(png).data as Uint16Array));
    expect(computeBounds(loaded.cloud.positions, loaded.cloud.count).max[2]).toBeCloseTo(maxUnits / 5000, 5);
  });

  it('an explicit depth scale wins over the name', () => {
    expect(lift('TUM_depth.png', depthPng(1_500), 1000).capture.depthScaleWarning).toBeUndefined();
    expect(lift('TUM_depth.png', depthPng(12_000), 1000).capture.depthScaleWarning?.suggestedScale).toBe(5000);
  });

  it('plausible frames get no warning; implausibly near ones get one without a fitting common scale', () => {
    expect(lift('d.png', depthPng(1_500)).capture.depthScaleWarning).toBeUndefined();
    const near = lift('d.png', depthPng(60)).capture.depthScaleWarning!;
    expect(near.suggestedScale).toBeNull();
    expect(near.message).toMatch(/^d\.png: median depth 0\.06 m at 1000 units\/m \(outside 0\.2–10 m; no common depth scale fits/);
  });

  it('float metres in a .npy are checked without a scale to blame', () => {
    const metres = new Float32Array(W * H).fill(25);
    const loaded = loadCapture(
      [
        { name: 'depth.npy', bytes: encodeNpy(metres, [H, W]) },
        { name: 'camera.json', bytes: camera },
      ],
      captureSettings(),
    );
    expect(loaded.capture.depthScaleWarning).toMatchObject({ depthScale: null, suggestedScale: null, medianMetres: 25 });
  });

  it('posed sequences are checked per frame (ScanNet folder at TUM scale)', () => {
    const record = [
      { name: 'intrinsic/intrinsic_depth.txt', bytes: new TextEncoder().encode('20 0 7.5 0\n0 20 5.5 0\n0 0 1 0\n0 0 0 1\n') },
      { name: 'depth/0.png', bytes: depthPng(1_500) },
      { name: 'depth/1.png', bytes: depthPng(60_000) },
      { name: 'pose/0.txt', bytes: new TextEncoder().encode('1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n') },
      { name: 'pose/1.txt', bytes: new TextEncoder().encode('1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n') },
    ];
    const warning = loadCapture(record, captureSettings()).capture.depthScaleWarning!;
    expect(warning.frame).toBe('depth/1.png');
    expect(warning.suggestedScale).toBe(6553.5);
  });
});

describe('the real TUM frame', () => {
  const dir = 'rgbd/redwood-tum-nyu-sun/other_formats';
  it('named TUM_depth.png, Auto reads it at 5000 units/m: no warning, z = raw / 5000', (ctx) => {
    const depth = readBytes(requireRealData(ctx, join(dir, 'TUM_depth.png')));
    const colour = readBytes(requireRealData(ctx, join(dir, 'TUM_color.png')));
    const loaded = loadCapture(
      [
        { name: 'TUM_color.png', bytes: colour },
        { name: 'TUM_depth.png', bytes: depth },
      ],
      captureSettings({ intrinsicsPresetId: 'primesense-640x480' }),
    );
    expect(loaded.capture.depthScaleWarning).toBeUndefined();
    const raw = decode(depth).data as Uint16Array;
    expect(computeBounds(loaded.cloud.positions, loaded.cloud.count).max[2]).toBeCloseTo(raw.reduce((a, b) => Math.max(a, b), 0) / 5000, 5);
  });

  it('renamed, Auto reads it at 1000 units/m and warns with the raw median / 1000 and "try 5000"', async (ctx) => {
    const depth = readBytes(requireRealData(ctx, join(dir, 'TUM_depth.png')));
    const loaded = loadCapture([{ name: 'depth.png', bytes: depth }], captureSettings({ intrinsicsPresetId: 'primesense-640x480' }));
    const median = rawMedian(depth) / 1000;
    const warning = loaded.capture.depthScaleWarning!;
    expect(warning.medianMetres).toBeCloseTo(median, 5);
    expect(median).toBeGreaterThan(10);
    expect(warning.suggestedScale).toBe(5000);
    expect(warning.message).toBe(`depth.png: median depth ${median.toFixed(1)} m at 1000 units/m — TUM RGB-D uses 5000: try 5000`);
    await ctx.annotate(warning.message);
  });
});
