/**
 * Small generated captures, one per layout FieldLens reads, that the fuzz suite mutates: 8×6
 * frames (so 10,000 loads take seconds, not hours) with plausible depth, two posed views and
 * every side file (intrinsics, poses, lists). Real files from the shared data folder join them
 * as extra seeds when it is present (fuzzRealSeeds.ts).
 */
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { encodePly } from '../../core/formats/plyEncode.ts';
import { encodeNpy, matrixRows, openCvToOpenGl, rotationToQuaternion } from '../fixtureEncoders.ts';
import type { CaptureFile } from '../../core/capture/captureFiles.ts';

export const W = 8;
export const H = 6;
export const K = { fx: 10, fy: 12, cx: 3.5, cy: 2.5 };
const text = (s: string) => new TextEncoder().encode(s);

const depthMm = Uint16Array.from({ length: W * H }, (_, i) => (i % 7 === 0 ? 0 : 800 + i * 9));
export const depthPng = encode({ width: W, height: H, data: depthMm, depth: 16, channels: 1 });
const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256);
export const colourPng = encode({ width: W, height: H, data: rgb, depth: 8, channels: 3 });
export const colourJpeg = new Uint8Array(
  jpeg.encode({ width: W, height: H, data: Uint8Array.from({ length: W * H * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256)) }, 90).data,
);
export const open3dJson = text(JSON.stringify({ width: W, height: H, intrinsic_matrix: [K.fx, 0, 0, 0, K.fy, 0, K.cx, K.cy, 1] }));

