/**
 * The teacher slice of the bound store: the teacher panel's options, progress and the scene's
 * feature sets, under one `teacher` field so its names stay its own. Reset (NO_TEACHER_RESULT)
 * whenever a new scene is shown (showCloud) or the worker restarts (init.ts), because teacher
 * features belong to the cloud and the worker they were computed in.
 */
import type { FusionMode } from '../../core/teacher/fusion.ts';
import type { TeacherMethod } from '../../core/teacher/runTeacher.ts';
import type { FeatureSetId, FeatureSetInfo, TeacherSummary } from '../../../workers/scene/protocol.ts';

export interface StageProgress {
  readonly done: number;
  readonly total: number;
}

export interface TeacherPanelState {
  fusion: FusionMode;
  bestK: number;
  method: TeacherMethod;
  running: boolean;
  viewProgress: StageProgress | null;
  objectProgress: StageProgress | null;
  summary: TeacherSummary | null;
  featureSets: readonly FeatureSetInfo[];
  /** The set the worker uses; null = its default (the file's own features, else the student's). */
  activeSet: FeatureSetId | null;
}

export const NO_TEACHER_RESULT = {
  running: false,
  viewProgress: null,
  objectProgress: null,
  summary: null,
  featureSets: [],
  activeSet: null,
} as const satisfies Partial<TeacherPanelState>;

export interface TeacherSlice {
  teacher: TeacherPanelState;
}

export const teacherSlice = (): TeacherSlice => ({ teacher: { fusion: 'pixels', bestK: 3, method: 'objects', ...NO_TEACHER_RESULT } });
