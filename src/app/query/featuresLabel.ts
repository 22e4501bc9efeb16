/**
 * Where the features queries use come from, in words for the status line beside the model-set
 * picker: "features from: teacher (29 objects, 4 views)", "features from: student
 * student3d-tiny-trained", "features from: file (feat_0…feat_511)". Derived from the teacher slice's
 * state (the selected set, the sets offered, the teacher's summary), which owns that choice.
 */
import type { FeatureSetId, FeatureSetInfo, TeacherSummary } from '../../../workers/scene/protocol.ts';

export interface FeatureChoice {
  /** The selected set; null = the worker's default (the file's own features, else the student's). */
  readonly activeSet: FeatureSetId | null;
  readonly featureSets: readonly FeatureSetInfo[];
  readonly summary: Pick<TeacherSummary, 'objects' | 'views'> | null;
}

/** The set queries use: the selected one, else the file's own features when offered, else the student's. */
export function effectiveFeatureSet(choice: FeatureChoice): FeatureSetId {
  return choice.activeSet ?? (choice.featureSets.some((s) => s.id === 'file') ? 'file' : 'student');
}

/** "features from: …", or null while the set in use is not known yet (no student offered, no teacher run). */
export function featuresFromLabel(choice: FeatureChoice): string | null {
  const id = effectiveFeatureSet(choice);
  const info = choice.featureSets.find((s) => s.id === id);
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (id === 'teacher' && choice.summary) return `features from: teacher (${count(choice.summary.objects, 'object')}, ${count(choice.summary.views, 'view')})`;
  if (!info) return null;
  return id === 'student' ? `features from: student ${info.source}` : `features from: ${id} (${info.source})`;
}
