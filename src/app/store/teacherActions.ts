/**
 * Teacher actions: run the multi-view CLIP teacher in the scene worker and switch the feature set
 * that queries use. A query already shown is re-run on the newly chosen set.
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { FeatureSetId, TeacherProgress } from '../../../workers/scene/protocol.ts';
import { runQuery } from './actions.ts';
import { cancellable, reportError } from './jobs.ts';
import { useFieldLens } from './store.ts';
import type { TeacherPanelState } from './teacherStore.ts';

const getState = () => useFieldLens.getState().teacher;
const setState = (patch: Partial<TeacherPanelState>) => useFieldLens.setState((s) => ({ teacher: { ...s.teacher, ...patch } }));

export function updateTeacherSettings(patch: Partial<Pick<TeacherPanelState, 'fusion' | 'bestK' | 'method'>>): void {
  setState(patch);
}

async function rerunQuery(): Promise<void> {
  const text = useFieldLens.getState().queryText;
  if (text.trim() !== '') await runQuery(text);
}

async function refreshFeatureSets(): Promise<void> {
  setState({ featureSets: await sceneWorker.call('featureSets', []) });
}

export async function runTeacherOnScene(): Promise<void> {
  const { fusion, bestK, method } = getState();
  setState({ running: true, viewProgress: null, objectProgress: null });
  try {
    const ran = await cancellable('teacher', async (signal) => {
      const onProgress = proxy((p: TeacherProgress) =>
        setState(p.stage === 'views' ? { viewProgress: { done: p.done, total: p.total } } : { objectProgress: { done: p.done, total: p.total } }),
      );
      const summary = await sceneWorker.call('runTeacher', [{ fusion, k: bestK, method }, onProgress], { signal });
      setState({ summary, activeSet: 'teacher' });
      await refreshFeatureSets();
      return true;
    });
    if (ran) await rerunQuery();
  } finally {
    setState({ running: false });
  }
}

export async function chooseFeatureSet(id: FeatureSetId): Promise<void> {
  try {
    await sceneWorker.call('useFeatureSet', [id]);
    setState({ activeSet: id });
    await rerunQuery();
  } catch (error) {
    reportError(error);
  }
}

/** The selected feature set (student / teacher / file) as a feature PLY, built in the worker. */
export function selectedFeaturePly(): Promise<Blob> {
  return sceneWorker.call('exportFeaturePly', []);
}