/** Camera-to-world poses (row-major 4×4, OpenCV camera) of the two views. */
export const POSES: readonly number[][] = [
  [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  [0, 0, 1, 0.5, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0, 1],
];

const points = {
  count: 5,
  positions: Float32Array.from({ length: 15 }, (_, i) => (i % 3) * 0.1 + i * 0.01),
  colors: Uint8Array.from({ length: 15 }, (_, i) => i * 13),
};

export const plySeeds = (): CaptureFile[] => [
  { name: 'cloud.ply', bytes: encodePly(points, 'ascii') },
  { name: 'cloud.ply', bytes: encodePly(points, 'binary_little_endian') },
  {
    name: 'mesh.ply',
    bytes: text(
      'ply\nformat ascii 1.0\ncomment a mesh\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0 255 0 0\n1 0 0 0 255 0\n0 1 0 0 0 255\n3 0 1 2\n',
    ),
  },
  {
    name: 'be.ply',
    bytes: (() => {
      const head = text('ply\nformat binary_big_endian 1.0\nelement vertex 2\nproperty double x\nproperty double y\nproperty double z\nend_header\n');
      const body = new DataView(new ArrayBuffer(48));
      [0.1, 0.2, 0.3, 1, 2, 3].forEach((v, i) => body.setFloat64(i * 8, v, false));
      return concat(head, new Uint8Array(body.buffer));
    })(),
  },
];

export const pcdSeeds = (): CaptureFile[] => {
  const header = (data: string, n: number) =>
    `# .PCD v0.7\nVERSION 0.7\nFIELDS x y z rgb\nSIZE 4 4 4 4\nTYPE F F F U\nCOUNT 1 1 1 1\nWIDTH ${n}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS ${n}\nDATA ${data}\n`;
  const ascii = text(header('ascii', 3) + '0.1 0.2 0.3 16711680\n0.4 0.5 0.6 65280\n0.7 0.8 0.9 255\n');
  const body = new DataView(new ArrayBuffer(3 * 16));
  for (let i = 0; i < 3; i++) {
    body.setFloat32(i * 16, 0.1 * i, true);
    body.setFloat32(i * 16 + 4, 0.2 * i, true);
    body.setFloat32(i * 16 + 8, 1 + i, true);
    body.setUint32(i * 16 + 12, 0x00ff8800 + i, true);
  }
  const binary = concat(text(header('binary', 3)), new Uint8Array(body.buffer));
  return [
    { name: 'cloud.pcd', bytes: ascii },
    { name: 'cloud.pcd', bytes: binary },
  ];
};

/** Single RGB-D frames: PNG / JPEG colour, 16-bit PNG / .npy / NYU .pgm depth, JSON / text / .npy intrinsics. */
export const singleFrameSeeds = (): CaptureFile[][] => [
  [
    { name: 'color.png', bytes: colourPng },
    { name: 'depth.png', bytes: depthPng },
    { name: 'camera.json', bytes: open3dJson },
  ],
  [
    { name: 'color.jpg', bytes: colourJpeg },
    {
      name: 'depth.npy',
      bytes: encodeNpy(
        Float32Array.from(depthMm, (d) => d / 1000),
        [H, W],
      ),
    },
    { name: 'intrinsics.txt', bytes: text(`${K.fx} ${K.fy} ${K.cx} ${K.cy}\n`) },
  ],
  [
    { name: 'color.png', bytes: colourPng },
    { name: 'depth.png', bytes: depthPng },
    { name: 'intrinsic_depth.txt', bytes: text(matrixRows([K.fx, 0, K.cx, 0, 0, K.fy, K.cy, 0, 0, 0, 1, 0, 0, 0, 0, 1])) },
  ],
  [
    { name: 'NYU_color.ppm', bytes: concat(text(`P6\n${W} ${H}\n255\n`), rgb) },
    { name: 'NYU_depth.pgm', bytes: concat(text(`P5\n${W} ${H}\n65535\n`), bigEndian16(Uint16Array.from(depthMm, (d) => (d === 0 ? 2047 : 900)))) },
    { name: 'K.npy', bytes: encodeNpy(new Float64Array([K.fx, 0, K.cx, 0, K.fy, K.cy, 0, 0, 1]), [3, 3]) },
  ],
];

export const npyPointSeeds = (): CaptureFile[][] => [
  [{ name: 'points.npy', bytes: encodeNpy(points.positions, [5, 3]) }],
  [
    {
      name: 'points.npy',
      bytes: encodeNpy(
        Float32Array.from({ length: 30 }, (_, i) => (i % 6 < 3 ? i * 0.01 : (i * 40) % 256)),
        [5, 6],
      ),
    },
    {
      name: 'features.npy',
      bytes: encodeNpy(
        Float32Array.from({ length: 80 }, (_, i) => Math.sin(i)),
        [5, 16],
      ),
    },
  ],
];

const frameFiles = (prefix: (i: number) => string, i: number): Record<string, Uint8Array> => ({
  [`color/${prefix(i)}.png`]: colourPng,
  [`depth/${prefix(i)}.png`]: depthPng,
});

export const trajectorySeed = (): CaptureFile[] =>
  files({
    'camera_intrinsic.json': open3dJson,
    'trajectory.log': text(POSES.map((p, i) => `${i} ${i} ${i + 1}\n${matrixRows(p)}`).join('\n')),
    ...frameFiles((i) => String(i).padStart(5, '0'), 0),
    ...frameFiles((i) => String(i).padStart(5, '0'), 1),
  });

export const scanNetSeed = (): CaptureFile[] =>
  files({
    'intrinsic/intrinsic_depth.txt': text(matrixRows([K.fx, 0, K.cx, 0, 0, K.fy, K.cy, 0, 0, 0, 1, 0, 0, 0, 0, 1])),
    ...Object.fromEntries(POSES.flatMap((p, i) => Object.entries({ ...frameFiles(String, i), [`pose/${i}.txt`]: text(matrixRows(p)) }))),
  });

const stamp = (i: number) => (1305031100 + i * 0.5).toFixed(6);

export function tumText(count: number, jitter = 0.004): { rgb: string; depth: string; gt: string } {
  const rgbLines = ['# color images'];
  const depthLines = ['# depth maps'];
  const gt = ['# timestamp tx ty tz qx qy qz qw'];
  for (let i = 0; i < count; i++) {
    const p = POSES[i % POSES.length]!;
    depthLines.push(`${stamp(i)} depth/${stamp(i % 2)}.png`);
    rgbLines.push(`${(Number(stamp(i)) + jitter).toFixed(6)} rgb/${stamp(i % 2)}.png`);
    const [qx, qy, qz, qw] = rotationToQuaternion(p);
    gt.push(`${(Number(stamp(i)) - 0.003).toFixed(6)} ${p[3]} ${p[7]} ${p[11]} ${qx} ${qy} ${qz} ${qw}`);
  }
  return { rgb: rgbLines.join('\n'), depth: depthLines.join('\n'), gt: gt.join('\n') };
}

export const tumSeed = (): CaptureFile[] => {
  const t = tumText(2);
  return files({
    'rgbd_dataset_freiburg1_xyz/rgb.txt': text(t.rgb),
    'rgbd_dataset_freiburg1_xyz/depth.txt': text(t.depth),
    'rgbd_dataset_freiburg1_xyz/groundtruth.txt': text(t.gt),
    ...Object.fromEntries(
      [0, 1].flatMap((i) => [
        [`rgbd_dataset_freiburg1_xyz/rgb/${stamp(i)}.png`, colourPng],
        [`rgbd_dataset_freiburg1_xyz/depth/${stamp(i)}.png`, depthPng],
      ]),
    ),
  });
};

export const nerfstudioJson = (): Record<string, unknown> => ({
  camera_model: 'OPENCV',
  fl_x: K.fx,
  fl_y: K.fy,
  cx: K.cx + 0.5,
  cy: K.cy + 0.5,
  w: W,
  h: H,
  frames: POSES.map((p, i) => {
    const m = openCvToOpenGl(p);
    return { file_path: `images/${i}.png`, depth_file_path: `depth/${i}.png`, transform_matrix: [0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4)) };
  }),
});

