/**
 * Feature fields in the forms that fit in memory at CLIP scale (512-d on a million points):
 *
 * - `SegmentFeatures`: the teacher's output as it is computed — one float32 row per segment
 *   [S, D] and a per-point segment index (Int32Array, or Uint16Array when S < 65 535). Never
 *   expanded per point: 1.07 M points with 512-d features cost 4 B (or 2 B) per point plus S rows.
 * - `HalfFeatures`: per-point features (student, bring-your-own) as binary16 bits [N, D] in a
 *   Uint16Array — 1 KiB per point at 512-d, and nothing else: the fused kernels (halfKernels.ts)
 *   sum each row's squares in the sweep that computes its dot products, so no norm is stored.
 *
 * Points without a segment (`NO_SEGMENT`) have a zero feature: every kernel gives them the
 * formula's neutral value, as a zero row of a float32 field would (see core/query/formulas.ts).
 * Kernels over both forms are in storeKernels.ts; `readFeatureRows` expands rows on demand.
 */
import { decodeHalves, encodeHalves } from './float16.ts';

/** Segment index of a point that belongs to no segment (Int32 form; the Uint16 form uses 0xffff). */
export const NO_SEGMENT = -1;
const NO_SEGMENT_U16 = 0xffff;

export interface SegmentFeatures {
  readonly kind: 'segments';
  readonly pointCount: number;
  readonly dim: number;
  readonly segmentCount: number;
  /** [segmentCount, dim] row-major float32. */
  readonly segmentFeatures: Float32Array;
  /** [pointCount] the point's segment, or NO_SEGMENT (−1; 0xffff in a Uint16Array). */
  readonly segmentOfPoint: Int32Array | Uint16Array;
}

export interface HalfFeatures {
  readonly kind: 'fp16';
  readonly pointCount: number;
  readonly dim: number;
  /** [pointCount, dim] row-major binary16 bits. */
  readonly halves: Uint16Array;
}

export type CompactFeatures = SegmentFeatures | HalfFeatures;

/**
 * A segment-level field. `segmentOfPoint` entries must be < segmentCount or NO_SEGMENT; a
 * Uint16Array index is accepted when segmentCount < 65 535 (0xffff then means "no segment").
 */
export function segmentFeatures(segmentFeatures: Float32Array, dim: number, segmentOfPoint: Int32Array | Uint16Array): SegmentFeatures {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`segment features: dimension must be a positive integer, got ${dim}`);
  if (segmentFeatures.length % dim !== 0) throw new Error(`segment features: ${segmentFeatures.length} values are not rows of ${dim}`);
  const segmentCount = segmentFeatures.length / dim;
  const wide = segmentOfPoint instanceof Int32Array;
  if (!wide && segmentCount >= NO_SEGMENT_U16)
    throw new Error(`segment features: ${segmentCount} segments need an Int32Array index (a Uint16Array holds up to ${NO_SEGMENT_U16 - 1})`);
  for (let i = 0; i < segmentOfPoint.length; i++) {
    const s = segmentOfPoint[i]!;
    if (s >= segmentCount && !(!wide && s === NO_SEGMENT_U16)) throw new Error(`segment features: point ${i} names segment ${s}, there are ${segmentCount}`);
    if (wide && s < NO_SEGMENT) throw new Error(`segment features: point ${i} names segment ${s}; use ${NO_SEGMENT} for no segment`);
  }
  return { kind: 'segments', pointCount: segmentOfPoint.length, dim, segmentCount, segmentFeatures, segmentOfPoint };
}

/** The segment of point i, or NO_SEGMENT. */
export function segmentOf(store: SegmentFeatures, i: number): number {
  const s = store.segmentOfPoint[i]!;
  return s === NO_SEGMENT_U16 && store.segmentOfPoint instanceof Uint16Array ? NO_SEGMENT : s;
}

/** Per-point features stored as halves (the float32 input is not kept). */
export function halfFeaturesFromFloat32(values: Float32Array, dim: number): HalfFeatures {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`fp16 features: dimension must be a positive integer, got ${dim}`);
  if (values.length % dim !== 0) throw new Error(`fp16 features: ${values.length} values are not rows of ${dim}`);
  return halfFeatures(encodeHalves(values), dim);
}

/** Per-point features from halves already encoded (e.g. an fp16 model output, a float16 .npy). */
export function halfFeatures(halves: Uint16Array, dim: number): HalfFeatures {
  if (halves.length % dim !== 0) throw new Error(`fp16 features: ${halves.length} halves are not rows of ${dim}`);
  return { kind: 'fp16', pointCount: halves.length / dim, dim, halves };
}

/**
 * Rows per decoded chunk: 256 rows of 512 floats = 512 KiB, which stays in L2 between the decode
 * and the kernel that reads it, and bounds the scratch of every kernel over halves.
 */
export const ROW_CHUNK = 256;

/** Bytes the store holds (what "memory per point" figures count). */
export function featureBytes(store: CompactFeatures): number {
  if (store.kind === 'fp16') return store.halves.byteLength;
  return store.segmentFeatures.byteLength + store.segmentOfPoint.byteLength;
}

/** Rows [first, first + n) as float32 into `out` (n·dim values): the only expansion there is. */
export function readFeatureRows(store: CompactFeatures, first: number, n: number, out: Float32Array = new Float32Array(n * store.dim)): Float32Array {
  const dim = store.dim;
  if (first < 0 || n < 0 || first + n > store.pointCount) throw new Error(`feature rows ${first}..${first + n} are outside 0..${store.pointCount}`);
  if (out.length < n * dim) throw new Error(`feature rows: output holds ${out.length} values, ${n}×${dim} needed`);
  if (store.kind === 'fp16') {
    decodeHalves(store.halves, out.subarray(0, n * dim), first * dim);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const s = segmentOf(store, first + i);
    if (s === NO_SEGMENT) out.fill(0, i * dim, (i + 1) * dim);
    else out.set(store.segmentFeatures.subarray(s * dim, (s + 1) * dim), i * dim);
  }
  return out;
}

/** Visits every row in chunks of at most `chunkRows` (one reused buffer): exports, agreement. */
export function forEachRowChunk(store: CompactFeatures, visit: (rows: Float32Array, first: number, n: number) => void, chunkRows = ROW_CHUNK): void {
  const scratch = new Float32Array(chunkRows * store.dim);
  for (let first = 0; first < store.pointCount; first += chunkRows) {
    const n = Math.min(chunkRows, store.pointCount - first);
    visit(readFeatureRows(store, first, n, scratch).subarray(0, n * store.dim), first, n);
  }
}
