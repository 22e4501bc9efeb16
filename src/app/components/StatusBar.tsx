import { useShallow } from 'zustand/react/shallow';
import { setBackendPreference } from '../store/querySlice.ts';
import { BACKEND_PREFERENCES, isBackendPreference } from '../settingGuards.ts';
import { useFieldLens } from '../store/store.ts';

/** The strip under the 3D view: the backend picker and which backend ran the models, the last query's stage times, point count. */
export function StatusBar() {
  const {
    backend,
    backendPreference,
    timings,
    clusteringMs,
    pointCount,
    queryRunning: running,
    busy,
    featureSource,
    precision,
    sceneWorker,
  } = useFieldLens(
    useShallow((s) => ({
      backend: s.backend,
      backendPreference: s.backendPreference,
      timings: s.timings,
      clusteringMs: s.clusteringMs,
      pointCount: s.pointCount,
      queryRunning: s.queryRunning,
      busy: s.busy,
      featureSource: s.featureSource,
      precision: s.precision,
      sceneWorker: s.sceneWorker,
    })),
  );
  const ownFeatures = featureSource === 'file';
  const stages = timings
    ? ([
        ['model load', timings.modelLoadMs],
        ['student', timings.studentMs],
        ['text', timings.textMs],
        ['relevancy', timings.relevancyMs],
        ['instances', timings.segmentationMs],
      ] as const)
    : [];
  return (
    <footer className="status-bar" data-testid="status-bar">
      <select
        data-testid="backend-picker"
        aria-label="Inference backend"
        title="where the models run: auto = WebGPU on a hardware GPU, else WASM (software WebGPU adapters are skipped)"
        value={backendPreference}
        disabled={running}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isBackendPreference(value)) void setBackendPreference(value);
        }}
      >
        {BACKEND_PREFERENCES.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
      {backend && (
        <span className={`badge badge-${backend}`} data-testid="backend" title="execution provider that ran the models">
          {backend}
        </span>
      )}
      {precision && (
        <span
          className={`badge badge-${precision}`}
          data-testid="precision"
          title="numeric precision of the text encoder (fp16 only on WebGPU with shader-f16)"
        >
          {precision}
        </span>
      )}
      {timings && (
        <span data-testid="query-time" title={stages.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(' · ')}>
          {timings.totalMs.toFixed(0)} ms
        </span>
      )}
      {timings && (
        <span className="stage-times" data-testid="stage-times">
          {stages.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(' · ')} ms
        </span>
      )}
      {clusteringMs !== null && <span data-testid="recluster-time">re-clustered in {clusteringMs.toFixed(0)} ms</span>}
      {ownFeatures && <span title="per-point features loaded with the cloud">own features</span>}
      {(running || busy) && <span>{busy ?? 'running…'}</span>}
      <span
        data-testid="scene-worker"
        data-state={sceneWorker.state}
        data-restarts={sceneWorker.restarts}
        title="the scene worker: restarted with the scene restored after a crash"
      >
        {sceneWorker.state === 'restarting' ? 'restoring the scene…' : sceneWorker.restarts > 0 ? `worker restarted ×${sceneWorker.restarts}` : ''}
      </span>
      <span className="status-points" data-testid="status-point-count">
        {pointCount === null ? '' : `${pointCount.toLocaleString('en')} points`}
      </span>
    </footer>
  );
}
