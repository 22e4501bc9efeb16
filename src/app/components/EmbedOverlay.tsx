import { useState } from 'react';
import { runQuery } from '../store/querySlice.ts';
import { useFieldLens } from '../store/store.ts';

/** The address of this view without `embed=1`: the full studio. */
function studioUrl(): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('embed');
  return url.href;
}

/** In an iframe (`?embed=1`, panels hidden): the scene's name, a query box and a link to the full studio. */
export function EmbedOverlay() {
  const sceneName = useFieldLens((s) => s.sceneName);
  const running = useFieldLens((s) => s.queryRunning);
  const shownQuery = useFieldLens((s) => s.resultQuery?.text ?? '');
  const [text, setText] = useState<string | null>(null);
  // The box shows what the user is typing, else the query on display (e.g. from the URL).
  const value = text ?? shownQuery;
  return (
    <div className="embed-overlay" data-testid="embed-overlay">
      <span className="embed-scene" data-testid="embed-scene">
        {sceneName}
      </span>
      <input
        type="search"
        data-testid="embed-query"
        aria-label="query"
        placeholder="yellow dice"
        value={value}
        disabled={running}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && value.trim() !== '') void runQuery(value.trim()).then(() => setText(null));
        }}
      />
      {/* The link is read when clicked, so it carries the current query. */}
      <a href={studioUrl()} target="_blank" rel="noopener" data-testid="embed-open" onClick={(e) => (e.currentTarget.href = studioUrl())}>
        open in FieldLens ↗
      </a>
    </div>
  );
}
