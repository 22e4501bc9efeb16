import type { InferenceStage } from '../../infer/queryTypes.ts';
import { useFieldLens } from '../store/store.ts';

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
