/**
 * Mask-mode queries: rank segments, not points. Each segment has one feature ([S, D], see
 * segmentFeatures.ts); the phrase scores every segment with the selected formula of the formula
 * table (raw cosine = OpenMask3D's score; LERF / paired softmax with their canonical negatives), and
 * the rows come back best first with their size, centroid and box. Label sets give every segment
 * its argmax label (OpenScene / OpenMask3D closed-vocabulary style).
 */
import type { Instance } from '../query/clustering.ts';
import { formulaSpec, type RelevancyKind } from '../query/formulaTable.ts';
import { relevancyLayers } from '../query/formulas.ts';
import { argmaxLabels } from '../query/segmentation.ts';

export interface RankedSegment extends Instance {
  readonly score: number;
  /** Index into the label set (label-set queries), else absent; −1 = no feature. */
  readonly label?: number;
}

/** Score of each segment for one phrase embedding, by a formula of the table. Float32Array [S]. */
export function segmentScores(
  segmentFeatures: Float32Array,
  dim: number,
  query: Float32Array,
  negatives: readonly Float32Array[],
  formula: RelevancyKind,
): Float32Array {
  return relevancyLayers(segmentFeatures, dim, [query], negatives, formulaSpec(formula).defaults)[0]!;
}

/** Segments best first (ties: lower id); empty segments are left out. */
export function rankSegments(summaries: readonly Instance[], scores: ArrayLike<number>, labels?: Int32Array): RankedSegment[] {
  return summaries
    .filter((s) => s.count > 0)
    .map((s) => ({ ...s, score: scores[s.id]!, ...(labels ? { label: labels[s.id]! } : {}) }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Argmax label of each segment over a label set (cosine to each label; −1 for a featureless segment). */
export function segmentLabels(segmentFeatures: Float32Array, dim: number, labels: readonly Float32Array[]): Int32Array {
  return argmaxLabels(segmentFeatures, dim, labels).labels;
}
