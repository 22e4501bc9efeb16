/**
 * The answer to a relation query: of the target phrase's candidate segments, the one that best
 * satisfies the relation with the best of the reference phrase's candidates.
 *
 * Each phrase's segment scores (cosine or the selected formula on segment features) are min–max
 * normalised over the segments to a match in [0, 1]; the candidates are the segments whose match
 * is at least CANDIDATE_MATCH_MIN (at most MAX_CANDIDATES of them, best first). A pair's score is
 * relation score × target match × reference match, so two equally red balls are told apart by the
 * relation alone, and a reference that matches its phrase poorly costs the pair.
 */
import { frameSegments, insideFractions, judgeRelation, type FramedSegment, type RelationJudgement } from './relationGeometry.ts';
import type { RelationFrame, Vec3 } from './relationFrame.ts';
import type { RelationKind } from './relationPhrases.ts';

export const CANDIDATE_MATCH_MIN = 0.5;
export const MAX_CANDIDATES = 8;

export interface RelationCandidate {
  readonly target: number;
  readonly reference: number;
  /** relation × target match × reference match, in [0, 1]. */
  readonly score: number;
  readonly targetMatch: number;
  readonly referenceMatch: number;
  readonly judgement: RelationJudgement;
}

export interface RelationAnswer {
  readonly relation: RelationKind;
  /** Best first; [0] is the answer. Empty when no pair of distinct segments exists. */
  readonly candidates: readonly RelationCandidate[];
  /** Frame summaries of every segment (index = segment id). */
  readonly segments: readonly FramedSegment[];
}

/** Min–max normalised scores; all equal → all 1. */
export function matchScores(scores: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = Number.isFinite(scores[i]!) ? (hi > lo ? (scores[i]! - lo) / (hi - lo) : 1) : 0;
  return out;
}

function candidatesOf(match: Float64Array, eligible: (s: number) => boolean): number[] {
  return Array.from(match.keys())
    .filter((s) => eligible(s) && match[s]! >= CANDIDATE_MATCH_MIN)
    .sort((a, b) => match[b]! - match[a]! || a - b)
    .slice(0, MAX_CANDIDATES);
}

export interface RelationInput {
  readonly positions: Float32Array;
  readonly segmentOfPoint: Int32Array;
  readonly segmentCount: number;
  /** Phrase score per segment (higher = better match). */
  readonly targetScores: ArrayLike<number>;
  readonly referenceScores: ArrayLike<number>;
  /** Segments that may be candidates (e.g. objects, not the floor); default all non-empty. */
  readonly eligible?: (segment: number) => boolean;
  readonly relation: RelationKind;
  readonly frame: RelationFrame;
}

export function resolveRelation(input: RelationInput): RelationAnswer {
  const segments = frameSegments(input.positions, input.segmentOfPoint, input.segmentCount, input.frame);
  const eligible = (s: number) => segments[s]!.count > 0 && (input.eligible?.(s) ?? true);
  const targetMatch = matchScores(input.targetScores);
  const referenceMatch = matchScores(input.referenceScores);
  const targets = candidatesOf(targetMatch, eligible);
  const references = candidatesOf(referenceMatch, eligible);
  const inside =
    input.relation === 'in'
      ? insideFractions(
          input.positions,
          input.segmentOfPoint,
          input.frame,
          targets,
          references.map((id) => ({ id, box: segments[id]! })),
          (s) => segments[s]!.count,
        )
      : null;
  const candidates: RelationCandidate[] = [];
  for (const t of targets) {
    for (const r of references) {
      if (t === r) continue;
      const judgement = judgeRelation(input.relation, segments[t]!, segments[r]!, inside?.get(`${t}:${r}`) ?? 0);
      candidates.push({
        target: t,
        reference: r,
        score: judgement.score * targetMatch[t]! * referenceMatch[r]!,
        targetMatch: targetMatch[t]!,
        referenceMatch: referenceMatch[r]!,
        judgement,
      });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.target - b.target || a.reference - b.reference);
  return { relation: input.relation, candidates, segments };
}

/** The world centroid of a segment of an answer (metres). */
export const worldCentroidOf = (answer: RelationAnswer, segment: number): Vec3 => answer.segments[segment]!.worldCentroid;
