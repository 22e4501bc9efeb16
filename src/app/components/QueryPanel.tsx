import { useState } from 'react';
import { runQuery, setColorMode } from '../store/actions.ts';
import { useFieldLens } from '../store/store.ts';
import { ColorBar } from './ColorBar.tsx';

/** Text query: Enter runs the student + text encoder in the worker and shows the heatmap. */
export function QueryPanel() {
  const [text, setText] = useState('');
  const running = useFieldLens((s) => s.queryRunning);
  const backend = useFieldLens((s) => s.backend);
  const timings = useFieldLens((s) => s.timings);
  const colorMode = useFieldLens((s) => s.colorMode);
  const hasResult = useFieldLens((s) => s.relevancyRange !== null);
  const progress = useFieldLens((s) => s.modelProgress);

  return (
    <section className="panel-section" aria-label="Query">
      <h2>Query</h2>
      <input
        type="search"
        data-testid="query-input"
        placeholder='e.g. "yellow dice" — press Enter'
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !running) void runQuery(text);
        }}
        aria-busy={running}
      />
      {progress && progress.status === 'progress' && (
        <progress max={progress.total ?? undefined} value={progress.loaded} aria-label={`downloading ${progress.file}`} />
      )}
      <p className="query-status">
        {backend && (
          <span className={`badge badge-${backend}`} data-testid="backend" title="execution provider that ran the models">
            {backend}
          </span>
        )}
        {timings && (
          <span data-testid="query-time" title={`student ${timings.studentMs.toFixed(0)} ms · text ${timings.textMs.toFixed(0)} ms · relevancy ${timings.relevancyMs.toFixed(0)} ms · model load ${timings.modelLoadMs.toFixed(0)} ms`}>
            {timings.totalMs.toFixed(0)} ms
          </span>
        )}
        {running && <span>running…</span>}
      </p>
      {hasResult && (
        <div className="mode-switch" role="radiogroup" aria-label="colour mode">
          {(['rgb', 'relevancy'] as const).map((mode) => (
            <label key={mode}>
              <input type="radio" name="color-mode" checked={colorMode === mode} onChange={() => setColorMode(mode)} /> {mode === 'rgb' ? 'RGB' : 'Relevancy'}
            </label>
          ))}
        </div>
      )}
      <ColorBar />
    </section>
  );
}
