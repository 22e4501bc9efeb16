/**
 * Each crasher the fuzz runs found, kept as a small generated file (never a copied one) with the
 * behaviour it must have now: a FormatError naming the file and the problem, a visible warning, or
 * a clean load — fast.
 */
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CAPTURE_SETTING_FIELDS, captureSettings, DEFAULT_CAPTURE_SETTINGS } from '../../core/capture/captureSettings.ts';
import type { CaptureFile } from '../../core/capture/captureFiles.ts';
import { loadCapture, type LoadedCapture } from '../../core/capture/loadCapture.ts';
import { FormatError } from '../../core/formats/formatError.ts';
import { associateByTimestamp } from '../../core/formats/sequences.ts';
import { encodeNpy, matrixRows } from '../fixtureEncoders.ts';
import {
  colourJpeg,
  colourPng,
  concat,
  depthPng,
  H,
  K,
  nerfstudioJson,
  nerfstudioSeed,
  open3dJson,
  rigCalibration,
  rigSeed,
  scanNetSeed,
  sceneJson,
  sceneSeed,
  W,
  zipOf,
} from './fuzzSeeds.ts';

const text = (s: string) => new TextEncoder().encode(s);
const load = (files: CaptureFile[]): LoadedCapture => loadCapture(files, DEFAULT_CAPTURE_SETTINGS);

/** Runs `f`, expects a FormatError whose message matches every pattern, and returns the time it took. */
function refused(f: () => unknown, ...patterns: RegExp[]): number {
  const start = performance.now();
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - start;
  expect(error, 'expected a FormatError').toBeInstanceOf(FormatError);
  for (const p of patterns) expect((error as Error).message).toMatch(p);
  return ms;
}

const frame = (overrides: Partial<Record<'color.png' | 'depth.png' | 'camera.json', Uint8Array>>): CaptureFile[] =>
  Object.entries({ 'color.png': colourPng, 'depth.png': depthPng, 'camera.json': open3dJson, ...overrides }).map(([name, bytes]) => ({ name, bytes }));

