import { useShallow } from 'zustand/react/shallow';
import { formatDownloadSize as mb } from '../../core/models/modelSetScope.ts';
import { answerConsent, cancelModelDownload, chooseModelSet, retryModelDownload } from '../store/modelSetSlice.ts';
import { useFieldLens } from '../store/store.ts';

/**
 * The model-set picker beside the query box (options from the manifest's model-set table), with the
 * consent question for a set that downloads, per-file download progress, cancel and retry.
 */
export function ModelSetPicker() {
  const { sets, active, consent, download, notice } = useFieldLens(
    useShallow(({ modelSets: s }) => ({ sets: s.sets, active: s.active, consent: s.consent, download: s.download, notice: s.notice })),
  );
  const queryRunning = useFieldLens((s) => s.queryRunning);
  // Until the manifest's sets arrive, a disabled placeholder of the same width holds the picker's
  // place: the query bar wraps by its items' widths, and an item appearing late re-wrapped it and
  // resized the 3D view under the user.
  if (sets.length === 0) {
    return (
      <div className="model-set">
        <select aria-label="Model set (loading)" disabled>
          <option>model sets…</option>
        </select>
      </div>
    );
  }
  const downloading = download?.phase === 'running';
  return (
    <div className="model-set" data-testid="model-set-panel" data-state={consent ? 'consent' : (download?.phase ?? 'ready')}>
      <select
        data-testid="model-set"
        aria-label="Model set"
        title="the models that encode text and compute 3D features (one embedding space)"
        value={active ?? ''}
        disabled={downloading || queryRunning}
        onChange={(e) => void chooseModelSet(e.currentTarget.value)}
      >
        {sets.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
            {s.downloadBytes > 0 ? ` — ${mb(s.downloadBytes)} download` : ''}
          </option>
        ))}
      </select>
      {consent && (
        <div className="model-set-consent" data-testid="model-set-consent" role="alertdialog" aria-label="Download models?">
          <span>
            “{consent.label}” downloads <strong data-testid="model-set-size">{mb(consent.downloadBytes)}</strong> into this browser’s storage (once; later
            visits use the stored copy, offline). Download now?
          </span>
          <button type="button" data-testid="model-set-accept" onClick={() => void answerConsent(true)}>
            Download
          </button>
          <button type="button" data-testid="model-set-decline" onClick={() => void answerConsent(false)}>
            Not now
          </button>
        </div>
      )}
      {download && (
        <div className="model-set-download" data-testid="model-set-download" data-phase={download.phase} role="status" aria-live="polite">
          <ul className="task-progress" aria-label="model downloads">
            {download.files.map((d) => (
              <li key={d.file} data-testid="model-set-file" data-file={d.file} data-done={d.done}>
                <span className="task-name">{d.file}</span>
                <progress max={d.total ?? undefined} value={d.total === null && !d.done ? undefined : d.loaded} />
                <span className="task-figure">{d.total === null ? mb(d.loaded) : `${mb(d.loaded)} / ${mb(d.total)}`}</span>
              </li>
            ))}
          </ul>
          {download.phase === 'running' && (
            <button type="button" data-testid="model-set-cancel" onClick={cancelModelDownload}>
              Cancel download
            </button>
          )}
          {download.phase === 'failed' && <span data-testid="model-set-status">{download.message}</span>}
          {download.phase === 'cancelled' && <span data-testid="model-set-status">Download cancelled; the models in use are unchanged.</span>}
          {download.phase !== 'running' && (
            <button type="button" data-testid="model-set-retry" onClick={() => void retryModelDownload()}>
              Retry download
            </button>
          )}
        </div>
      )}
      {notice && (
        <span className="model-set-notice" data-testid="model-set-notice">
          {notice}
        </span>
      )}
    </div>
  );
}
