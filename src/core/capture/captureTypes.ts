/**
 * What the capture assembler produces and the options it takes from the UI / CLI.
 */
import type { PinholeIntrinsics, PointSet, RgbdView } from '../units.ts';
import type { DepthEncoding } from './decodeRaster.ts';

export type CaptureFormat =
  | 'rgbd-frame'
  | 'fieldlens-scene'
  | 'multi-camera-npy'
  | 'scannet'
  | 'open3d-trajectory'
  | 'tum-sequence'
  | 'nerfstudio'
  | 'ply'
  | 'pcd'
  | 'npy-points';

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

export interface CaptureOptions {
  /** Depth units per metre for integer depth; 'auto' = the format's convention (TUM 5000, else 1000). */
  readonly depthScale: number | 'auto';
  /** Used when the capture carries no intrinsics: typed values win over a preset. */
  readonly intrinsics?: TypedIntrinsics | undefined;
  readonly intrinsicsPresetId?: string | undefined;
  readonly depthEncoding?: DepthEncoding | undefined;
  /** Sequences longer than this are sub-sampled uniformly (the UI says so). */
  readonly maxFrames?: number | undefined;
}

export interface AssembledCapture {
  readonly format: CaptureFormat;
  /** One line for the UI and CLI: what was recognised and how it was interpreted. */
  readonly detected: string;
  /** Non-fatal notes: NaN pixels ignored, frames skipped, sub-sampling, colour resampled. */
  readonly warnings: readonly string[];
  /** Exactly one of views / points is set. */
  readonly views?: readonly RgbdView[];
  readonly points?: PointSet;
  /** World "up" when the capture defines it. */
  readonly worldUp?: readonly [number, number, number];
}

export const DEFAULT_MAX_FRAMES = 60;

export function resolveDepthScale(options: CaptureOptions, formatDefault: number): number {
  return options.depthScale === 'auto' ? formatDefault : options.depthScale;
}
