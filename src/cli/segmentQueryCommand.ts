/**
 * The segment-level part of `fieldlens query`: the relation answer (when the text names one) and,
 * with --masks, the ranked segments, as JSON (metres, world frame); --masks-out writes the masks
 * and the per-segment table. The frame's viewer is input camera 0 (a point file's own frame).
 */
import { writeFileSync } from 'node:fs';
import type { LoadedCapture } from '../core/capture/loadCapture.ts';
import { masksToJson, masksToNpy } from '../core/export/masks.ts';
import { segmentMasks, segmentTableJson, segmentTableRows } from '../core/export/segmentTable.ts';
import type { RelevancyKind } from '../core/query/formulaTable.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { IDENTITY_POSE } from '../core/units.ts';
import type { SceneEngine } from '../infer/sceneEngine.ts';
import { SegmentQueries, type RelationOutcome } from '../infer/segmentQueries.ts';
import type { SegmentQuerySettings } from './segmentOptions.ts';

type Vec3 = readonly [number, number, number];

export interface RelationJson {
  readonly kind: string;
  readonly target: { readonly phrase: string; readonly segment: number; readonly centroid: Vec3; readonly score: number; readonly holds: boolean };
  readonly reference: { readonly phrase: string; readonly segment: number; readonly centroid: Vec3 };
  readonly frame: { readonly up: Vec3; readonly right: Vec3; readonly forward: Vec3; readonly upSource: string; readonly camera: string };
  /** Other target candidates (best pair per target), best first. */
  readonly runnersUp: readonly { readonly segment: number; readonly centroid: Vec3; readonly score: number }[];
  readonly timings: RelationOutcome['timings'];
}

export type MasksJson = readonly { readonly id: number; readonly score: number; readonly points: number; readonly centroid: Vec3; readonly label?: string }[];

const round = (v: Vec3): Vec3 => [Math.round(v[0] * 1e6) / 1e6, Math.round(v[1] * 1e6) / 1e6, Math.round(v[2] * 1e6) / 1e6];

export function relationJson(r: RelationOutcome): RelationJson {
  const seen = new Set([r.target.segment]);
  const runnersUp = r.candidates.filter((c) => !seen.has(c.target) && (seen.add(c.target), true));
  return {
    kind: r.kind,
    target: { phrase: r.target.phrase, segment: r.target.segment, centroid: round(r.target.centroid), score: r.target.score, holds: r.target.holds },
    reference: { phrase: r.reference.phrase, segment: r.reference.segment, centroid: round(r.reference.centroid) },
    frame: { up: round(r.frame.up), right: round(r.frame.right), forward: round(r.frame.forward), upSource: r.frame.upSource, camera: r.frame.cameraSource },
    runnersUp: runnersUp.map((c) => ({ segment: c.target, centroid: round(c.targetCentroid), score: c.score })),
    timings: r.timings,
  };
}

export async function segmentQueryJson(
  engine: SceneEngine,
  loaded: LoadedCapture,
  o: { readonly text: string; readonly labels: boolean; readonly formula: RelevancyKind; readonly template: PromptTemplateSet; readonly threshold: number },
  settings: SegmentQuerySettings,
): Promise<{ relation?: RelationJson; masks?: MasksJson }> {
  const queries = new SegmentQueries(engine);
  const views = loaded.capture.views ?? [];
  const camera0 = views[0]?.cameraToWorld;
  const relation =
    settings.relation && !o.labels
      ? await queries.relationQuery(o.text, {
          formula: o.formula,
          template: o.template,
          source: settings.segments,
          viewpoint: {
            viewer: camera0 ?? IDENTITY_POSE,
            viewerName: camera0 ? `input camera 0 (${views[0]!.name})` : 'the point file frame',
            declaredUp: loaded.capture.worldUp,
            firstCamera: camera0,
          },
        })
      : null;
  if (!settings.masks) return relation ? { relation: relationJson(relation) } : {};
  const masks = await queries.maskQuery({
    text: o.text,
    labels: o.labels,
    formula: o.formula,
    template: o.template,
    source: settings.segments,
    threshold: o.threshold,
  });
  if (settings.masksOut) {
    const pointMasks = segmentMasks(masks.segmentation, masks.rows);
    const n = masks.segmentation.segmentOfPoint.length;
    writeFileSync(`${settings.masksOut}.npy`, masksToNpy(pointMasks, n));
    writeFileSync(`${settings.masksOut}.json`, masksToJson(pointMasks, n));
    writeFileSync(`${settings.masksOut}.segments.json`, segmentTableJson(o.text, masks.source, segmentTableRows(masks.rows, masks.labelNames)));
  }
  const rows = masks.rows.map((r) => ({
    id: r.id,
    score: r.score,
    points: r.count,
    centroid: round(r.centroid),
    ...(masks.labelNames && r.label !== undefined && r.label >= 0 ? { label: masks.labelNames[r.label]! } : {}),
  }));
  return { ...(relation ? { relation: relationJson(relation) } : {}), masks: rows };
}
