/**
 * Capture settings: how dropped files are read and lifted. One type and one defaults object,
 * shared by the scene panel (its store slice), the worker protocol and the CLI; the CLI's options
 * and their help text are derived from CAPTURE_SETTING_FIELDS.
 */
import { asDepthScale, type DepthScale, type Metres, type PinholeIntrinsics } from '../units.ts';
import { INTRINSICS_PRESETS } from './intrinsicsPresets.ts';

/** fx fy cx cy typed by the user for the depth image as dropped (its size fills in width/height). */
export interface TypedIntrinsics {
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
}

export function typedToPinhole(k: TypedIntrinsics, width: number, height: number): PinholeIntrinsics {
  return { width, height, fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy };
}

export interface CaptureSettings {
  /** Depth units per metre for integer depth; 'auto' = the format's convention (TUM 5000, else 1000). */
  readonly depthScale: DepthScale | 'auto';
  /** Used when the capture carries no intrinsics, and over a single frame's own file: typed values win over a preset. */
  readonly intrinsics: TypedIntrinsics | null;
  /** Camera preset used when the capture has no intrinsics ('' = none). */
  readonly intrinsicsPresetId: string;
  /** Voxel size for down-sampling the fused cloud; 0 = off. */
  readonly voxelSize: Metres;
  /** Depth range along each camera's z (a point file: distance from its origin); 0 / Infinity = no limit. */
  readonly minDepth: Metres;
  readonly maxDepth: Metres;
  /** Statistical outlier removal (20 neighbours, 2 standard deviations). */
  readonly removeOutliers: boolean;
  /** Sequences longer than this are sub-sampled uniformly (the capture's warnings say so). */
  readonly maxFrames: number;
}

export const DEFAULT_CAPTURE_SETTINGS: CaptureSettings = {
  depthScale: 'auto',
  intrinsics: null,
  intrinsicsPresetId: '',
  voxelSize: 0 as Metres,
  minDepth: 0 as Metres,
  maxDepth: Infinity as Metres,
  removeOutliers: false,
  maxFrames: 60,
};

/** Plain numbers as a caller (a test, a script) writes them. */
export type CaptureSettingsInput = {
  readonly [K in keyof CaptureSettings]?: CaptureSettings[K] extends DepthScale | 'auto'
    ? number | 'auto'
    : CaptureSettings[K] extends Metres
      ? number
      : CaptureSettings[K];
};

/** The defaults with `patch` applied, each value checked (a clear error names the setting). */
export function captureSettings(patch: CaptureSettingsInput = {}): CaptureSettings {
  const merged = { ...DEFAULT_CAPTURE_SETTINGS, ...patch };
  const metres = (name: string, v: number): Metres => {
    if (!(v >= 0)) throw new Error(`${name}: expected a length ≥ 0 in metres, found ${v}`);
    return v as Metres;
  };
  if (!Number.isInteger(merged.maxFrames) || merged.maxFrames < 1) throw new Error(`max frames: expected a whole number ≥ 1, found ${merged.maxFrames}`);
  const k = merged.intrinsics;
  if (k && (![k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) || !(k.fx > 0 && k.fy > 0))) {
    throw new Error(`intrinsics: expected finite fx fy cx cy with positive focal lengths, found ${k.fx}, ${k.fy}, ${k.cx}, ${k.cy}`);
  }
  return {
    ...merged,
    depthScale: merged.depthScale === 'auto' ? 'auto' : asDepthScale(merged.depthScale),
    voxelSize: metres('voxel size', merged.voxelSize),
    minDepth: metres('min depth', merged.minDepth),
    maxDepth: metres('max depth', merged.maxDepth),
  };
}

/** Depth scales in common use, most common first (the panel's choices; the depth-units check suggests from them). */
export interface DepthScaleConvention {
  readonly scale: number;
  /** Who uses it, for labels and warnings. */
  readonly name: string;
}

export const DEPTH_SCALE_CONVENTIONS: readonly DepthScaleConvention[] = [
  { scale: 1000, name: 'mm (Redwood, ScanNet, RealSense, Kinect)' },
  { scale: 5000, name: 'TUM RGB-D' },
  { scale: 6553.5, name: 'Replica' },
];

/** The depth scale to use for a format whose own convention is `formatDefault` units per metre. */
export function resolveDepthScale(settings: Pick<CaptureSettings, 'depthScale'>, formatDefault: number): number {
  return settings.depthScale === 'auto' ? formatDefault : settings.depthScale;
}

