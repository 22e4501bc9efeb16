/**
 * Query history for the query box (pure: the component persists it in localStorage).
 * Entries are oldest first; a repeated query moves to the newest place instead of appearing twice.
 */

export const HISTORY_LIMIT = 50;
export const HISTORY_STORAGE_KEY = 'fieldlens.queryHistory';

/** The history after running `text`: trimmed, deduplicated, the newest `limit` kept. */
export function addToHistory(history: readonly string[], text: string, limit = HISTORY_LIMIT): string[] {
  const entry = text.trim();
  if (entry === '') return [...history];
  const next = history.filter((h) => h !== entry);
  next.push(entry);
  return next.slice(Math.max(0, next.length - limit));
}

/**
 * Where ↑/↓ lead. `cursor` is the history index shown in the box, or null while the user edits
 * their own draft (kept aside so ↓ past the newest entry gives it back).
 */
export interface HistoryWalk {
  readonly cursor: number | null;
  readonly draft: string;
}

export function stepHistory(history: readonly string[], walk: HistoryWalk, direction: 'older' | 'newer'): HistoryWalk & { readonly text: string } {
  if (history.length === 0) return { ...walk, text: walk.draft };
  let cursor: number | null;
  if (direction === 'older') cursor = walk.cursor === null ? history.length - 1 : Math.max(0, walk.cursor - 1);
  else cursor = walk.cursor === null || walk.cursor >= history.length - 1 ? null : walk.cursor + 1;
  return { cursor, draft: walk.draft, text: cursor === null ? walk.draft : history[cursor]! };
}

/** Reads a stored history; anything malformed (another version, hand edits) reads as empty. */
export function parseStoredHistory(stored: string | null): string[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').slice(-HISTORY_LIMIT);
  } catch {
    return [];
  }
}
