import { useEffect, useState } from 'react';
import { addToHistory, HISTORY_STORAGE_KEY, parseStoredHistory, stepHistory, type HistoryWalk } from '../query/queryHistory.ts';
import { rememberQuery } from '../store/panelSlice.ts';
import { runQuery, setQueryText } from '../store/querySlice.ts';
import { useFieldLens } from '../store/store.ts';

/** The element id the `/` shortcut focuses. */
export const QUERY_INPUT_ID = 'query-input';

function readStoredHistory(): string[] {
  try {
    return parseStoredHistory(localStorage.getItem(HISTORY_STORAGE_KEY));
  } catch {
    return []; // storage blocked (privacy mode, sandboxed iframe): history lives for this visit only
  }
}

/**
 * The query text box: Enter runs the query; ↑ / ↓ walk earlier queries (kept in localStorage).
 * Its text lives in the store (queryText), so a link or state file that runs a query shows it here.
 */
export function QueryBox() {
  const text = useFieldLens((s) => s.queryText);
  const setText = setQueryText;
  const [walk, setWalk] = useState<HistoryWalk>({ cursor: null, draft: '' });
  const history = useFieldLens((s) => s.history);
  const running = useFieldLens((s) => s.queryRunning);
  const labelsMode = useFieldLens((s) => s.queryMode === 'labels');

  useEffect(() => {
    rememberQuery(readStoredHistory());
  }, []);

  const run = () => {
    const next = addToHistory(history, text);
    rememberQuery(next);
    try {
      localStorage.setItem(HISTORY_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Not persisted; the in-memory history still works.
    }
    setWalk({ cursor: null, draft: '' });
    void runQuery(text);
  };

  const step = (direction: 'older' | 'newer') => {
    // The draft is what the user typed before walking into the history.
    const from = walk.cursor === null ? { cursor: null, draft: text } : walk;
    const next = stepHistory(history, from, direction);
    setWalk({ cursor: next.cursor, draft: next.draft });
    setText(next.text);
  };

  return (
    <input
      type="search"
      id={QUERY_INPUT_ID}
      data-testid="query-input"
      placeholder={labelsMode ? 'mug, plate, bottle — press Enter' : '"yellow dice"; "mug; plate"; "mug; not the table"'}
      title="Enter runs the query; ↑ / ↓ recall earlier queries"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        setWalk({ cursor: null, draft: '' });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !running) run();
        else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          step(e.key === 'ArrowUp' ? 'older' : 'newer');
        }
      }}
      aria-busy={running}
    />
  );
}
