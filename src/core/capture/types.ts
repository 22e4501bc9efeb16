/**
 * The normalised form every capture format is parsed into, before lifting. Parsers (src/core/formats)
 * produce these; src/core/capture assembles them from dropped files; src/core/lift turns them into
 * one world-frame PointCloud.
 *
 * Conventions: metres; OpenCV camera frame (x right, y down, z forward); poses camera-to-world,
 * row-major 4×4. OpenGL-style poses are converted by the parser that reads them.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';

/** Depth in metres, row-major. 0 or NaN = no measurement. */
export interface MetricDepth {
  readonly width: number;
  readonly height: number;
  readonly metres: Float32Array;
}

/** 8-bit RGB, row-major, 3 bytes per pixel. */
export interface RgbRaster {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** One posed RGB-D view. */
export interface RgbdView {
  /** For messages and the UI, e.g. "cam0" or "frame 000012". */
  readonly name: string;
  readonly depth: MetricDepth;
  /** May differ in size from the depth (the assembler rescales or refuses with a message). */
  readonly color?: RgbRaster;
  /** Intrinsics of the DEPTH image. */
  readonly intrinsics: PinholeIntrinsics;
  /** Camera-to-world; identity for a single unposed frame. */
  readonly cameraToWorld: CameraToWorld;
}

/** Per-point features brought by the user (extra PLY properties, an N×D .npy). */
export interface PointFeatures {
  readonly dim: number;
  /** Row-major [count, dim]. */
  readonly values: Float32Array;
  /** Property names when known (PLY), else empty. */
  readonly names: readonly string[];
}

/** A ready-made point set (PLY, PCD, .npy). */
export interface PointSet {
  readonly count: number;
  /** xyz metres; length 3·count. */
  readonly positions: Float32Array;
  /** rgb 0..255; length 3·count; absent when the file has no colour. */
  readonly colors?: Uint8Array;
  readonly features?: PointFeatures;
  /** Header comments of the file (PLY), when it has any. */
  readonly comments?: readonly string[];
}
