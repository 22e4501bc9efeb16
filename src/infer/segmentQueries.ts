/**
 * Segment-level queries on the scene engine's cloud: mask mode (rank segments, one feature each)
 * and spatial relations ("red ball left of green box"). Runs where the engine runs (worker, CLI);
 * per-point features never leave it — only segment ids, per-segment scores and summaries do.
 *
 * Segment sources (SEGMENT_SOURCES): the teacher's object segmentation (planes + objects; a
 * segment's feature is the teacher's fused feature when the teacher's set is active, else the mean of
 * its points' features), instances of the phrase's relevancy above a threshold, and region growing
 * on the active feature field (geometry + feature similarity). Segmentations that do not depend on
 * the phrase are cached per cloud and feature field.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { connectedComponentsOnVoxelGrid } from '../core/query/clustering.ts';
import { formulaSpec, type RelevancyKind } from '../core/query/formulaTable.ts';
import { negativePhrases, relevancyLayers } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { thresholdMask } from '../core/query/segmentation.ts';
import { storeRelevancyLayers } from '../core/features/storeKernels.ts';
import { chooseUp, relationFrame, type RelationFrame, type Vec3 } from '../core/relations/relationFrame.ts';
import { parseRelationQuery, RELATION_TABLE, type RelationKind } from '../core/relations/relationPhrases.ts';
import { resolveRelation } from '../core/relations/resolveRelation.ts';
import { rankSegments, segmentLabels, segmentScores, type RankedSegment } from '../core/segments/maskRanking.ts';
import { regionGrowingSegments } from '../core/segments/regionGrowing.ts';
import {
  carriedSegmentFeatures,
  forEachFeatureChunk,
  meanSegmentFeatures,
  segmentSummaries,
  type PointFeatureRows,
  type Segmentation,
} from '../core/segments/segmentFeatures.ts';
import { segmentScene } from '../core/teacher/objectSegments.ts';
import type { CameraToWorld } from '../core/units.ts';
import type { SceneEngine } from './sceneEngine.ts';
import { isSegmentSource, SEGMENT_SOURCE_IDS, SEGMENT_SOURCES, type SegmentSource } from '../core/segments/segmentSources.ts';

export { SEGMENT_SOURCES, SEGMENT_SOURCE_IDS, isSegmentSource, type SegmentSource };

const INSTANCE_VOXEL_METRES = 0.02;
const INSTANCE_MIN_POINTS = 30;
export const DEFAULT_MASK_THRESHOLD = 0.5;

export interface MaskQueryRequest {
  /** One phrase, or a label set ("mug, plate, bottle") with `labels`. */
  readonly text: string;
  readonly labels?: boolean;
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  readonly source: SegmentSource;
  /** Instances source: min–max normalised relevancy above this. */
  readonly threshold?: number;
}

export interface MaskQueryOutcome {
  readonly source: SegmentSource;
  /** 'mean' = OpenMask3D mean of point features; 'teacher' = the teacher's fused feature. */
  readonly featureKind: 'mean' | 'teacher';
  readonly segmentation: Segmentation;
  /** Score per segment id (label sets: the winning label's cosine). */
  readonly scores: Float32Array;
  /** Best first. */
  readonly rows: readonly RankedSegment[];
  readonly labelNames: readonly string[] | null;
  readonly timings: { readonly segmentationMs: number; readonly rankingMs: number; readonly totalMs: number };
}

/** Where "left", "right", "behind" are seen from, and what says which way is up. */
export interface RelationViewpoint {
  /** The viewing camera (camera-to-world): the studio's 3D view, or input camera 0. */
  readonly viewer: CameraToWorld;
  readonly viewerName: string;
  readonly declaredUp?: readonly [number, number, number] | undefined;
  readonly firstCamera?: CameraToWorld | undefined;
}

export interface RelationEnd {
  readonly phrase: string;
  readonly segment: number;
  /** World frame, metres. */
  readonly centroid: Vec3;
  readonly min: Vec3;
  readonly max: Vec3;
}

export interface RelationCandidateRow {
  readonly target: number;
  readonly reference: number;
  readonly score: number;
  readonly holds: boolean;
  readonly targetCentroid: Vec3;
}

export interface RelationOutcome {
  readonly kind: RelationKind;
  readonly label: string;
  readonly target: RelationEnd & { readonly score: number; readonly holds: boolean };
  readonly reference: RelationEnd;
  readonly frame: RelationFrame;
  /** Every candidate pair, best first ([0] is the answer). */
  readonly candidates: readonly RelationCandidateRow[];
  readonly segmentation: Segmentation;
  readonly timings: { readonly segmentationMs: number; readonly resolveMs: number; readonly totalMs: number };
}

