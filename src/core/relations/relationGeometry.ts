/**
 * Whether, and how well, a target segment stands in a spatial relation to a reference segment
 * (README.md beside this file has the rules and their sources). Segments are summarised in the
 * relation frame: coordinates (r, f, h) along right, forward (away from the viewer) and up, metres.
 *
 * Every score is in [0, 1]: a pair that satisfies the relation scores ≥ 0.5, one that does not
 * scores < 0.5 (graded, so the closest miss still ranks first when nothing satisfies it).
 */
import { dot3, type RelationFrame, type Vec3 } from './relationFrame.ts';
import type { RelationKind } from './relationPhrases.ts';

/** Directional relations hold when u·axis exceeds this (Semantic Abstraction's data generator). */
export const DIRECTION_COSINE_MIN = 0.6;
/** Distance gate: min(max(2 × the reference's largest horizontal extent, 0.1 m), 1 m). */
export const GATE_EXTENT_FACTOR = 2;
export const GATE_MIN_METRES = 0.1;
export const GATE_MAX_METRES = 1;
/** On (Sr3D "supported-by"): |target bottom − reference top| ≤ 0.15 m and footprint overlap > 30 % of the target's. */
export const ON_MAX_GAP_METRES = 0.15;
export const ON_MIN_FOOTPRINT_FRACTION = 0.3;
/** In: more than half of the target's points inside the reference's box. */
export const IN_MIN_INSIDE_FRACTION = 0.5;

/** A segment in the relation frame. `min`/`max`/`centroid` are (right, forward, up) in metres. */
export interface FramedSegment {
  readonly count: number;
  readonly centroid: Vec3;
  readonly min: Vec3;
  readonly max: Vec3;
  /** World centroid, metres (what the CLI and the studio show). */
  readonly worldCentroid: Vec3;
}

/** Frame coordinates of a world point. */
export function toFrame(frame: RelationFrame, p: Vec3): Vec3 {
  return [dot3(p, frame.right), dot3(p, frame.forward), dot3(p, frame.up)];
}

/**
 * Summaries of the segments of a cloud: `segmentOfPoint` gives each point's segment (−1 = none),
 * `segmentCount` segments. One pass over the points.
 */
export function frameSegments(positions: Float32Array, segmentOfPoint: Int32Array, segmentCount: number, frame: RelationFrame): FramedSegment[] {
  const n = segmentOfPoint.length;
  const sums = new Float64Array(segmentCount * 6);
  const mins = new Float64Array(segmentCount * 3).fill(Infinity);
  const maxs = new Float64Array(segmentCount * 3).fill(-Infinity);
  const counts = new Float64Array(segmentCount);
  const axes = [frame.right, frame.forward, frame.up];
  for (let i = 0; i < n; i++) {
    const s = segmentOfPoint[i]!;
    if (s < 0 || s >= segmentCount) continue;
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    counts[s]!++;
    sums[s * 6 + 3]! += x;
    sums[s * 6 + 4]! += y;
    sums[s * 6 + 5]! += z;
    for (let a = 0; a < 3; a++) {
      const axis = axes[a]!;
      const c = x * axis[0] + y * axis[1] + z * axis[2];
      sums[s * 6 + a]! += c;
      if (c < mins[s * 3 + a]!) mins[s * 3 + a] = c;
      if (c > maxs[s * 3 + a]!) maxs[s * 3 + a] = c;
    }
  }
  return Array.from({ length: segmentCount }, (_, s) => {
    const k = Math.max(1, counts[s]!);
    const v = (o: number): Vec3 => [sums[s * 6 + o]! / k, sums[s * 6 + o + 1]! / k, sums[s * 6 + o + 2]! / k];
    const box = (arr: Float64Array): Vec3 => [arr[s * 3]!, arr[s * 3 + 1]!, arr[s * 3 + 2]!];
    return { count: counts[s]!, centroid: v(0), worldCentroid: v(3), min: box(mins), max: box(maxs) };
  });
}

/** The directional gate of a reference (metres). */
export function distanceGateMetres(reference: Pick<FramedSegment, 'min' | 'max'>): number {
  const extent = Math.max(reference.max[0] - reference.min[0], reference.max[1] - reference.min[1]);
  return Math.min(Math.max(GATE_EXTENT_FACTOR * extent, GATE_MIN_METRES), GATE_MAX_METRES);
}

/** Unit frame axis a directional relation points along (right, forward = farther, up). */
const DIRECTION_AXIS: Partial<Record<RelationKind, Vec3>> = {
  'left-of': [-1, 0, 0],
  'right-of': [1, 0, 0],
  behind: [0, 1, 0],
  'in-front-of': [0, -1, 0],
};

