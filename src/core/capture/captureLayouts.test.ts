/**
 * Every posed multi-view layout FieldLens reads, built from the same 4 rendered demo views, must
 * lift to the same fused cloud as the FieldLens scene.json of those views: this checks each
 * format's pose convention (TUM quaternions, nerfstudio's OpenGL frame and corner-origin cx/cy,
 * multical world-to-camera extrinsics, ScanNet / Open3D 4×4 rows) end to end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../testing/realData.ts';
import { encodeNpy, invertRigid4, matrixRows, openCvToOpenGl, rotationToQuaternion } from '../../testing/fixtureEncoders.ts';
import type { CaptureFile } from './captureFiles.ts';
import { loadCapture, type LoadedCapture } from './loadCapture.ts';
import { captureSettings, DEFAULT_CAPTURE_SETTINGS } from './captureSettings.ts';

interface DemoView {
  name: string;
  color: string;
  depth: string;
  intrinsics: { width: number; height: number; fx: number; fy: number; cx: number; cy: number };
  cameraToWorld: number[];
}
const demoDir = join(repoRoot, 'public/demo');
const sceneText = readFileSync(join(demoDir, 'scene.json'), 'utf8');
const views = (JSON.parse(sceneText) as { views: DemoView[] }).views;
const bytes = (name: string) => new Uint8Array(readFileSync(join(demoDir, name)));
const text = (s: string) => new TextEncoder().encode(s);
const files = (record: Record<string, Uint8Array>): CaptureFile[] => Object.entries(record).map(([name, b]) => ({ name, bytes: b }));
const load = (f: CaptureFile[]) => loadCapture(f, DEFAULT_CAPTURE_SETTINGS);

const reference = load(
  files({
    'scene.json': text(sceneText),
    ...Object.fromEntries(
      views.flatMap((v) => [
        [v.color, bytes(v.color)],
        [v.depth, bytes(v.depth)],
      ]),
    ),
  }),
);

function expectSameCloud(actual: LoadedCapture, tolerance = 1e-5): void {
  expect(actual.cloud.count).toBe(reference.cloud.count);
  let maxError = 0;
  for (let i = 0; i < actual.cloud.positions.length; i++) maxError = Math.max(maxError, Math.abs(actual.cloud.positions[i]! - reference.cloud.positions[i]!));
  expect(maxError).toBeLessThan(tolerance);
  expect(Array.from(actual.cloud.colors.subarray(0, 3000))).toEqual(Array.from(reference.cloud.colors.subarray(0, 3000)));
  expect(actual.capture.views).toHaveLength(4);
}

describe('posed multi-view layouts fuse to the same cloud', () => {
  it('reference: scene.json lifts one point per valid depth pixel of every view', () => {
    const valid = views.reduce((n, v) => n + (decode(bytes(v.depth)).data as Uint16Array).filter((d) => d > 0).length, 0);
    expect(reference.cloud.count).toBe(valid);
    expect(reference.capture.format).toBe('fieldlens-scene');
  });

  it('ScanNet folder (color/, depth/, pose/, intrinsic/)', () => {
    const k = views[0]!.intrinsics;
    const record: Record<string, Uint8Array> = {
      'intrinsic/intrinsic_depth.txt': text(matrixRows([k.fx, 0, k.cx, 0, 0, k.fy, k.cy, 0, 0, 0, 1, 0, 0, 0, 0, 1])),
    };
    views.forEach((v, i) =>
      Object.assign(record, { [`color/${i}.png`]: bytes(v.color), [`depth/${i}.png`]: bytes(v.depth), [`pose/${i}.txt`]: text(matrixRows(v.cameraToWorld)) }),
    );
    const loaded = load(files(record));
    expect(loaded.capture.format).toBe('scannet');
    expectSameCloud(loaded);
  });

  it('Open3D trajectory.log + rgbd.match + camera JSON', () => {
    const k = views[0]!.intrinsics;
    const record: Record<string, Uint8Array> = {
      'camera_intrinsic.json': text(JSON.stringify({ width: k.width, height: k.height, intrinsic_matrix: [k.fx, 0, 0, 0, k.fy, 0, k.cx, k.cy, 1] })),
      'trajectory.log': text(views.map((v, i) => `${i} ${i} ${i + 1}\n${matrixRows(v.cameraToWorld)}`).join('\n')),
      'rgbd.match': text(views.map((_, i) => `depth/${i}.png color/${i}.png`).join('\n')),
    };
    views.forEach((v, i) => Object.assign(record, { [`color/${i}.png`]: bytes(v.color), [`depth/${i}.png`]: bytes(v.depth) }));
    const loaded = load(files(record));
    expect(loaded.capture.format).toBe('open3d-trajectory');
    expectSameCloud(loaded);
  });

  it('TUM sequence (rgb.txt, depth.txt, groundtruth.txt with x y z w quaternions), depth scale 5000', () => {
    const record: Record<string, Uint8Array> = {};
    const stamp = (i: number) => (1305031100 + i * 0.5).toFixed(6);
    const rgb: string[] = ['# color images'];
    const depth: string[] = ['# depth maps'];
    const gt: string[] = ['# timestamp tx ty tz qx qy qz qw'];
    views.forEach((v, i) => {
      // TUM depth is in 1/5000 m: rescale the demo's millimetres (exact: ×5).
      const mm = decode(bytes(v.depth));
      const units = Uint16Array.from(mm.data as Uint16Array, (d) => d * 5);
      record[`depth/${stamp(i)}.png`] = encodePng16(units, mm.width, mm.height);
      record[`rgb/${stamp(i)}.png`] = bytes(v.color);
      depth.push(`${stamp(i)} depth/${stamp(i)}.png`);
      rgb.push(`${(Number(stamp(i)) + 0.004).toFixed(6)} rgb/${stamp(i)}.png`);
      const [qx, qy, qz, qw] = rotationToQuaternion(v.cameraToWorld);
      gt.push(`${(Number(stamp(i)) - 0.003).toFixed(6)} ${v.cameraToWorld[3]} ${v.cameraToWorld[7]} ${v.cameraToWorld[11]} ${qx} ${qy} ${qz} ${qw}`);
    });
    record['rgb.txt'] = text(rgb.join('\n'));
    record['depth.txt'] = text(depth.join('\n'));
    record['groundtruth.txt'] = text(gt.join('\n'));
    const k = views[0]!.intrinsics;
    const loaded = loadCapture(files(record), captureSettings({ intrinsics: { fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy } }));
    expect(loaded.capture.format).toBe('tum-sequence');
    expectSameCloud(loaded);
  });

  it('nerfstudio transforms.json (OpenGL poses, corner-origin principal point)', () => {
    const k = views[0]!.intrinsics;
    const record: Record<string, Uint8Array> = {};
    const frames = views.map((v, i) => {
      record[`images/${i}.png`] = bytes(v.color);
      record[`depth/${i}.png`] = bytes(v.depth);
      const m = openCvToOpenGl(v.cameraToWorld);
      return { file_path: `images/${i}.png`, depth_file_path: `depth/${i}.png`, transform_matrix: [0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4)) };
    });
    record['transforms.json'] = text(
      JSON.stringify({ camera_model: 'OPENCV', fl_x: k.fx, fl_y: k.fy, cx: k.cx + 0.5, cy: k.cy + 0.5, w: k.width, h: k.height, frames }),
    );
    const loaded = load(files(record));
    expect(loaded.capture.format).toBe('nerfstudio');
    expectSameCloud(loaded);
  });

  it('multi-camera .npy folders + multical calibration.json (SparseDFF layout), as a zip', () => {
    const record: Record<string, Uint8Array> = {};
    const cameras: Record<string, unknown> = {};
    const poses: Record<string, unknown> = {};
    const world0 = views[0]!.cameraToWorld;
    views.forEach((v, i) => {
      const depthPng = decode(bytes(v.depth));
      const colourPng = decode(bytes(v.color));
      const metres = Float32Array.from(depthPng.data as Uint16Array, (d) => d / 1000);
      record[`rig/cam${i}/depth.npy`] = encodeNpy(metres, [depthPng.height, depthPng.width]);
      record[`rig/cam${i}/colors.npy`] = encodeNpy(Uint8Array.from(colourPng.data as Uint8Array), [colourPng.height, colourPng.width, 3]);
      const k = v.intrinsics;
      record[`rig/cam${i}/intrinsic.npy`] = encodeNpy(new Float64Array([k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1]), [3, 3]);
      cameras[`cam${i}`] = {
        model: 'standard',
        image_size: [k.width, k.height],
        K: [
          [k.fx, 0, k.cx],
          [0, k.fy, k.cy],
          [0, 0, 1],
        ],
        dist: [[0, 0, 0, 0, 0]],
      };
      // multical: X_camN = R·X_cam0 + T, i.e. world(cam0)-to-camN.
      const camNToCam0 = multiply4(invertRigid4(world0), v.cameraToWorld);
      const ext = invertRigid4(camNToCam0);
      const rt = { R: [0, 1, 2].map((r) => ext.slice(r * 4, r * 4 + 3)), T: [ext[3], ext[7], ext[11]] };
      poses[i === 0 ? 'cam0' : `cam${i}_to_cam0`] = rt;
    });
    record['rig/calibration.json'] = text(JSON.stringify({ cameras, camera_poses: poses }));
    const loaded = load([{ name: 'rig.zip', bytes: zipSync(record) }]);
    expect(loaded.capture.format).toBe('multi-camera-npy');
    // World = cam0's frame here: map the reference into it before comparing.
    const toCam0 = invertRigid4(world0);
    const p = reference.cloud.positions;
    const moved = Float32Array.from({ length: p.length }, (_, j) => {
      const i = Math.floor(j / 3) * 3;
      const r = j % 3;
      return toCam0[r * 4]! * p[i]! + toCam0[r * 4 + 1]! * p[i + 1]! + toCam0[r * 4 + 2]! * p[i + 2]! + toCam0[r * 4 + 3]!;
    });
    expect(loaded.cloud.count).toBe(reference.cloud.count);
    let maxError = 0;
    for (let i = 0; i < moved.length; i++) maxError = Math.max(maxError, Math.abs(loaded.cloud.positions[i]! - moved[i]!));
    expect(maxError).toBeLessThan(1e-4);
  });
});

function multiply4(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: 16 }, (_, i) => {
    const r = Math.floor(i / 4);
    const c = i % 4;
    return a[r * 4]! * b[c]! + a[r * 4 + 1]! * b[4 + c]! + a[r * 4 + 2]! * b[8 + c]! + a[r * 4 + 3]! * b[12 + c]!;
  });
}

function encodePng16(units: Uint16Array, width: number, height: number): Uint8Array {
  return encode({ width, height, data: units, depth: 16, channels: 1 });
}
