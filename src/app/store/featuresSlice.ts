/**
 * The features slice: the current scene's features, computed in the background as soon as a capture
 * is shown and a model set is in use, before anyone types. ONNX Runtime and the text encoder open
 * first ("runtime ready"); then the selected feature set is computed — the student's when the model
 * set has one (or the file's own features), else the teacher runs as its own task (teacherSlice, with
 * per-object progress and Cancel) — and the state becomes "ready". Model tasks wait for this work
 * (featuresPending.ts). Redone when the scene, the model set, the backend or dropped model files
 * change; the work of a replaced scene or set is dropped. Failures here are not reported: the query
 * that needs the models reports them itself.
 */
import { isQuietError, sceneWorker } from '../../../workers/scene/client.ts';
import { setFeaturesPending } from './featuresPending.ts';
import { refreshFeatureSets, runTeacherOnScene } from './teacherSlice.ts';
import { progressProxy } from './querySlice.ts';
import { useFieldLens, type FieldLensState } from './store.ts';

/** 'deferred': computed by the first query that needs them (the student on a software WebGPU adapter). */
export type FeaturesPhase = 'idle' | 'preparing' | 'teacher' | 'ready' | 'deferred' | 'unavailable' | 'failed';

export interface FeaturesState {
  phase: FeaturesPhase;
  /** ONNX Runtime and the text encoder are open. */
  runtimeReady: boolean;
  /** Why features are not ready (unavailable, failed, cancelled); null otherwise. */
  note: string | null;
  /** performance.now() when the runtime / the features became ready (the first-query benchmark's timeline). */
  runtimeReadyAtMs: number | null;
  readyAtMs: number | null;
}

export interface FeaturesSlice {
  features: FeaturesState;
}

export function createFeaturesSlice(): FeaturesSlice {
  return { features: { phase: 'idle', runtimeReady: false, note: null, runtimeReadyAtMs: null, readyAtMs: null } };
}

const setFeatures = (patch: Partial<FeaturesState>) => useFieldLens.setState((s) => ({ features: { ...s.features, ...patch } }));

/**
 * Opens ONNX Runtime and the default set's text encoder while the first scene loads (startStudio
 * calls it once the worker is configured, after the first paint): the runtime's start-up is the largest part of a first
 * query. A failure is left to the query that needs the models.
 */
export async function warmRuntime(): Promise<void> {
  try {
    // Only a set that loads without a download: a download waits for the user's yes.
    const sets = await sceneWorker.call('modelSets', []);
    const first = sets.find((x) => x.isDefault) ?? sets[0];
    if (first && (first.bundled || first.downloadBytes === 0)) await sceneWorker.call('warmModels', [progressProxy()]);
  } catch {
    // reported by the query that needs the models
  }
}

/** Preparations started; only the latest one writes the state. */
let generation = 0;

/** Opens the models and computes the current scene's features now; model tasks wait for it. */
export function prepareSceneFeatures(): Promise<void> {
  const mine = ++generation;
  const current = () => mine === generation;
  const work = (async () => {
    setFeatures({ phase: 'preparing', runtimeReady: false, note: null, runtimeReadyAtMs: null, readyAtMs: null });
    try {
      // Their model downloads show in the task panel's bars, as a query's would.
      await sceneWorker.call('warmModels', [progressProxy()]);
      if (current()) setFeatures({ runtimeReady: true, runtimeReadyAtMs: performance.now() });
      const prepared = await sceneWorker.call('prepareFeatures', [progressProxy()]);
      if (!current()) return;
      if (prepared.set === null && prepared.needs === 'query') {
        setFeatures({ phase: 'deferred', note: 'features are computed by the first query (WebGPU on a software adapter)' });
        return;
      }
      if (prepared.set === null && prepared.needs === 'none') {
        setFeatures({ phase: 'unavailable', note: 'this model set has no 3D student, and the teacher needs colour views (this capture has none)' });
        return;
      }
      if (prepared.set === null) {
        setFeatures({ phase: 'teacher' });
        await runTeacherOnScene({ rerunQuery: false });
        if (!current()) return;
        if (useFieldLens.getState().teacher.activeSet !== 'teacher') {
          setFeatures({ phase: 'failed', note: 'the teacher did not finish: run it from the Teacher panel' });
          return;
        }
      } else {
        await refreshFeatureSets();
      }
      if (current()) setFeatures({ phase: 'ready', readyAtMs: performance.now() });
    } catch (error) {
      if (!current() || isQuietError(error)) return;
      setFeatures({ phase: 'failed', note: error instanceof Error ? error.message : String(error) });
    }
  })();
  setFeaturesPending(work);
  return work;
}

/**
 * What the features depend on; a change starts a new preparation. Null (nothing to prepare) until a
 * scene is shown and the set in use can load without a download: a set still waiting for the user's
 * yes, or downloading, is never fetched from here.
 */
function featuresKey(s: FieldLensState): string | null {
  const m = s.modelSets;
  const set = m.sets.find((x) => x.id === m.active);
  const usable = set !== undefined && (set.bundled || set.downloadBytes === 0) && m.consent === null && m.download?.phase !== 'running';
  if (s.sceneVersion === 0 || !usable) return null;
  return JSON.stringify([s.sceneVersion, s.modelSets.active, s.backendPreference, s.localModelsSummary]);
}

/** Prepares the features whenever the scene, model set, backend or model files change (init.ts starts it). */
export function watchFeatures(): () => void {
  return useFieldLens.subscribe((s, prev) => {
    const key = featuresKey(s);
    if (key !== null && key !== featuresKey(prev)) void prepareSceneFeatures();
  });
}
