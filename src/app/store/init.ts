/**
 * The store's subscriptions, started explicitly by main.tsx (nothing subscribes on import): the
 * teacher panel resets when the scene changes or the worker restarts (its features lived in the
 * cloud and the worker they were computed in), and the worker bridge's status and crashes reach
 * the status bar and the error list.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import { reportError } from './jobs.ts';
import { useFieldLens } from './store.ts';
import { NO_TEACHER_RESULT, useTeacherPanel } from './teacherStore.ts';

/** Starts the subscriptions; returns what stops them. */
export function initStore(): () => void {
  const stops = [
    useFieldLens.subscribe((state, previous) => {
      if (state.sceneVersion !== previous.sceneVersion) useTeacherPanel.setState({ ...NO_TEACHER_RESULT });
    }),
    sceneWorker.subscribe((status, crash) => {
      useFieldLens.setState({ sceneWorker: status });
      if (!crash) return;
      reportError(crash);
      useTeacherPanel.setState({ ...NO_TEACHER_RESULT });
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
