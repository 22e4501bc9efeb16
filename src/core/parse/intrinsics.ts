/**
 * Camera intrinsics: Open3D JSON files, named presets, and scaling to a different resolution.
 */
import type { PinholeIntrinsics } from '../units.ts';

export interface IntrinsicsPreset {
  readonly id: string;
  readonly label: string;
  /** Depth units per metre usually paired with this camera. */
  readonly depthScale: number;
  readonly intrinsics: PinholeIntrinsics;
}

/** Named presets; values from each dataset's published default calibration. */
export const INTRINSICS_PRESETS: readonly IntrinsicsPreset[] = [
  {
    id: 'primesense-640x480',
    label: 'PrimeSense / TUM / Redwood default (fx = fy = 525, 640×480)',
    depthScale: 1000,
    intrinsics: { width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 },
  },
  {
    id: 'tum-freiburg1',
    label: 'TUM RGB-D freiburg1 (fx 517.3, fy 516.5, 640×480, scale 5000)',
    depthScale: 5000,
    intrinsics: { width: 640, height: 480, fx: 517.3, fy: 516.5, cx: 318.6, cy: 255.3 },
  },
  {
    id: 'nyu-kinect-v1',
    label: 'NYU Depth v2 Kinect v1 (fx 518.86, fy 519.47, 640×480)',
    depthScale: 1000,
    intrinsics: { width: 640, height: 480, fx: 518.857901, fy: 519.469611, cx: 325.582449, cy: 253.736166 },
  },
];

export function findIntrinsicsPreset(id: string): IntrinsicsPreset {
  const preset = INTRINSICS_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown intrinsics preset "${id}" (known: ${INTRINSICS_PRESETS.map((p) => p.id).join(', ')})`);
  return preset;
}

function validIntrinsics(k: PinholeIntrinsics): boolean {
  return [k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) && k.fx > 0 && k.fy > 0 && Number.isInteger(k.width) && Number.isInteger(k.height) && k.width > 0 && k.height > 0;
}

/**
 * Open3D `PinholeCameraIntrinsic` JSON: `{ width, height, intrinsic_matrix: [9 numbers] }` with the
 * 3×3 matrix stored COLUMN-major (Eigen's order): fx = m[0], fy = m[4], cx = m[6], cy = m[7].
 */
export function parseOpen3dIntrinsicsJson(text: string, fileName: string): PinholeIntrinsics {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const obj = raw as { width?: unknown; height?: unknown; intrinsic_matrix?: unknown };
  const m = obj.intrinsic_matrix as number[];
  if (!Array.isArray(m) || m.length !== 9 || !m.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error(`${fileName}: expected Open3D intrinsics {width, height, intrinsic_matrix: [9 numbers, column-major]}, found ${describeJson(raw)}`);
  }
  const [fx, , , , fy, , cx, cy] = m as [number, number, number, number, number, number, number, number, number];
  const k: PinholeIntrinsics = { width: Number(obj.width), height: Number(obj.height), fx, fy, cx, cy };
  if (!validIntrinsics(k)) {
    throw new Error(`${fileName}: invalid intrinsics (width ${k.width}, height ${k.height}, fx ${k.fx}, fy ${k.fy}): expected positive focal lengths and image size`);
  }
  if (m[1] !== 0 || m[2] !== 0 || m[5] !== 0 || m[8] !== 1) {
    throw new Error(`${fileName}: intrinsic_matrix is not a pinhole matrix in column-major order (expected m[1] = m[2] = m[5] = 0 and m[8] = 1, found ${m.join(', ')})`);
  }
  return k;
}

function describeJson(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return JSON.stringify(raw);
  return `an object with keys ${Object.keys(raw).join(', ') || '(none)'}`;
}

/**
 * Rescales intrinsics calibrated at one resolution to an image of another (same aspect ratio),
 * keeping the pixel-centre convention: u' + 0.5 = (u + 0.5)·s.
 */
export function scaleIntrinsics(k: PinholeIntrinsics, width: number, height: number, context: string): PinholeIntrinsics {
  if (k.width === width && k.height === height) return k;
  const sx = width / k.width;
  const sy = height / k.height;
  if (Math.abs(sx - sy) > 1e-3 * Math.max(sx, sy)) {
    throw new Error(`${context}: intrinsics are for ${k.width}×${k.height} but the image is ${width}×${height} (different aspect ratio; expected a proportional resize)`);
  }
  return { width, height, fx: k.fx * sx, fy: k.fy * sy, cx: (k.cx + 0.5) * sx - 0.5, cy: (k.cy + 0.5) * sy - 0.5 };
}
