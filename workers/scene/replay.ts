/**
 * What a fresh scene worker is told again, beyond its configuration, dropped model files and scene
 * (which the bridge replays itself), so that it is in the state the page shows: the model set in
 * use, the teacher run on the current scene (run again: its features never leave the worker), the
 * feature set chosen after it, the refined set (refined again from the set it came from), point pruning (its threshold), the compared scene of *Compare with…* (its files as sent, so a
 * double-click still matches after a Cancel or a crash), and the last query's relevancy layers
 * (re-clustering reads them).
 * Recorded from calls that answered for the current scene; forgotten, except the model set, when a
 * scene load replaces the scene. The layers are the page's own arrays (results are replaced, never
 * mutated), so keeping them costs no memory; a replay sends structured-clone copies.
 */
import type { FeatureSetId, SceneWorkerApi, TeacherRunOptions } from './protocol.ts';

type CompareArgs = Parameters<SceneWorkerApi['openCompareScene']>;

/** The calls whose effect a fresh worker needs again. */
type Recorded =
  'useModelSet' | 'runTeacher' | 'useFeatureSet' | 'query' | 'openCompareScene' | 'closeCompareScene' | 'pruneFeatures' | 'restoreUnpruned' | 'refineFeatures';

/** The part of the worker's remote API a replay uses. */
export type ReplayTarget = { readonly [K in Recorded | 'restoreLayers']: (...args: Parameters<SceneWorkerApi[K]>) => Promise<unknown> };

export class WorkerReplay {
  private modelSet: string | null = null;
  private teacher: TeacherRunOptions | null = null;
  private featureSet: FeatureSetId | null = null;
  private layers: readonly Float32Array[] | null = null;
  /** The compared scene's files, capture settings and name (without the progress listener, which was that call's own). */
  /** The set the last refinement started from (it is refined again in a fresh worker). */
  private refinedFrom: FeatureSetId | null = null;
  /** The threshold of the last prune, while the scene is pruned. */
  private pruned: number | null = null;
  private compared: [CompareArgs[0], CompareArgs[1], CompareArgs[2]] | null = null;

  /** Keeps what call `method` (answered for the current scene) changed in the worker. */
  record(method: string, args: readonly unknown[], result: unknown): void {
    switch (method as Recorded) {
      case 'useModelSet':
        this.modelSet = args[0] as string;
        break;
      case 'runTeacher':
        // The teacher's run selects its own set: an earlier choice no longer holds.
        this.teacher = args[0] as TeacherRunOptions;
        this.featureSet = null;
        break;
      case 'useFeatureSet':
        this.featureSet = args[0] as FeatureSetId;
        break;
      case 'openCompareScene':
        this.compared = [args[0] as CompareArgs[0], args[1] as CompareArgs[1], args[2] as CompareArgs[2]];
        break;
      case 'refineFeatures':
        this.refinedFrom = (result as { from: FeatureSetId }).from;
        this.featureSet = 'refined';
        break;
      case 'pruneFeatures':
      case 'restoreUnpruned':
        // The worker dropped the layers with the points they were for.
        this.pruned = method === 'pruneFeatures' ? (args[0] as number) : null;
        this.layers = null;
        break;
      case 'closeCompareScene':
        this.compared = null;
        break;
      case 'query':
        this.layers = (result as { layers: readonly { values: Float32Array }[] }).layers.map((l) => l.values);
        break;
    }
  }

  /** A scene load replaced the scene: its teacher features, feature-set choice, compared scene and layers are gone. */
  sceneReplaced(): void {
    this.teacher = null;
    this.compared = null;
    this.pruned = null;
    this.refinedFrom = null;
    this.featureSet = null;
    this.layers = null;
  }

  /** Before the scene is loaded: the model set in use. */
  async replayModels(api: ReplayTarget): Promise<void> {
    if (this.modelSet !== null) await api.useModelSet(this.modelSet);
  }

  /**
   * After the scene is loaded: the teacher run (no progress), the refinement, the chosen feature set, the prune, the compared
   * scene (checked against that set's space, as when it was opened), the last layers.
   */
  async replayScene(api: ReplayTarget): Promise<void> {
    if (this.teacher) await api.runTeacher(this.teacher);
    if (this.refinedFrom !== null) {
      await api.useFeatureSet(this.refinedFrom);
      await api.refineFeatures();
    }
    if (this.featureSet !== null) await api.useFeatureSet(this.featureSet);
    if (this.pruned !== null) await api.pruneFeatures(this.pruned);
    if (this.compared) await api.openCompareScene(...this.compared);
    if (this.layers) await api.restoreLayers([...this.layers]);
  }
}
