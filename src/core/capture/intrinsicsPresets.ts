/**
 * Camera intrinsics presets (for captures that carry none) and rescaling intrinsics to another
 * resolution of the same aspect ratio. Intrinsics FILES are parsed in formats/intrinsicsFiles.ts.
 */
import type { PinholeIntrinsics } from '../units.ts';
import { FormatError } from '../formats/formatError.ts';

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
  if (!preset) throw new FormatError(`unknown intrinsics preset "${id}" (known: ${INTRINSICS_PRESETS.map((p) => p.id).join(', ')})`);
  return preset;
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
    throw new FormatError(
      `${context}: intrinsics are for ${k.width}×${k.height} but the image is ${width}×${height} (different aspect ratio; expected a proportional resize)`,
    );
  }
  return { width, height, fx: k.fx * sx, fy: k.fy * sy, cx: (k.cx + 0.5) * sx - 0.5, cy: (k.cy + 0.5) * sy - 0.5 };
}
