/**
 * The query panel's own state: progress of the running task, re-clustering, query history. The
 * query slice's tasks write the progress and re-clustering fields; the query box writes the history.
 */
import type { ModelDownload, StageState } from './taskProgress.ts';
import { useFieldLens } from './store.ts';

export interface PanelSlice {
  /** One entry per model file fetched by the current (or last) task. */
  modelDownloads: readonly ModelDownload[];
  /** Inference stages of the current (or last) task, in run order. */
  stageProgress: readonly StageState[];
  /** Instances are being re-made at a new threshold (slider released). */
  reclustering: boolean;
  /** How long the last re-clustering took, or null. */
  clusteringMs: number | null;
  /** Queries run, oldest first (persisted by the query box). */
  history: readonly string[];
}

export function createPanelSlice(): PanelSlice {
  return { modelDownloads: [], stageProgress: [], reclustering: false, clusteringMs: null, history: [] };
}

export function rememberQuery(history: readonly string[]): void {
  useFieldLens.setState({ history });
}