function pngClaiming(width: number, height: number): Uint8Array {
  const b = colourPng.slice();
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

const pcdHeader = (fields: string, size: string, type: string, count: string, points: number, data = 'ascii') =>
  `VERSION 0.7\nFIELDS ${fields}\nSIZE ${size}\nTYPE ${type}\nCOUNT ${count}\nWIDTH ${points}\nHEIGHT 1\nPOINTS ${points}\nDATA ${data}\n`;

describe('fuzz regressions', () => {
  it('1. a PCD whose COUNT claims 10⁸ values per field is refused at once', () => {
    const pcd = text(pcdHeader('x y z f', '4 4 4 4', 'F F F F', '1 1 1 100000000', 1) + '0 0 1 0\n');
    expect(refused(() => load([{ name: 'count.pcd', bytes: pcd }]), /^count\.pcd: /, /100,000,00\d values per point/)).toBeLessThan(500);
  });

  it('2. TUM association of 3,000 × 3,000 entries with one colliding timestamp is linear: pairs in input order', () => {
    const a = Array.from({ length: 3000 }, (_, i) => ({ timestamp: 1305031102.1, i }));
    const b = Array.from({ length: 3000 }, (_, i) => ({ timestamp: 1305031102.105, i }));
    const start = performance.now();
    const pairs = associateByTimestamp(a, b);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(pairs).toHaveLength(3000);
    // associate.py's tie order (a's index, then b's): the k-th a takes the k-th b.
    expect(pairs.every((p) => p.a.i === p.b.i)).toBe(true);
  });

  it('3. PNG headers claiming 2³¹−1 × 1 or 30,000 × 30,000 pixels, and a JPEG SOF of 30,000 × 960, are refused before decoding', () => {
    expect(refused(() => load(frame({ 'color.png': pngClaiming(2 ** 31 - 1, 1) })), /^color\.png: /, /2147483647×1/, /megapixels/)).toBeLessThan(500);
    expect(refused(() => load(frame({ 'color.png': pngClaiming(30_000, 30_000) })), /^color\.png: /, /900\.0 megapixels/)).toBeLessThan(500);
    const jpeg = colourJpeg.slice();
    const sof = jpeg.findIndex((v, i) => v === 0xff && jpeg[i + 1] === 0xc0);
    new DataView(jpeg.buffer).setUint16(sof + 5, 960);
    new DataView(jpeg.buffer).setUint16(sof + 7, 30_000);
    const ms = refused(
      () =>
        load([
          { name: 'color.jpg', bytes: jpeg },
          { name: 'depth.png', bytes: depthPng },
          { name: 'camera.json', bytes: open3dJson },
        ]),
      /^color\.jpg: /,
      /30000×960/,
    );
    expect(ms).toBeLessThan(500);
  });

  it('4. a zip entry lying about its size and a zip bomb are refused with the figure, before inflating', () => {
    const zip = zipOf(frame({}));
    const view = new DataView(zip.buffer);
    // The first entry's central-directory record claims 2 GiB uncompressed.
    const central = zip.findIndex((_, i) => i + 4 < zip.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 2 ** 31, true);
    expect(
      refused(() => load([{ name: 'liar.zip', bytes: zip }]), /^liar\.zip: /, /expand to 2\.0 GiB or more from \d+ B; FieldLens expands at most 64\.0 MiB/),
    ).toBeLessThan(500);
    const bomb = zipSync({ 'depth.npy': [new Uint8Array(80 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(refused(() => load([{ name: 'bomb.zip', bytes: bomb }]), /^bomb\.zip: /, /80\.0 MiB/, /zip bomb/)).toBeLessThan(500);
    // A zip inside a zip is a file like any other: not a capture, said so by name.
    refused(() => load([{ name: 'outer.zip', bytes: zipSync({ 'inner.zip': zipOf(frame({})) }) }]), /inner\.zip/);
  });

  it('5. deeply nested JSON is a FormatError, not a stack overflow, in every JSON format', () => {
    const deep = text('['.repeat(100_000) + ']'.repeat(100_000));
    const deepObject = text('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000));
    refused(() => load(frame({ 'camera.json': deep })), /^camera\.json: JSON nested deeper than 64/);
    refused(
      () =>
        load(
          sceneSeed().map((f) => (f.name === 'scene.json' ? { ...f, bytes: concat(text('{"format":"fieldlens-scene@1","x":'), deepObject, text('}')) } : f)),
        ),
      /^scene\.json: /,
    );
    refused(() => load(nerfstudioSeed().map((f) => (f.name === 'transforms.json' ? { ...f, bytes: deepObject } : f))), /transforms\.json: JSON nested/);
    refused(() => load(rigSeed().map((f) => (f.name.endsWith('calibration.json') ? { ...f, bytes: deep } : f))), /calibration\.json: JSON nested/);
  });

  it('6. scene.json with a null view, no pose, no depthScale or a non-rigid pose is refused; rig folders named like prototype keys work', () => {
    const scene = sceneJson() as { views: Record<string, unknown>[] };
    const withScene = (json: unknown) => () => load(sceneSeed(json));
    refused(withScene({ ...scene, views: [null] }), /^scene\.json: view 0 is null/);
    refused(withScene({ ...scene, views: [{ ...scene.views[0], cameraToWorld: undefined }] }), /^scene\.json: view 0 needs "cameraToWorld"/);
    refused(withScene({ ...scene, depthScale: undefined }), /^scene\.json: expected "depthScale"/);
    refused(
      withScene({ ...scene, views: [{ ...scene.views[0], cameraToWorld: [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }] }),
      /^scene\.json \(view 0\): not a rigid camera pose/,
    );
    const cam = (rigCalibration().cameras as Record<string, unknown>).cam0;
    const pose = {
      R: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      T: [0, 0, 0],
    };
    const constructorRig = load(rigSeed({ cameras: { constructor: cam }, camera_poses: { constructor: pose } }, ['constructor']));
    expect(constructorRig.capture.views).toHaveLength(1);
    // cam1 alone (no cam0 folder): matched by name, posed from the calibration.
    const cam1Only = load(rigSeed(rigCalibration(), ['cam1']));
    expect(cam1Only.capture.views!.map((v) => v.name)).toEqual(['cam1']);
    expect(cam1Only.cloud.count).toBeGreaterThan(0);
  });

  it('7. NaN PLY coordinates are left out with a warning; infinite focal lengths, far principal points and impossible options are refused', () => {
    const ply = text('ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 1\nnan 0 1\n1 1 1\n');
    const loaded = loadCapture([{ name: 'nan.ply', bytes: ply }], captureSettings({ voxelSize: 0.01, removeOutliers: true }));
    expect(loaded.counts.lifted).toBe(2);
    expect(loaded.capture.warnings.join('\n')).toMatch(/nan\.ply: 1 points with NaN or infinite coordinates were left out/);
    expect(Array.from(loaded.cloud.positions).every(Number.isFinite)).toBe(true);

    const angle0 = { ...nerfstudioJson(), fl_x: undefined, fl_y: undefined, camera_angle_x: 0 };
    refused(() => load(nerfstudioSeed(angle0)), /transforms\.json: frames\[0\].*not finite/);
    refused(() => load(nerfstudioSeed({ ...nerfstudioJson(), cx: 30_000 })), /transforms\.json: frames\[0\].*principal point/);
    const farJson = text(JSON.stringify({ width: W, height: H, intrinsic_matrix: [K.fx, 0, 0, 0, K.fy, 0, 30_000, K.cy, 1] }));
    refused(() => load(frame({ 'camera.json': farJson })), /^camera\.json: principal point \(cx 30000/);
    refused(
      () => load([...frame({}).filter((f) => f.name !== 'camera.json'), { name: 'k.txt', bytes: text(`${K.fx} ${K.fy} 4000 ${K.cy}\n`) }]),
      /^k\.txt: principal point/,
    );

    // A rigid pose whose position overflows float32 once points are moved by it.
    const far = [1, 0, 0, 1e308, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const scanNet = scanNetSeed().map((f) => (f.name === 'pose/0.txt' ? { ...f, bytes: text(matrixRows(far)) } : f));
    const skipped = load(scanNet);
    expect(skipped.capture.warnings.join('\n')).toMatch(/pose\/0\.txt: camera position 1e\+308 0 0 is not within 1e\+6 m of the origin .* — frame skipped/);
    expect(skipped.capture.views).toHaveLength(1);

    const option = (name: string, raw: string) => () => captureSettings(CAPTURE_SETTING_FIELDS.find((f) => f.cli.name === name)!.parse(raw));
    expect(option('intrinsics', '0,0,0,0')).toThrow(/--intrinsics: expected fx,fy,cx,cy/);
    expect(option('intrinsics', '-500,500,320,240')).toThrow(/--intrinsics/);
    expect(option('max-frames', '0')).toThrow(/--max-frames: expected a whole number ≥ 1, found 0/);
    expect(option('max-frames', '0.5')).toThrow(/--max-frames: expected a whole number ≥ 1, found 0\.5/);
    expect(option('depth-scale', '0')).toThrow(/--depth-scale: expected a positive number, found 0/);
    expect(() => captureSettings({ intrinsics: { fx: 0, fy: 0, cx: 0, cy: 0 } })).toThrow(
      /intrinsics: expected finite fx fy cx cy with positive focal lengths/,
    );
  });

  it('8. silent traps now speak: float .npy depth in millimetres, a 0 × 0 PNG, PLY / PCD data past the declared count', () => {
    const mmFloats = Float32Array.from({ length: W * H }, (_, i) => 800 + i);
    const npyFrame = [
      { name: 'color.png', bytes: colourPng },
      { name: 'depth.npy', bytes: encodeNpy(mmFloats, [H, W]) },
      { name: 'camera.json', bytes: open3dJson },
    ];
    expect(load(npyFrame).capture.depthScaleWarning?.message).toMatch(
      /^depth\.npy: median depth \d+\.\d m .* looks like millimetres saved as floats \(÷ 1000 gives 0\.8\d m\)/,
    );

    refused(() => load(frame({ 'color.png': pngClaiming(0, 0) })), /^color\.png: the PNG header declares an empty 0×0 image/);
    const empty = encode({ width: 1, height: 1, data: new Uint8Array(3), depth: 8, channels: 3 });
    new DataView(empty.buffer).setUint32(16, 0);
    refused(() => load(frame({ 'color.png': empty })), /^color\.png: /);

    const plyAscii = text('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 1\n1 1 1\n2 2 2\n');
    expect(load([{ name: 'more.ply', bytes: plyAscii }]).capture.warnings.join('\n')).toMatch(
      /more\.ply: 2 lines after the elements the header declares were ignored/,
    );
    const plyBinary = concat(
      text('ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n'),
      new Uint8Array(new Float32Array([0, 0, 1, 5, 5, 5]).buffer),
    );
    expect(load([{ name: 'more.ply', bytes: plyBinary }]).capture.warnings.join('\n')).toMatch(/more\.ply: 12 bytes after the elements/);
    const pcd = concat(text(pcdHeader('x y z', '4 4 4', 'F F F', '1 1 1', 1, 'binary')), new Uint8Array(new Float32Array([0, 0, 1, 5, 5, 5]).buffer));
    expect(load([{ name: 'more.pcd', bytes: pcd }]).capture.warnings.join('\n')).toMatch(
      /more\.pcd: 12 bytes after the 1 point the header declares were ignored/,
    );
  });

  it('a header claiming 2³¹ vertices in a small file is refused at once (no allocation from the claim)', () => {
    const ply = text(
      'ply\nformat binary_little_endian 1.0\nelement vertex 2147483648\nproperty float x\nproperty float y\nproperty float z\nend_header\n' + 'x'.repeat(1000),
    );
    expect(refused(() => load([{ name: 'claim.ply', bytes: ply }]), /^claim\.ply: /, /2,147,483,648/)).toBeLessThan(100);
    const pcd = text(pcdHeader('x y z', '4 4 4', 'F F F', '1 1 1', 2 ** 31, 'binary') + 'x'.repeat(1000));
    expect(refused(() => load([{ name: 'claim.pcd', bytes: pcd }]), /^claim\.pcd: /, /2,147,483,648/)).toBeLessThan(100);
  });
});
