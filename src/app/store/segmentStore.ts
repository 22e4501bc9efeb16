/**
 * The segment panel's state (mask mode and spatial relations): its own small store beside
 * useFieldLens, as the teacher's, reset whenever a new scene is shown. Small values only; the
 * per-point segment ids live in `segmentBuffers` (sole writer: segmentActions.ts, which also resets
 * both on a new scene), and a new result bumps useFieldLens's queryVersion so the display colours are
 * recomputed. Imports nothing of the main store: the colour-mode table reads this one.
 */
import { create } from 'zustand';
import type { RankedSegment } from '../../core/segments/maskRanking.ts';
import type { RelationOutcome, SegmentSource } from '../../../workers/scene/protocol.ts';

export interface MaskResultInfo {
  readonly text: string;
  readonly source: SegmentSource;
  readonly featureKind: 'mean' | 'teacher';
  readonly rows: readonly RankedSegment[];
  readonly labelNames: readonly string[] | null;
  readonly totalMs: number;
}

export type RelationResultInfo = Omit<RelationOutcome, 'segmentation'> & { readonly text: string };

export interface SegmentPanelState {
  source: SegmentSource;
  /** Relations are judged from input camera 0 instead of the current 3D view. */
  useInputCamera: boolean;
  /** A query whose text names a relation is also resolved as one. */
  resolveRelations: boolean;
  running: boolean;
  /** What the 'segments' colour mode shows: the last mask or relation result. */
  shown: 'mask' | 'relation' | null;
  mask: MaskResultInfo | null;
  relation: RelationResultInfo | null;
  /** The one segment shown in colour (a row or a segment was clicked), or null for all. */
  isolated: number | null;
}

export const NO_SEGMENT_RESULT = { running: false, shown: null, mask: null, relation: null, isolated: null } as const satisfies Partial<SegmentPanelState>;

export const useSegmentPanel = create<SegmentPanelState>()(() => ({ source: 'objects', useInputCamera: false, resolveRelations: true, ...NO_SEGMENT_RESULT }));

/** Per-point segment ids of the shown result (never in React state); replaced, never mutated. */
export const segmentBuffers: { segmentOfPoint: Int32Array | null; scores: Float32Array | null } = { segmentOfPoint: null, scores: null };