/** The engine's active feature set, in whatever form it holds it. */
interface ActiveField {
  readonly rows: PointFeatureRows;
  readonly source: string;
}

interface CachedSegmentation extends Segmentation {
  readonly cloud: PointCloud;
  readonly key: string;
  readonly planeNormal: Vec3 | undefined;
}

const now = () => performance.now();

export class SegmentQueries {
  private cache: CachedSegmentation[] = [];

  constructor(private readonly engine: SceneEngine) {}

  private cached(cloud: PointCloud, key: string, make: () => Segmentation & { planeNormal?: Vec3 | undefined }): CachedSegmentation {
    const hit = this.cache.find((c) => c.cloud === cloud && c.key === key);
    if (hit) return hit;
    const made = make();
    const entry = { ...made, cloud, key, planeNormal: made.planeNormal };
    // Keep only the current cloud's segmentations.
    this.cache = [...this.cache.filter((c) => c.cloud === cloud), entry];
    return entry;
  }

  private objects(cloud: PointCloud): CachedSegmentation {
    return this.cached(cloud, 'objects', () => {
      const s = segmentScene(cloud.positions.subarray(0, cloud.count * 3));
      const plane = s.segments.find((x) => x.kind === 'plane')?.plane;
      return { segmentOfPoint: s.segmentOfPoint, segmentCount: s.segments.length, planeNormal: plane ? [...plane.normal] : undefined };
    });
  }

  private segmentsFor(source: SegmentSource, cloud: PointCloud, field: ActiveField, relevancy: () => Float32Array, threshold: number): Segmentation {
    if (source === 'objects') return this.objects(cloud);
    if (source === 'regions') return this.cached(cloud, `regions:${field.source}`, () => regionGrowingSegments(cloud.positions, field.rows));
    const found = connectedComponentsOnVoxelGrid(cloud.positions, thresholdMask(relevancy(), threshold, { normalise: 'min-max' }), INSTANCE_VOXEL_METRES, {
      minPoints: INSTANCE_MIN_POINTS,
    });
    return { segmentOfPoint: found.instanceIds, segmentCount: found.instances.length };
  }

  private static segmentFeatures(source: SegmentSource, seg: Segmentation, field: ActiveField) {
    const teacher = source === 'objects' && field.source === 'teacher';
    return {
      kind: teacher ? ('teacher' as const) : ('mean' as const),
      values: teacher ? carriedSegmentFeatures(field.rows, seg) : meanSegmentFeatures(field.rows, seg),
    };
  }

  /** Mask mode: segments ranked by the phrase (or labelled by the label set). */
  async maskQuery(request: MaskQueryRequest): Promise<MaskQueryOutcome> {
    const t0 = now();
    const phrases = request.labels ? splitLabels(request.text) : [request.text.trim()];
    if (phrases.length === 0 || phrases[0] === '') throw new Error('mask query: type a phrase, e.g. "yellow dice"');
    const negatives = request.labels ? [] : negativePhrases(formulaSpec(request.formula).defaults.kind);
    const inputs = await this.engine.segmentQueryInputs(phrases, negatives, request.template);
    const { cloud, field } = inputs;
    const t1 = now();
    const pointRelevancy = () => relevancyOfRows(field.rows, inputs.positives[0]!, inputs.negatives, request.formula);
    const seg = this.segmentsFor(request.source, cloud, field, pointRelevancy, request.threshold ?? DEFAULT_MASK_THRESHOLD);
    const t2 = now();
    const features = SegmentQueries.segmentFeatures(request.source, seg, field);
    const summaries = segmentSummaries(cloud.positions, seg);
    let scores: Float32Array;
    let labels: Int32Array | undefined;
    if (request.labels) {
      labels = segmentLabels(features.values, field.rows.dim, inputs.positives);
      scores = new Float32Array(seg.segmentCount);
      for (let s = 0; s < seg.segmentCount; s++) scores[s] = labels[s]! >= 0 ? cosine(features.values, field.rows.dim, s, inputs.positives[labels[s]!]!) : 0;
    } else {
      scores = segmentScores(features.values, field.rows.dim, inputs.positives[0]!, inputs.negatives, request.formula);
    }
    const rows = rankSegments(summaries, scores, labels);
    const t3 = now();
    return {
      source: request.source,
      featureKind: features.kind,
      segmentation: { segmentOfPoint: seg.segmentOfPoint, segmentCount: seg.segmentCount },
      scores,
      rows,
      labelNames: request.labels ? phrases : null,
      timings: { segmentationMs: t2 - t1, rankingMs: t3 - t2, totalMs: t3 - t0 },
    };
  }

