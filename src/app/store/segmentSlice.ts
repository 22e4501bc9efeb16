/**
 * The segment slice (mask mode and spatial relations): the segment panel's options and its last
 * result, under one `segments` field, and its actions. A relevancy query whose text names a
 * relation ("red ball left of green box") is also resolved as one, from the current 3D view (or
 * input camera 0, the panel's option). Small values only: the per-point segment ids live in
 * `segmentBuffers` (drawBuffers.ts; sole writer: this file), and a new result bumps queryVersion so
 * the display colours are recomputed. Segments belong to the cloud they were computed on: both are
 * reset when a new scene is shown (watchSegments, started by init.ts).
 */
import { parseRelationQuery } from '../../core/relations/relationPhrases.ts';
import { viewerPose } from '../../core/relations/relationFrame.ts';
import { segmentMasks, segmentTableJson, segmentTableRows } from '../../core/export/segmentTable.ts';
import { masksToJson, masksToNpy } from '../../core/export/masks.ts';
import type { RankedSegment } from '../../core/segments/maskRanking.ts';
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { RelationOutcome, SegmentSource } from '../../../workers/scene/protocol.ts';
import { segmentBuffers } from './drawBuffers.ts';
import { reportError } from './jobsSlice.ts';
import { requestCamera } from './viewSlice.ts';
import { useFieldLens } from './store.ts';

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
  /** What the segment colour mode shows: the last mask or relation result. */
  shown: 'mask' | 'relation' | null;
  mask: MaskResultInfo | null;
  relation: RelationResultInfo | null;
  /** The one segment shown in colour (a row or a segment was clicked), or null for all. */
  isolated: number | null;
}

/** What a new scene resets; a function declaration, so that createSegmentSlice can use it before this module's constants exist. */
function noSegmentResult() {
  return { running: false, shown: null, mask: null, relation: null, isolated: null } as const satisfies Partial<SegmentPanelState>;
}
export const NO_SEGMENT_RESULT = noSegmentResult();

export interface SegmentSlice {
  segments: SegmentPanelState;
}

export function createSegmentSlice(): SegmentSlice {
  return { segments: { source: 'objects', useInputCamera: false, resolveRelations: true, ...noSegmentResult() } };
}

const panel = () => useFieldLens.getState().segments;
const setPanel = (patch: Partial<SegmentPanelState>) => useFieldLens.setState((s) => ({ segments: { ...s.segments, ...patch } }));

export function updateSegmentSettings(patch: Partial<Pick<SegmentPanelState, 'source' | 'useInputCamera' | 'resolveRelations'>>): void {
  setPanel(patch);
}

/** New per-point segments are shown: the colour mode switches to them and the colours are recomputed. */
function showSegments(segmentOfPoint: Int32Array, scores: Float32Array | null): void {
  segmentBuffers.segmentOfPoint = segmentOfPoint;
  segmentBuffers.scores = scores;
  useFieldLens.setState((s) => ({ queryVersion: s.queryVersion + 1, colorMode: 'segments' }));
}

/** Runs one segment call; a result for a replaced scene never arrives (the bridge drops it). */
async function task(run: () => Promise<void>): Promise<void> {
  setPanel({ running: true });
  try {
    await run();
  } catch (error) {
    reportError(error);
  } finally {
    setPanel({ running: false });
  }
}

/** Mask mode: the query box's text ranks the segments (a label set labels them). */
export async function runMaskQuery(text = useFieldLens.getState().queryText): Promise<void> {
  const q = useFieldLens.getState();
  const { source } = panel();
  await task(async () => {
    const outcome = await sceneWorker.call('maskQuery', [
      {
        text,
        labels: q.queryMode === 'labels',
        formula: q.formula,
        template: q.template,
        source,
        threshold: q.threshold,
      },
    ]);
    setPanel({
      shown: 'mask',
      isolated: null,
      mask: { text, source, featureKind: outcome.featureKind, rows: outcome.rows, labelNames: outcome.labelNames, totalMs: outcome.timings.totalMs },
    });
    showSegments(outcome.segmentation.segmentOfPoint, outcome.scores);
  });
}

/** The viewer of relations: the 3D view where the camera last came to rest, else input camera 0 (null). */
function currentViewer(): number[] | null {
  const s = useFieldLens.getState();
  if (panel().useInputCamera || !s.cameraPose || !s.viewpoint) return null;
  return [...viewerPose(s.cameraPose.position, s.cameraPose.target, s.viewpoint.up)];
}

export async function runRelationQuery(text: string): Promise<void> {
  const q = useFieldLens.getState();
  await task(async () => {
    const outcome = await sceneWorker.call('relationQuery', [
      { text, formula: q.formula, template: q.template, source: panel().source, viewer: currentViewer() },
    ]);
    if (!outcome) return;
    const { segmentation, ...info } = outcome;
    setPanel({ shown: 'relation', isolated: null, relation: { ...info, text } });
    showSegments(segmentation.segmentOfPoint, null);
  });
}

/** Shows only segment `id` in colour (null: all); the camera stays (the list's focus button moves it). */
export function isolateSegment(id: number | null): void {
  useFieldLens.setState((s) => ({ segments: { ...s.segments, isolated: id }, queryVersion: s.queryVersion + 1 }));
}

/** Moves the camera onto a listed segment. */
export function focusSegment(id: number): void {
  const row = panel().mask?.rows.find((r) => r.id === id);
  if (row) requestCamera({ kind: 'focus', bounds: { min: [...row.min], max: [...row.max], centroid: [...row.centroid] } });
}

/** A double-click on a point in the segment colours isolates its segment (again: shows all). */
export function isolateSegmentAtPoint(pointIndex: number): void {
  const id = segmentBuffers.segmentOfPoint?.[pointIndex] ?? -1;
  isolateSegment(id < 0 || panel().isolated === id ? null : id);
}

export function setSegmentSource(source: SegmentSource): void {
  setPanel({ source });
}

/** The masks (`.npy` bool [segments, points], JSON) and the per-segment table of the mask result, best first. */
export function segmentExports(): { npy: Uint8Array; json: string; table: string } | null {
  const { mask, shown } = panel();
  const ids = segmentBuffers.segmentOfPoint;
  if (!mask || !ids || shown !== 'mask') return null;
  const seg = { segmentOfPoint: ids, segmentCount: Math.max(0, ...mask.rows.map((r) => r.id + 1)) };
  const masks = segmentMasks(seg, mask.rows);
  return {
    npy: masksToNpy(masks, ids.length),
    json: masksToJson(masks, ids.length),
    table: segmentTableJson(mask.text, mask.source, segmentTableRows(mask.rows, mask.labelNames)),
  };
}

/**
 * The slice's subscriptions (init.ts starts them): a new scene clears the segments, and a relevancy
 * query that names a relation is resolved as one once its result is shown. Returns the unsubscribe.
 */
export function watchSegments(): () => void {
  return useFieldLens.subscribe((state, previous) => {
    if (state.sceneVersion !== previous.sceneVersion) {
      segmentBuffers.segmentOfPoint = null;
      segmentBuffers.scores = null;
      setPanel({ ...NO_SEGMENT_RESULT });
    }
    const query = state.resultQuery;
    if (query === previous.resultQuery || !query || query.mode !== 'relevancy' || !panel().resolveRelations) return;
    if (parseRelationQuery(query.text)) void runRelationQuery(query.text);
  });
}
