/**
 * Mask-mode exports: one point mask per segment (reusing masks.ts's `.npy` / JSON writers) and the
 * per-segment table (id, label, score, point count, centroid, box; metres, world frame).
 */
import type { RankedSegment } from '../segments/maskRanking.ts';
import type { Segmentation } from '../segments/segmentFeatures.ts';
import type { PointMask } from './masks.ts';

/** One mask per row, in the rows' order (best first), named "segment:<id>". */
export function segmentMasks(seg: Segmentation, rows: readonly Pick<RankedSegment, 'id'>[]): PointMask[] {
  const n = seg.segmentOfPoint.length;
  const slot = new Int32Array(seg.segmentCount).fill(-1);
  const masks = rows.map((r, k) => {
    slot[r.id] = k;
    return { name: `segment:${r.id}`, mask: new Uint8Array(n) };
  });
  for (let i = 0; i < n; i++) {
    const s = seg.segmentOfPoint[i]!;
    const k = s >= 0 ? slot[s]! : -1;
    if (k >= 0) masks[k]!.mask[i] = 1;
  }
  return masks;
}

export interface SegmentTableRow {
  readonly id: number;
  readonly label: string | null;
  readonly score: number;
  readonly count: number;
  readonly centroid: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/** The table rows; `label` is the label set's name for the segment's argmax label (null without a label set). */
export function segmentTableRows(rows: readonly RankedSegment[], labelNames: readonly string[] | null): SegmentTableRow[] {
  return rows.map((r) => ({
    id: r.id,
    label: labelNames && r.label !== undefined && r.label >= 0 ? (labelNames[r.label] ?? null) : null,
    score: r.score,
    count: r.count,
    centroid: r.centroid,
    min: r.min,
    max: r.max,
  }));
}

export function segmentTableJson(query: string, source: string, rows: readonly SegmentTableRow[]): string {
  return JSON.stringify({ query, source, units: 'metres', frame: 'world', segments: rows }, null, 2);
}
