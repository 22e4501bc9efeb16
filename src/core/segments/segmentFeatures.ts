/**
 * Segments of a cloud and one feature per segment (mask-level queries: OpenMask3D, MaskField).
 *
 * A segmentation is a per-point segment id (Int32Array, −1 = in no segment) plus the segment count.
 * A segment's feature is either the re-normalised mean of its points' L2-normalised features
 * (OpenMask3D's per-mask feature: average the normalised per-view CLIP features, normalise again) or
 * a feature the segment already carries (the teacher's fused feature, identical on all its points).
 * Either way the result is [S, D] float32 with unit rows (zero for an empty or featureless segment),
 * so a query ranks S vectors instead of N points.
 */
import type { Instance, Vec3 } from '../query/clustering.ts';
import { forEachRowChunk, ROW_CHUNK, type CompactFeatures } from '../features/featureStores.ts';

export interface Segmentation {
  readonly segmentOfPoint: Int32Array;
  readonly segmentCount: number;
}

/**
 * Per-point features in any of the forms an engine holds them: plain float32 rows, or a compact
 * store (fp16 rows, or one row per segment + a per-point index; src/core/features/featureStores.ts).
 * Everything here reads them chunk by chunk, never expanded whole.
 */
export type PointFeatureRows = { readonly kind: 'float32'; readonly values: Float32Array; readonly dim: number; readonly pointCount: number } | CompactFeatures;

export function float32Rows(values: Float32Array, dim: number): PointFeatureRows {
  if (values.length % dim !== 0) throw new Error(`features: ${values.length} values are not rows of ${dim}`);
  return { kind: 'float32', values, dim, pointCount: values.length / dim };
}

/** Visits the rows in chunks: `rows` holds rows first … first + n − 1 (float32, n·dim values). */
export function forEachFeatureChunk(rows: PointFeatureRows, visit: (chunk: Float32Array, first: number, n: number) => void): void {
  if (rows.kind !== 'float32') return forEachRowChunk(rows, visit);
  for (let first = 0; first < rows.pointCount; first += ROW_CHUNK) {
    const n = Math.min(ROW_CHUNK, rows.pointCount - first);
    visit(rows.values.subarray(first * rows.dim, (first + n) * rows.dim), first, n);
  }
}

function checkRows(rows: PointFeatureRows, seg: Segmentation): void {
  if (rows.pointCount !== seg.segmentOfPoint.length)
    throw new Error(`segment features: ${rows.pointCount} feature rows for ${seg.segmentOfPoint.length} points`);
}

/** Re-normalised mean of normalised point features per segment: [S, D], unit rows. */
export function meanSegmentFeatures(rows: PointFeatureRows, seg: Segmentation): Float32Array {
  checkRows(rows, seg);
  const dim = rows.dim;
  const sums = new Float64Array(seg.segmentCount * dim);
  forEachFeatureChunk(rows, (chunk, first, n) => {
    for (let k = 0; k < n; k++) {
      const s = seg.segmentOfPoint[first + k]!;
      if (s < 0) continue;
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += chunk[k * dim + d]! * chunk[k * dim + d]!;
      if (!(norm > 0)) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < dim; d++) sums[s * dim + d]! += chunk[k * dim + d]! * inv;
    }
  });
  return normaliseRows(sums, seg.segmentCount, dim);
}

/**
 * The feature a segment carries: the first non-zero row among its points (the teacher writes the
 * segment's fused feature on every point), normalised. [S, D].
 */
export function carriedSegmentFeatures(rows: PointFeatureRows, seg: Segmentation): Float32Array {
  checkRows(rows, seg);
  const dim = rows.dim;
  const out = new Float64Array(seg.segmentCount * dim);
  const done = new Uint8Array(seg.segmentCount);
  forEachFeatureChunk(rows, (chunk, first, n) => {
    for (let k = 0; k < n; k++) {
      const s = seg.segmentOfPoint[first + k]!;
      if (s < 0 || done[s]) continue;
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += chunk[k * dim + d]! * chunk[k * dim + d]!;
      if (!(norm > 0)) continue;
      for (let d = 0; d < dim; d++) out[s * dim + d] = chunk[k * dim + d]!;
      done[s] = 1;
    }
  });
  return normaliseRows(out, seg.segmentCount, dim);
}

function normaliseRows(rows: Float64Array, count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let s = 0; s < count; s++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += rows[s * dim + d]! ** 2;
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) out[s * dim + d] = rows[s * dim + d]! * inv;
  }
  return out;
}

/** Point count, centroid and axis-aligned box (world, metres) of every segment; one pass. */
export function segmentSummaries(positions: Float32Array, seg: Segmentation): Instance[] {
  const S = seg.segmentCount;
  const acc = new Float64Array(S * 10);
  for (let s = 0; s < S; s++) acc.fill(Infinity, s * 10 + 4, s * 10 + 7).fill(-Infinity, s * 10 + 7, s * 10 + 10);
  for (let i = 0; i < seg.segmentOfPoint.length; i++) {
    const s = seg.segmentOfPoint[i]!;
    if (s < 0) continue;
    const o = s * 10;
    acc[o]!++;
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a]!;
      acc[o + 1 + a]! += v;
      if (v < acc[o + 4 + a]!) acc[o + 4 + a] = v;
      if (v > acc[o + 7 + a]!) acc[o + 7 + a] = v;
    }
  }
  return Array.from({ length: S }, (_, s) => {
    const o = s * 10;
    const k = Math.max(1, acc[o]!);
    const v = (at: number, div = 1): Vec3 => [acc[o + at]! / div, acc[o + at + 1]! / div, acc[o + at + 2]! / div];
    return acc[o]! === 0
      ? { id: s, count: 0, centroid: [0, 0, 0], min: [0, 0, 0], max: [0, 0, 0] }
      : { id: s, count: acc[o]!, centroid: v(1, k), min: v(4), max: v(7) };
  });
}

/** Per point, the value of its segment (`missing` for points in no segment): draws a segment score as a heatmap. */
export function expandSegmentValues(seg: Segmentation, perSegment: ArrayLike<number>, missing = Number.NaN): Float32Array {
  const out = new Float32Array(seg.segmentOfPoint.length);
  for (let i = 0; i < out.length; i++) {
    const s = seg.segmentOfPoint[i]!;
    out[i] = s >= 0 ? perSegment[s]! : missing;
  }
  return out;
}
