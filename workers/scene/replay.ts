/**
 * What a fresh scene worker is told again, beyond its configuration, dropped model files and scene
 * (which the bridge replays itself), so that it is in the state the page shows: the model set in
 * use, the teacher run on the current scene (run again: its features never leave the worker), the
 * feature set chosen after it, and the last query's relevancy layers (re-clustering reads them).
 * Recorded from calls that answered for the current scene; forgotten, except the model set, when a
 * scene load replaces the scene. The layers are the page's own arrays (results are replaced, never
 * mutated), so keeping them costs no memory; a replay sends structured-clone copies.
 */
import type { FeatureSetId, SceneWorkerApi, TeacherRunOptions } from './protocol.ts';

/** The calls whose effect a fresh worker needs again. */
type Recorded = 'useModelSet' | 'runTeacher' | 'useFeatureSet' | 'query';

/** The part of the worker's remote API a replay uses. */
export type ReplayTarget = { readonly [K in Recorded | 'restoreLayers']: (...args: Parameters<SceneWorkerApi[K]>) => Promise<unknown> };

export class WorkerReplay {
  private modelSet: string | null = null;
  private teacher: TeacherRunOptions | null = null;
  private featureSet: FeatureSetId | null = null;
  private layers: readonly Float32Array[] | null = null;

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
      case 'query':
        this.layers = (result as { layers: readonly { values: Float32Array }[] }).layers.map((l) => l.values);
        break;
    }
  }

  /** A scene load replaced the scene: its teacher features, feature-set choice and layers are gone. */
  sceneReplaced(): void {
    this.teacher = null;
    this.featureSet = null;
    this.layers = null;
  }

  /** Before the scene is loaded: the model set in use. */
  async replayModels(api: ReplayTarget): Promise<void> {
    if (this.modelSet !== null) await api.useModelSet(this.modelSet);
  }

  /** After the scene is loaded: the teacher run (no progress), the chosen feature set, the last layers. */
  async replayScene(api: ReplayTarget): Promise<void> {
    if (this.teacher) await api.runTeacher(this.teacher);
    if (this.featureSet !== null) await api.useFeatureSet(this.featureSet);
    if (this.layers) await api.restoreLayers([...this.layers]);
  }
}
