/**
 * The jobs slice: user-facing errors, the busy label of a scene task, the worker's status, and the
 * cancel of long tasks. Each running task holds an AbortController here (not in the store: it is
 * not state to draw); its Cancel button aborts it, which makes the worker bridge terminate the
 * worker (the scene is restored on the next call). A cancel and a result for a replaced scene are
 * not errors.
 */
import { isQuietError, type BridgeStatus } from '../../../workers/scene/client.ts';
import { useFieldLens } from './store.ts';

export interface UserError {
  readonly id: number;
  readonly message: string;
}

export interface JobsSlice {
  busy: string | null;
  errors: readonly UserError[];
  /** The scene worker: idle (not started, or stopped by a cancel), running, or restarting after a crash. */
  sceneWorker: BridgeStatus;
}

/** A function declaration (hoisted): store.ts may call it before this module has run. */
export function createJobsSlice(): JobsSlice {
  return { busy: null, errors: [], sceneWorker: { state: 'idle', restarts: 0 } };
}

let nextErrorId = 1;

/** The long tasks that have a Cancel button. */
export type TaskKind = 'ingest' | 'model' | 'teacher';

const controllers: Record<TaskKind, Set<AbortController>> = { ingest: new Set(), model: new Set(), teacher: new Set() };

/**
 * Lists a user-facing error once: the same failure reported again while its entry is still shown
 * (a second drop of the same files, a retried query) moves that entry to the end instead of
 * stacking identical ones.
 */
export function reportError(error: unknown): void {
  if (isQuietError(error)) return;
  const message = error instanceof Error ? error.message : String(error);
  useFieldLens.setState((s) => ({ errors: [...s.errors.filter((e) => e.message !== message), { id: nextErrorId++, message }] }));
}

export function dismissError(id: number): void {
  useFieldLens.setState((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
}

export function dismissAllErrors(): void {
  useFieldLens.setState({ errors: [] });
}

/** Runs `task` with a signal that `cancelTask(kind)` aborts; its errors are reported, not thrown. */
export async function cancellable<T>(kind: TaskKind, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  controllers[kind].add(controller);
  try {
    return await task(controller.signal);
  } catch (error) {
    reportError(error);
    return undefined;
  } finally {
    controllers[kind].delete(controller);
  }
}

/** The Cancel button of a long task: aborts every running task of that kind. */
export function cancelTask(kind: TaskKind): void {
  for (const controller of controllers[kind]) controller.abort();
}

let latestBusy = 0;

/** A scene task (load, re-lift, rescale, model files) with its label shown; the latest one's label stays until it ends. */
export async function busy<T>(label: string, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const mine = ++latestBusy;
  useFieldLens.setState({ busy: label });
  try {
    return await cancellable('ingest', task);
  } finally {
    if (mine === latestBusy) useFieldLens.setState({ busy: null, ingestProgress: null });
  }
}
