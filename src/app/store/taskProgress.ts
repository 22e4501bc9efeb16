/**
 * Folding a task's progress events into what the progress bars show (pure): one entry per model
 * file downloaded and one per inference stage, in the order they started.
 */
import type { TaskProgress } from '../../../workers/scene/protocol.ts';
import type { InferenceStage } from '../../infer/queryTypes.ts';

export interface ModelDownload {
  readonly file: string;
  /** Bytes received so far. */
  readonly loaded: number;
  /** Bytes expected, null while the server has not said (no Content-Length). */
  readonly total: number | null;
  readonly done: boolean;
}

export interface StageState {
  readonly stage: InferenceStage;
  /** null while the stage runs; then how long it took. */
  readonly ms: number | null;
}

export interface TaskProgressState {
  readonly modelDownloads: readonly ModelDownload[];
  readonly stageProgress: readonly StageState[];
}

function upsert<T>(list: readonly T[], matches: (item: T) => boolean, next: T): T[] {
  const i = list.findIndex(matches);
  return i < 0 ? [...list, next] : list.map((item, j) => (j === i ? next : item));
}

export function applyTaskProgress(state: TaskProgressState, event: TaskProgress): TaskProgressState {
  if (event.status === 'stage') {
    return { ...state, stageProgress: upsert(state.stageProgress, (s) => s.stage === event.stage, { stage: event.stage, ms: event.ms }) };
  }
  const file = event.file;
  const previous = state.modelDownloads.find((d) => d.file === file);
  const download: ModelDownload =
    event.status === 'initiate'
      ? { file, loaded: 0, total: null, done: false }
      : event.status === 'progress'
        ? { file, loaded: event.loaded, total: event.total, done: false }
        : { file, loaded: event.bytes, total: previous?.total ?? event.bytes, done: true };
  return { ...state, modelDownloads: upsert(state.modelDownloads, (d) => d.file === file, download) };
}
