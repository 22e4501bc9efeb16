/**
 * Segment actions: mask-mode queries, spatial relations and isolating one segment. A relevancy
 * query whose text names a relation ("red ball left of green box") is also resolved as one, from
 * the current 3D view (or input camera 0, the panel's option).
 */
import { parseRelationQuery } from '../../core/relations/relationPhrases.ts';
import { viewerPose } from '../../core/relations/relationFrame.ts';
import { segmentMasks, segmentTableJson, segmentTableRows } from '../../core/export/segmentTable.ts';
import { masksToJson, masksToNpy } from '../../core/export/masks.ts';
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { SegmentSource } from '../../../workers/scene/protocol.ts';
import { reportError, requestCamera } from './actions.ts';
import { useFieldLens } from './store.ts';
import { NO_SEGMENT_RESULT, segmentBuffers, useSegmentPanel, type SegmentPanelState } from './segmentStore.ts';

const { getState, setState } = useSegmentPanel;

export function updateSegmentSettings(patch: Partial<Pick<SegmentPanelState, 'source' | 'useInputCamera' | 'resolveRelations'>>): void {
  setState(patch);
}

/** New per-point segments are shown: the colour mode switches to them and the colours are recomputed. */
function showSegments(segmentOfPoint: Int32Array, scores: Float32Array | null): void {
  segmentBuffers.segmentOfPoint = segmentOfPoint;
  segmentBuffers.scores = scores;
  useFieldLens.setState((s) => ({ queryVersion: s.queryVersion + 1, colorMode: 'segments' }));
}

/** Runs one segment call; a result for a replaced scene never arrives (the bridge drops it). */
async function task(run: () => Promise<void>): Promise<void> {
  setState({ running: true });
  try {
    await run();
  } catch (error) {
    reportError(error);
  } finally {
    setState({ running: false });
  }
}

/** Mask mode: the query box's text ranks the segments (a label set labels them). */
export async function runMaskQuery(text = useFieldLens.getState().queryText): Promise<void> {
  const q = useFieldLens.getState();
  const { source } = getState();
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
    setState({
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
  if (getState().useInputCamera || !s.cameraPose || !s.viewpoint) return null;
  return [...viewerPose(s.cameraPose.position, s.cameraPose.target, s.viewpoint.up)];
}

export async function runRelationQuery(text: string): Promise<void> {
  const q = useFieldLens.getState();
  await task(async () => {
    const outcome = await sceneWorker.call('relationQuery', [
      { text, formula: q.formula, template: q.template, source: getState().source, viewer: currentViewer() },
    ]);
    if (!outcome) return;
    const { segmentation, ...info } = outcome;
    setState({ shown: 'relation', isolated: null, relation: { ...info, text } });
    showSegments(segmentation.segmentOfPoint, null);
  });
}

/** Shows only segment `id` in colour (null: all); the camera stays (the list's focus button moves it). */
export function isolateSegment(id: number | null): void {
  setState({ isolated: id });
  useFieldLens.setState((s) => ({ queryVersion: s.queryVersion + 1 }));
}

/** Moves the camera onto a listed segment. */
export function focusSegment(id: number): void {
  const row = getState().mask?.rows.find((r) => r.id === id);
  if (row) requestCamera({ kind: 'focus', bounds: { min: [...row.min], max: [...row.max], centroid: [...row.centroid] } });
}

/** A double-click on a point in the segment colours isolates its segment (again: shows all). */
export function isolateSegmentAtPoint(pointIndex: number): void {
  const id = segmentBuffers.segmentOfPoint?.[pointIndex] ?? -1;
  isolateSegment(id < 0 || getState().isolated === id ? null : id);
}

export function setSegmentSource(source: SegmentSource): void {
  setState({ source });
}

/** The masks (`.npy` bool [segments, points], JSON) and the per-segment table of the mask result, best first. */
export function segmentExports(): { npy: Uint8Array; json: string; table: string } | null {
  const mask = getState().mask;
  const ids = segmentBuffers.segmentOfPoint;
  if (!mask || !ids || getState().shown !== 'mask') return null;
  const seg = { segmentOfPoint: ids, segmentCount: Math.max(0, ...mask.rows.map((r) => r.id + 1)) };
  const masks = segmentMasks(seg, mask.rows);
  return {
    npy: masksToNpy(masks, ids.length),
    json: masksToJson(masks, ids.length),
    table: segmentTableJson(mask.text, mask.source, segmentTableRows(mask.rows, mask.labelNames)),
  };
}

// Segments belong to the cloud they were computed on.
useFieldLens.subscribe((state, previous) => {
  if (state.sceneVersion === previous.sceneVersion) return;
  segmentBuffers.segmentOfPoint = null;
  segmentBuffers.scores = null;
  setState({ ...NO_SEGMENT_RESULT });
});

// A relevancy query that names a relation is resolved as one once its result is shown.
useFieldLens.subscribe((state, previous) => {
  const query = state.resultQuery;
  if (query === previous.resultQuery || !query || query.mode !== 'relevancy' || !getState().resolveRelations) return;
  if (parseRelationQuery(query.text)) void runRelationQuery(query.text);
});

export { NO_SEGMENT_RESULT };
