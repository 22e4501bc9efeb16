/**
 * The core's shared types — units, frames, intrinsics, poses, rasters, views, point sets — in one
 * leaf module that imports nothing, so every layer (formats, capture, lift, worker protocol, app,
 * CLI) can name them without depending on one another.
 *
 * Branded numeric types: units and frames live in the types so a raw depth value can never be
 * passed where metres are expected, nor a camera-frame point where a world point is expected.
 *
 * Conventions (everywhere in FieldLens):
 * - lengths in metres;
 * - camera frame = OpenCV: x right, y down, z forward;
 * - poses are camera-to-world 4×4, stored row-major in 16 numbers;
 * - pixel (u, v): u = column, v = row, origin at the top-left pixel's centre.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A length in metres. */
export type Metres = Brand<number, 'metres'>;
/** Raw depth units as stored in a depth image (e.g. millimetres for scale 1000). */
export type DepthUnits = Brand<number, 'depth-units'>;
/** Depth units per metre (TUM 5000, Redwood/ScanNet/RealSense 1000, Replica 6553.5). */
export type DepthScale = Brand<number, 'depth-units-per-metre'>;

/** Pinhole intrinsics of one image, in pixels, for an image of `width` × `height`. */
export interface PinholeIntrinsics {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
}

/** Camera-to-world rigid transform, row-major 4×4 (16 numbers), OpenCV camera frame. */
export type CameraToWorld = Brand<readonly number[], 'camera-to-world-row-major-4x4'>;

export const IDENTITY_POSE = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] as unknown as CameraToWorld;

export function asCameraToWorld(m: readonly number[]): CameraToWorld {
  if (m.length !== 16 || m.some((x) => !Number.isFinite(x))) {
    throw new Error(`camera-to-world pose: expected 16 finite numbers (row-major 4×4), found ${m.length} values`);
  }
  return m as CameraToWorld;
}

export function asDepthScale(s: number): DepthScale {
  if (!Number.isFinite(s) || s <= 0) throw new Error(`depth scale: expected a positive number of units per metre, found ${s}`);
  return s as DepthScale;
}

// Rasters, views and point sets: what every capture format is parsed into before lifting.

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

/**
 * Wide per-point features (an embedding: at least MIN_EMBEDDING_DIM channels) as the capture path
 * reads them: binary16 bits, row-major [count, dim] — 1 KiB per point at 512-d, never float32.
 */
export interface HalfPointFeatures {
  readonly dim: number;
  readonly halves: Uint16Array;
  readonly names: readonly string[];
}

/**
 * Extra per-point channels narrower than this (intensity, labels, curvature…) are attributes, not
 * an embedding: they stay float32 and such clouds are queried through the student. Wider ones are
 * the user's own features (kept as halves by the capture path).
 */
export const MIN_EMBEDDING_DIM = 16;

/** A ready-made point set (PLY, PCD, .npy). */
export interface PointSet {
  readonly count: number;
  /** xyz metres; length 3·count. */
  readonly positions: Float32Array;
  /** rgb 0..255; length 3·count; absent when the file has no colour. */
  readonly colors?: Uint8Array;
  readonly features?: PointFeatures;
  /** Instead of `features`, when the parser was asked to keep wide features as halves (the capture path). */
  readonly halfFeatures?: HalfPointFeatures;
  /** Header comments of the file (PLY), when it has any. */
  readonly comments?: readonly string[];
  /** What the parser ignored or repaired (data past the declared count, non-finite points dropped), for the capture's warnings. */
  readonly warnings?: readonly string[];
}

/** A file as the core sees it: a '/'-separated path relative to the dropped folder or zip root, and its bytes. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A length in metres (Infinity allowed: "no limit"); NaN is refused. */
export function asMetres(m: number): Metres {
  if (Number.isNaN(m)) throw new Error('length: expected metres, found NaN');
  return m as Metres;
}

/**
 * xyz triples in metres in the world frame, row-major [count, 3]: what a lifted cloud holds and
 * the worker sends to be drawn. Camera-frame points never exist as arrays: back-projection applies
 * each view's CameraToWorld pose per pixel.
 */
export type WorldPoints = Brand<Float32Array, 'world-frame-metres-xyz'>;
/** Marks xyz triples as world-frame metres (the caller vouches for the frame), checking their layout. */
export function asWorldPoints(xyz: Float32Array): WorldPoints {
  if (xyz.length % 3 !== 0) throw new Error(`world points: expected xyz triples, found ${xyz.length} values`);
  return xyz as WorldPoints;
}
