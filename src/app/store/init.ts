/**
 * The store's subscriptions, started explicitly by main.tsx (nothing subscribes on import): the
 * worker bridge's status and crashes reach the status bar and the error list, and the segment
 * slice follows scene changes and relation queries. A crashed worker is restarted with its scene,
 * teacher features, feature-set choice and last query's layers replayed (bridge.ts); only when that
 * restore fails are the teacher's feature sets reset, since they are gone with the worker. The
 * compared scene (Compare with…) is not replayed: a crash closes it, as a new shown scene does; a
 * new scene also drops the last render's images.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import { reportError } from './jobsSlice.ts';
import { watchSegments } from './segmentSlice.ts';
import { watchFeatures } from './featuresSlice.ts';
import { useFieldLens } from './store.ts';
import { NO_TEACHER_RESULT } from './teacherSlice.ts';
import { clearCompareView } from './compareSlice.ts';
import { clearRenderedView } from './renderViewSlice.ts';

/** Starts the subscriptions; returns what stops them. */
export function initStore(): () => void {
  const stops = [
    sceneWorker.subscribe((status, crash) => {
      useFieldLens.setState({ sceneWorker: status });
      if (!crash) return;
      reportError(crash);
      clearCompareView();
      if (status.state === 'idle') useFieldLens.setState((s) => ({ teacher: { ...s.teacher, ...NO_TEACHER_RESULT } }));
    }),
    useFieldLens.subscribe((s, prev) => {
      if (s.sceneVersion === prev.sceneVersion) return;
      clearCompareView();
      clearRenderedView();
    }),
    watchSegments(),
    watchFeatures(),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