  /** A relation query, or null when the text is a plain phrase (no relation wording). */
  async relationQuery(
    text: string,
    options: { formula: RelevancyKind; template: PromptTemplateSet; source?: SegmentSource; viewpoint: RelationViewpoint },
  ): Promise<RelationOutcome | null> {
    const parsed = parseRelationQuery(text);
    if (!parsed) return null;
    const t0 = now();
    const formula = formulaSpec(options.formula);
    const inputs = await this.engine.segmentQueryInputs([parsed.target, parsed.reference], negativePhrases(formula.defaults.kind), options.template);
    const { cloud, field } = inputs;
    const t1 = now();
    const source = options.source ?? 'objects';
    const pointRelevancy = () => relevancyOfRows(field.rows, inputs.positives[0]!, inputs.negatives, options.formula);
    const seg = this.segmentsFor(source, cloud, field, pointRelevancy, DEFAULT_MASK_THRESHOLD);
    const objects = source === 'objects' ? (seg as CachedSegmentation) : this.objects(cloud);
    const t2 = now();
    const features = SegmentQueries.segmentFeatures(source, seg, field);
    const vp = options.viewpoint;
    const up = chooseUp({ declared: vp.declaredUp, planeNormal: objects.planeNormal, firstCamera: vp.firstCamera });
    const frame = relationFrame(up.up, vp.viewer, up.source, vp.viewerName);
    const answer = resolveRelation({
      positions: cloud.positions,
      segmentOfPoint: seg.segmentOfPoint,
      segmentCount: seg.segmentCount,
      targetScores: segmentScores(features.values, field.rows.dim, inputs.positives[0]!, inputs.negatives, options.formula),
      referenceScores: segmentScores(features.values, field.rows.dim, inputs.positives[1]!, inputs.negatives, options.formula),
      relation: parsed.relation,
      frame,
    });
    const best = answer.candidates[0];
    if (!best) throw new Error(`relation query: "${text}" needs two distinct segments, found ${seg.segmentCount}`);
    const summaries = segmentSummaries(cloud.positions, seg);
    const end = (phrase: string, s: number): RelationEnd => ({
      phrase,
      segment: s,
      centroid: summaries[s]!.centroid,
      min: summaries[s]!.min,
      max: summaries[s]!.max,
    });
    const t3 = now();
    return {
      kind: parsed.relation,
      label: RELATION_TABLE[parsed.relation].label,
      target: { ...end(parsed.target, best.target), score: best.score, holds: best.judgement.holds },
      reference: end(parsed.reference, best.reference),
      frame,
      candidates: answer.candidates.map((c) => ({
        target: c.target,
        reference: c.reference,
        score: c.score,
        holds: c.judgement.holds,
        targetCentroid: summaries[c.target]!.centroid,
      })),
      segmentation: { segmentOfPoint: seg.segmentOfPoint, segmentCount: seg.segmentCount },
      timings: { segmentationMs: t2 - t1, resolveMs: t3 - t2, totalMs: t3 - t0 },
    };
  }
}

/** Per-point relevancy of one phrase, chunk by chunk over the rows (the instances source). */
function relevancyOfRows(rows: PointFeatureRows, query: Float32Array, negatives: readonly Float32Array[], formula: RelevancyKind): Float32Array {
  const options = formulaSpec(formula).defaults;
  // A compact store is read in its stored form (fused fp16 kernel, or once per segment row).
  if (rows.kind !== 'float32') return storeRelevancyLayers(rows, [query], negatives, options)[0]!;
  const out = new Float32Array(rows.pointCount);
  forEachFeatureChunk(rows, (chunk, first, n) => {
    relevancyLayers(chunk, rows.dim, [query], negatives, options, { out: [out.subarray(first, first + n)] });
  });
  return out;
}

function splitLabels(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function cosine(rows: Float32Array, dim: number, s: number, t: Float32Array): number {
  let dot = 0;
  let nt = 0;
  for (let d = 0; d < dim; d++) {
    dot += rows[s * dim + d]! * t[d]!;
    nt += t[d]! ** 2;
  }
  return nt > 0 ? dot / Math.sqrt(nt) : 0;
}