export const nerfstudioSeed = (json: Record<string, unknown> = nerfstudioJson()): CaptureFile[] =>
  files({
    'transforms.json': text(JSON.stringify(json)),
    ...Object.fromEntries(
      [0, 1].flatMap((i) => [
        [`images/${i}.png`, colourPng],
        [`depth/${i}.png`, depthPng],
      ]),
    ),
  });

export const rigCalibration = (): Record<string, unknown> => {
  const kRows = [
    [K.fx, 0, K.cx],
    [0, K.fy, K.cy],
    [0, 0, 1],
  ];
  const cam = { model: 'standard', image_size: [W, H], K: kRows, dist: [[0, 0, 0, 0, 0]] };
  return {
    cameras: { cam0: cam, cam1: cam },
    camera_poses: {
      cam0: {
        R: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        T: [0, 0, 0],
      },
      cam1_to_cam0: {
        R: [
          [0, 0, -1],
          [0, 1, 0],
          [1, 0, 0],
        ],
        T: [0.5, 0, 1],
      },
    },
  };
};

export const rigSeed = (calibration: Record<string, unknown> = rigCalibration(), cams = ['cam0', 'cam1']): CaptureFile[] =>
  files({
    'rig/calibration.json': text(JSON.stringify(calibration)),
    ...Object.fromEntries(
      cams.flatMap((c) => [
        [
          `rig/${c}/depth.npy`,
          encodeNpy(
            Float32Array.from(depthMm, (d) => d / 1000),
            [H, W],
          ),
        ],
        [`rig/${c}/colors.npy`, encodeNpy(rgb, [H, W, 3])],
        [`rig/${c}/intrinsic.npy`, encodeNpy(new Float64Array([K.fx, 0, K.cx, 0, K.fy, K.cy, 0, 0, 1]), [3, 3])],
      ]),
    ),
  });

export const sceneJson = (): Record<string, unknown> => ({
  format: 'fieldlens-scene@1',
  name: 'fuzz',
  depthScale: 1000,
  views: POSES.map((p, i) => ({
    name: `view${i}`,
    color: `view${i}_color.png`,
    depth: `view${i}_depth.png`,
    intrinsics: { width: W, height: H, ...K },
    cameraToWorld: p,
  })),
});

export const sceneSeed = (json: unknown = sceneJson()): CaptureFile[] =>
  files({
    'scene.json': text(JSON.stringify(json)),
    ...Object.fromEntries(
      [0, 1].flatMap((i) => [
        [`view${i}_color.png`, colourPng],
        [`view${i}_depth.png`, depthPng],
      ]),
    ),
  });

export const zipOf = (capture: readonly CaptureFile[]): Uint8Array => zipSync(Object.fromEntries(capture.map((f) => [f.name, f.bytes])));

export function files(record: Record<string, Uint8Array>): CaptureFile[] {
  return Object.entries(record).map(([name, bytes]) => ({ name, bytes }));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bigEndian16(values: Uint16Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 255;
  });
  return out;
}