export interface RelationJudgement {
  readonly holds: boolean;
  readonly score: number;
  /** The quantities the rule compared, for the panel and the tests. */
  readonly detail: Readonly<Record<string, number>>;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function directional(axis: Vec3, target: FramedSegment, reference: FramedSegment): RelationJudgement {
  const d: Vec3 = [target.centroid[0] - reference.centroid[0], target.centroid[1] - reference.centroid[1], target.centroid[2] - reference.centroid[2]];
  const distance = Math.hypot(d[0], d[1], d[2]);
  const cosine = distance > 0 ? dot3(d, axis) / distance : 0;
  const gate = distanceGateMetres(reference);
  const holds = cosine > DIRECTION_COSINE_MIN && distance < gate;
  // Holding: half from the direction's margin, half from the closeness. Missing: how near each
  // condition comes to holding (a pair just short of either limit scores just under 0.5).
  const score = holds
    ? 0.5 + 0.25 * clamp01((cosine - DIRECTION_COSINE_MIN) / (1 - DIRECTION_COSINE_MIN)) + 0.25 * clamp01(1 - distance / gate)
    : 0.49 * clamp01(cosine / DIRECTION_COSINE_MIN) * Math.min(1, gate / Math.max(distance, 1e-9));
  return { holds, score, detail: { cosine, distanceMetres: distance, gateMetres: gate } };
}

/** Area of the overlap of two footprints (right × forward rectangles), m². */
function footprintOverlap(a: FramedSegment, b: FramedSegment): number {
  const w = Math.min(a.max[0], b.max[0]) - Math.max(a.min[0], b.min[0]);
  const h = Math.min(a.max[1], b.max[1]) - Math.max(a.min[1], b.min[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

function on(target: FramedSegment, reference: FramedSegment): RelationJudgement {
  const gap = target.min[2] - reference.max[2];
  const area = Math.max((target.max[0] - target.min[0]) * (target.max[1] - target.min[1]), 1e-12);
  const fraction = footprintOverlap(target, reference) / area;
  const gapOk = Math.abs(gap) <= ON_MAX_GAP_METRES;
  // The target must also sit above the reference's middle: a mug under a shelf is not on it.
  const above = target.centroid[2] > reference.centroid[2];
  const holds = gapOk && above && fraction > ON_MIN_FOOTPRINT_FRACTION;
  const closeness = clamp01(1 - Math.abs(gap) / ON_MAX_GAP_METRES);
  const score = holds
    ? 0.5 + 0.25 * closeness + 0.25 * clamp01((fraction - ON_MIN_FOOTPRINT_FRACTION) / (1 - ON_MIN_FOOTPRINT_FRACTION))
    : 0.49 *
      clamp01(fraction / ON_MIN_FOOTPRINT_FRACTION) *
      (gapOk ? 1 : Math.exp(-(Math.abs(gap) - ON_MAX_GAP_METRES) / ON_MAX_GAP_METRES)) *
      (above ? 1 : 0.5);
  return { holds, score, detail: { gapMetres: gap, footprintFraction: fraction } };
}

/**
 * Judges `relation` for one pair. `insideFraction` (relation "in" only) is the fraction of the
 * target's points inside the reference's box: it needs the points, so the caller counts it
 * (`insideFraction` below).
 */
export function judgeRelation(relation: RelationKind, target: FramedSegment, reference: FramedSegment, insideFraction = 0): RelationJudgement {
  const axis = DIRECTION_AXIS[relation];
  if (axis) return directional(axis, target, reference);
  if (relation === 'on') return on(target, reference);
  const holds = insideFraction > IN_MIN_INSIDE_FRACTION;
  return { holds, score: holds ? insideFraction : Math.min(insideFraction, 0.49), detail: { insideFraction } };
}

/** For "in": per target segment, the fraction of its points inside each candidate reference's frame box. */
export function insideFractions(
  positions: Float32Array,
  segmentOfPoint: Int32Array,
  frame: RelationFrame,
  targets: readonly number[],
  references: readonly { readonly id: number; readonly box: FramedSegment }[],
  counts: (segment: number) => number,
): Map<string, number> {
  const inside = new Map<string, number>();
  const wanted = new Set(targets);
  for (let i = 0; i < segmentOfPoint.length; i++) {
    const s = segmentOfPoint[i]!;
    if (!wanted.has(s)) continue;
    const p = toFrame(frame, [positions[i * 3]!, positions[i * 3 + 1]!, positions[i * 3 + 2]!]);
    for (const r of references) {
      if (r.id === s) continue;
      const b = r.box;
      if (p[0] >= b.min[0] && p[0] <= b.max[0] && p[1] >= b.min[1] && p[1] <= b.max[1] && p[2] >= b.min[2] && p[2] <= b.max[2]) {
        const key = `${s}:${r.id}`;
        inside.set(key, (inside.get(key) ?? 0) + 1);
      }
    }
  }
  for (const [key, n] of inside) inside.set(key, n / Math.max(1, counts(Number(key.split(':')[0]))));
  return inside;
}
