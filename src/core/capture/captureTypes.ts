/**
 * What a capture assembler produces and the options it takes.
 */
import type { PointSet, RgbdView } from '../units.ts';
import type { RestoredResult } from '../export/resultPly.ts';
import type { CaptureSettings } from './captureSettings.ts';
import type { DepthScaleWarning } from './depthUnitsCheck.ts';
import type { DepthEncoding } from './decodeRaster.ts';

/** Capture settings plus what an assembler may force for its own files (scene.json: plain uint16 depth). */
export interface AssembleOptions extends CaptureSettings {
  readonly depthEncoding?: DepthEncoding | undefined;
}

/** What an entry's assembler returns; the registry adds `format`. */
export type CaptureContent = Omit<AssembledCapture, 'format'>;

export interface AssembledCapture {
  /** The id of the registry entry that recognised the files (captureFormats.ts). */
  readonly format: string;
  /** One line for the UI and CLI: what was recognised and how it was interpreted. */
  readonly detected: string;
  /** Non-fatal notes: NaN pixels ignored, frames skipped, sub-sampling, colour resampled. */
  readonly warnings: readonly string[];
  /** Exactly one of views / points is set. */
  readonly views?: readonly RgbdView[];
  readonly points?: PointSet;
  /** World "up" when the capture defines it. */
  readonly worldUp?: readonly [number, number, number];
  /** A FieldLens result PLY's query result (its columns are no longer among `points.features`). */
  readonly savedResult?: RestoredResult;
  /** Set when a frame's median depth is implausible for its depth scale (shown beside that setting). */
  readonly depthScaleWarning?: DepthScaleWarning;
}
