/**
 * Point pruning for feature continuity (SparseDFF), after features are computed: the worker drops
 * the points whose feature disagrees with most of their spatial neighbours' at the chosen cosine
 * threshold, always from the scene before the first prune (so Apply with another threshold
 * re-computes), and Restore undoes it. The pruned cloud enters through showCloud like any new
 * cloud (the worker keeps the feature sets, with the kept rows, so the page keeps its set choice);
 * this slice keeps the threshold and the last before/after counts (small values only).
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import { PRUNE_DEFAULTS } from '../../core/match/pruneFeatures.ts';
import { progressProxy, withModelTask } from './querySlice.ts';
import { reportError } from './jobsSlice.ts';
import { showCloud } from './sceneSlice.ts';
import { keepFeatureSets } from './teacherSlice.ts';
import { useFieldLens } from './store.ts';

export interface PrunePanelState {
  /** A neighbour agrees when the cosine of the two features is at least this. */
  minCosine: number;
  running: boolean;
  /** Points before the first prune and after the last one; null when the shown scene is not pruned. */
  before: number | null;
  after: number | null;
  ms: number | null;
  /** The sceneVersion the counts belong to (a newer scene makes them stale). */
  sceneVersion: number;
}

export interface PruneSlice {
  prune: PrunePanelState;
}

export function createPruneSlice(): PruneSlice {
  return { prune: { minCosine: PRUNE_DEFAULTS.minCosine, running: false, before: null, after: null, ms: null, sceneVersion: -1 } };
}

function setState(patch: Partial<PrunePanelState>): void {
  useFieldLens.setState((s) => ({ prune: { ...s.prune, ...patch } }));
}

export function setPruneThreshold(minCosine: number): void {
  if (Number.isFinite(minCosine)) setState({ minCosine: Math.max(-1, Math.min(1, minCosine)) });
}

/** Whether the shown scene is a pruned one (the counts are for it). */
export const isPruned = (s: { prune: PrunePanelState; sceneVersion: number }): boolean => s.prune.after !== null && s.prune.sceneVersion === s.sceneVersion;

async function run(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
  setState({ running: true });
  try {
    await withModelTask(task);
  } catch (error) {
    reportError(error);
  } finally {
    setState({ running: false });
  }
}

export function applyPrune(): Promise<void> {
  return run(async (signal) => {
    const result = await sceneWorker.call('pruneFeatures', [useFieldLens.getState().prune.minCosine, progressProxy()], { signal });
    const { sceneFromDrop, sceneName, teacher } = useFieldLens.getState();
    showCloud(result.cloud, sceneFromDrop, sceneName);
    await keepFeatureSets(teacher.activeSet, teacher.refinement);
    setState({ before: result.before, after: result.after, ms: result.ms, sceneVersion: useFieldLens.getState().sceneVersion });
  });
}

export function restorePrunedPoints(): Promise<void> {
  return run(async (signal) => {
    const cloud = await sceneWorker.call('restoreUnpruned', [], { signal });
    const { sceneFromDrop, sceneName, teacher } = useFieldLens.getState();
    showCloud(cloud, sceneFromDrop, sceneName);
    await keepFeatureSets(teacher.activeSet, teacher.refinement);
    setState({ before: null, after: null, ms: null });
  });
}