/**
 * One row per setting: its UI label and how the CLI spells it. `parse` reads the CLI's text into
 * a patch (a flag gets `true`); the CLI's help is these rows. `--intrinsics` also takes a file,
 * which the CLI reads as an extra capture file when the text is not four numbers.
 */
export interface CaptureSettingField {
  readonly key: keyof CaptureSettings;
  readonly label: string;
  readonly cli: { readonly name: string; readonly value?: string; readonly help: readonly string[] };
  readonly parse: (raw: string | true) => CaptureSettingsInput;
}

function positive(name: string, raw: string | true, whole = false): number {
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value)))
    throw new Error(`--${name}: expected a ${whole ? 'whole number ≥ 1' : 'positive number'}, found ${String(raw)}`);
  return value;
}

function nonNegative(name: string, raw: string | true): number {
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new Error(`--${name}: expected a non-negative number, found ${String(raw)}`);
  return value;
}

/** "fx,fy,cx,cy" (commas or spaces) → typed intrinsics, or null when the text is not four numbers. */
export function parseTypedIntrinsics(text: string): TypedIntrinsics | null {
  const v = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0]! <= 0 || v[1]! <= 0) return null;
  return { fx: v[0]!, fy: v[1]!, cx: v[2]!, cy: v[3]! };
}

export const CAPTURE_SETTING_FIELDS: readonly CaptureSettingField[] = [
  {
    key: 'depthScale',
    label: 'Depth units per metre',
    cli: { name: 'depth-scale', value: 'S', help: ["depth units per metre for integer depth (default: the format's —", 'TUM 5000, otherwise 1000)'] },
    parse: (raw) => ({ depthScale: positive('depth-scale', raw) }),
  },
  {
    key: 'intrinsics',
    label: 'Override fx fy cx cy (pixels of the depth image; single frames)',
    cli: {
      name: 'intrinsics',
      value: 'fx,fy,cx,cy | --intrinsics FILE',
      help: ['intrinsics when the capture has none (Open3D .json, ScanNet .txt,', '"fx fy cx cy" .txt, 3×3 .npy)'],
    },
    parse: (raw) => {
      const typed = typeof raw === 'string' ? parseTypedIntrinsics(raw) : null;
      if (!typed) throw new Error(`--intrinsics: expected fx,fy,cx,cy (positive focal lengths) or a file, found ${String(raw)}`);
      return { intrinsics: typed };
    },
  },
  {
    key: 'intrinsicsPresetId',
    label: 'Camera preset when the capture has no intrinsics',
    cli: { name: 'intrinsics-preset', value: 'ID', help: ['camera preset when the capture has none:', ...INTRINSICS_PRESETS.map((p) => `  ${p.id}`)] },
    parse: (raw) => ({ intrinsicsPresetId: String(raw) }),
  },
  {
    key: 'voxelSize',
    label: 'Voxel size (m, 0 = off)',
    cli: { name: 'voxel', value: 'M', help: ['voxel down-sampling (metres; default off)'] },
    parse: (raw) => ({ voxelSize: nonNegative('voxel', raw) }),
  },
  {
    key: 'minDepth',
    label: 'Min depth (m)',
    cli: { name: 'min-depth', value: 'M', help: ['nearest depth kept per camera (metres)'] },
    parse: (raw) => ({ minDepth: nonNegative('min-depth', raw) }),
  },
  {
    key: 'maxDepth',
    label: 'Max depth (m, empty = none)',
    cli: { name: 'max-depth', value: 'M', help: ['farthest depth kept per camera (metres)'] },
    parse: (raw) => ({ maxDepth: nonNegative('max-depth', raw) }),
  },
  {
    key: 'removeOutliers',
    label: 'Remove statistical outliers (20 neighbours, 2σ)',
    cli: { name: 'remove-outliers', help: ['statistical outlier removal (20 neighbours, 2σ)'] },
    parse: () => ({ removeOutliers: true }),
  },
  {
    key: 'maxFrames',
    label: 'Max frames',
    cli: { name: 'max-frames', value: 'N', help: [`sub-sample sequences to N frames (default ${DEFAULT_CAPTURE_SETTINGS.maxFrames})`] },
    parse: (raw) => ({ maxFrames: positive('max-frames', raw, true) }),
  },
];

export function captureSettingLabel(key: keyof CaptureSettings): string {
  return CAPTURE_SETTING_FIELDS.find((f) => f.key === key)!.label;
}
