import type { InferenceStage } from '../../infer/queryTypes.ts';
import { useFieldLens } from '../store/store.ts';
import { cancelTask } from '../store/jobsSlice.ts';

export const STAGE_LABELS: Record<InferenceStage, string> = {
  'text-encode': 'Tokenize + text encoder',
  student: '3D student',
  relevancy: 'Relevancy',
  clustering: 'Instances',
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * One bar per model file being downloaded (bytes) and one per inference stage (running, then its
 * time). They stay up after the task, with their figures, until the next task starts.
 */
export function TaskProgressBars() {
  const downloads = useFieldLens((s) => s.modelDownloads);
  const stages = useFieldLens((s) => s.stageProgress);
  if (downloads.length === 0 && stages.length === 0) return null;
  return (
    <ul className="task-progress" aria-label="progress">
      {downloads.map((d) => (
        <li key={d.file} data-testid="download-progress" data-file={d.file} data-done={d.done}>
          <span className="task-name" title={d.file}>
            {d.file.split('/').at(-1)}
          </span>
          <progress max={d.total ?? undefined} value={d.total === null && !d.done ? undefined : d.loaded} />
          <span className="task-figure">{d.total === null ? kib(d.loaded) : `${kib(d.loaded)} / ${kib(d.total)}`}</span>
        </li>
      ))}
      {stages.map((s) => (
        <li key={s.stage} data-testid="stage-progress" data-stage={s.stage} data-done={s.ms !== null}>
          <span className="task-name">{STAGE_LABELS[s.stage]}</span>
          {/* No fraction is known inside a stage: indeterminate while it runs, full once done. */}
          <progress max={1} value={s.ms === null ? undefined : 1} />
          <span className="task-figure">{s.ms === null ? '…' : `${s.ms.toFixed(0)} ms`}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The running task in one line, beside the query box where the user is looking: the model file
 * being fetched (with its bytes) or the inference stage running, and how many stages are done.
 */
export function CurrentStage() {
  const running = useFieldLens((s) => s.queryRunning);
  const downloads = useFieldLens((s) => s.modelDownloads);
  const stages = useFieldLens((s) => s.stageProgress);
  if (!running) return null;
  const download = downloads.find((d) => !d.done);
  const stage = stages.find((s) => s.ms === null);
  const done = stages.filter((s) => s.ms !== null);
  const label = download ? `Fetching ${download.file.split('/').at(-1)}` : stage ? STAGE_LABELS[stage.stage] : 'Loading models';
  const doneText = done.length > 0 ? `${done.length} done, ${done.reduce((ms, s) => ms + s.ms!, 0).toFixed(0)} ms` : '';
  return (
    <div className="current-stage" data-testid="query-stage" data-stage={download ? 'download' : (stage?.stage ?? 'load')} role="status" aria-live="polite">
      <span className="current-stage-name">{label}…</span>
      {download && download.total !== null ? <progress max={download.total} value={download.loaded} /> : <progress />}
      {download ? <span className="current-stage-figure">{kib(download.loaded)}</span> : doneText && <span className="current-stage-figure">{doneText}</span>}
      <button type="button" data-testid="cancel-query" onClick={() => cancelTask('model')}>
        Cancel
      </button>
    </div>
  );
}
