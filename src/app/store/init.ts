/**
 * The store's subscriptions, started explicitly by main.tsx (nothing subscribes on import): the
 * worker bridge's status and crashes reach the status bar and the error list, and a restarted
 * worker resets the teacher slice (its features lived in the worker that crashed).
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import { reportError } from './jobs.ts';
import { useFieldLens } from './store.ts';
import { NO_TEACHER_RESULT } from './teacherStore.ts';

/** Starts the subscriptions; returns what stops them. */
export function initStore(): () => void {
  const stops = [
    sceneWorker.subscribe((status, crash) => {
      useFieldLens.setState({ sceneWorker: status });
      if (!crash) return;
      reportError(crash);
      useFieldLens.setState((s) => ({ teacher: { ...s.teacher, ...NO_TEACHER_RESULT } }));
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
