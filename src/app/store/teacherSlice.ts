/**
 * The teacher slice: the teacher panel's options, progress and the scene's feature sets, under one
 * `teacher` field so its names stay its own; its actions run the multi-view CLIP teacher in the
 * scene worker and switch the feature set that queries use (a query already shown is re-run on the
 * newly chosen set). Reset (NO_TEACHER_RESULT) whenever a new scene is shown (showCloud), because
 * teacher features belong to the cloud they were computed on; a restarted worker gets them back
 * (the bridge replays the run), and only a failed restore resets them (init.ts).
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { FusionMode } from '../../core/teacher/fusion.ts';
import type { TeacherMethod } from '../../core/teacher/runTeacher.ts';
import type { FeatureSetId, FeatureSetInfo, TeacherProgress, TeacherSummary } from '../../../workers/scene/protocol.ts';
import type { RefinementSummary } from '../../../workers/scene/featureToolsProtocol.ts';
import { runQuery } from './querySlice.ts';
import { cancellable, reportError } from './jobsSlice.ts';
import { useFieldLens } from './store.ts';

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
  /** A refinement running, and the last one's report (the 'refined' set). */
  refining: boolean;
  refinement: RefinementSummary | null;
}

/** What a new scene resets; a function declaration, so that createTeacherSlice can use it before this module's constants exist. */
function noTeacherResult() {
  return {
    running: false,
    viewProgress: null,
    objectProgress: null,
    summary: null,
    featureSets: [],
    activeSet: null,
    refining: false,
    refinement: null,
  } as const satisfies Partial<TeacherPanelState>;
}
export const NO_TEACHER_RESULT = noTeacherResult();

export interface TeacherSlice {
  teacher: TeacherPanelState;
}

export function createTeacherSlice(): TeacherSlice {
  return { teacher: { fusion: 'pixels', bestK: 3, method: 'objects', ...noTeacherResult() } };
}

const teacherState = () => useFieldLens.getState().teacher;
const setTeacher = (patch: Partial<TeacherPanelState>) => useFieldLens.setState((s) => ({ teacher: { ...s.teacher, ...patch } }));

export function updateTeacherSettings(patch: Partial<Pick<TeacherPanelState, 'fusion' | 'bestK' | 'method'>>): void {
  setTeacher(patch);
}

async function rerunQuery(): Promise<void> {
  const text = useFieldLens.getState().queryText;
  if (text.trim() !== '') await runQuery(text);
}

/** Reads the current scene's feature sets again (after a run, or once the background features are ready). */
export async function refreshFeatureSets(): Promise<void> {
  setTeacher({ featureSets: await sceneWorker.call('featureSets', []) });
}

/**
 * Runs the teacher and selects its features; a query already shown is re-run on them, except when
 * the background preparation runs it (featuresSlice): queries typed meanwhile wait for it anyway.
 */
export async function runTeacherOnScene({ rerunQuery: rerun = true }: { rerunQuery?: boolean } = {}): Promise<void> {
  const { fusion, bestK, method } = teacherState();
  setTeacher({ running: true, viewProgress: null, objectProgress: null });
  try {
    const ran = await cancellable('teacher', async (signal) => {
      const onProgress = proxy((p: TeacherProgress) =>
        setTeacher(p.stage === 'views' ? { viewProgress: { done: p.done, total: p.total } } : { objectProgress: { done: p.done, total: p.total } }),
      );
      const summary = await sceneWorker.call('runTeacher', [{ fusion, k: bestK, method }, onProgress], { signal });
      setTeacher({ summary, activeSet: 'teacher' });
      await refreshFeatureSets();
      return true;
    });
    if (ran && rerun) await rerunQuery();
  } finally {
    setTeacher({ running: false });
  }
}

/**
 * Refines the selected feature set in the worker (a linear map trained with a contrastive loss
 * across the scene's views) and switches to the result, the 'refined' set; a query shown is re-run on it.
 */
export async function refineSelectedFeatures(): Promise<void> {
  setTeacher({ refining: true });
  try {
    const ran = await cancellable('model', async (signal) => {
      const refinement = await sceneWorker.call('refineFeatures', [], { signal });
      setTeacher({ refinement, activeSet: 'refined' });
      await refreshFeatureSets();
      return true;
    });
    if (ran) await rerunQuery();
  } catch (error) {
    reportError(error);
  } finally {
    setTeacher({ refining: false });
  }
}

/** After the worker replaced the cloud but kept its feature sets (pruning): the page's list and choice back. */
export async function keepFeatureSets(active: FeatureSetId | null, refinement: RefinementSummary | null): Promise<void> {
  setTeacher({ activeSet: active, refinement });
  await refreshFeatureSets();
}

export async function chooseFeatureSet(id: FeatureSetId): Promise<void> {
  try {
    await sceneWorker.call('useFeatureSet', [id]);
    setTeacher({ activeSet: id });
    await rerunQuery();
  } catch (error) {
    reportError(error);
  }
}

/** The selected feature set (student / teacher / file) as a feature PLY, built in the worker. */
export function selectedFeaturePly(): Promise<Blob> {
  return sceneWorker.call('exportFeaturePly', []);
}
