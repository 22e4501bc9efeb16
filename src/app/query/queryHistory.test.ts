import { describe, expect, it } from 'vitest';
import { addToHistory, HISTORY_LIMIT, parseStoredHistory, stepHistory, type HistoryWalk } from './queryHistory.ts';

describe('query history', () => {
  it('adds trimmed queries, moves a repeat to the newest place and ignores blanks', () => {
    let h = addToHistory([], ' red mug ');
    h = addToHistory(h, 'blue ball');
    h = addToHistory(h, '   ');
    h = addToHistory(h, 'red mug');
    expect(h).toEqual(['blue ball', 'red mug']);
  });

  it(`keeps the newest ${HISTORY_LIMIT}`, () => {
    let h: string[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = addToHistory(h, `q${i}`);
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]).toBe('q5');
    expect(h.at(-1)).toBe(`q${HISTORY_LIMIT + 4}`);
  });

  it('↑ walks to older entries and stops at the oldest; ↓ walks back and returns the draft', () => {
    const history = ['a', 'b', 'c'];
    let walk: HistoryWalk = { cursor: null, draft: 'typing' };
    const texts: string[] = [];
    for (const dir of ['older', 'older', 'older', 'older', 'newer', 'newer', 'newer', 'newer'] as const) {
      const next = stepHistory(history, walk, dir);
      texts.push(next.text);
      walk = next;
    }
    expect(texts).toEqual(['c', 'b', 'a', 'a', 'b', 'c', 'typing', 'typing']);
    expect(walk.cursor).toBeNull();
    expect(stepHistory([], { cursor: null, draft: 'x' }, 'older').text).toBe('x');
  });

  it('reads stored histories defensively', () => {
    expect(parseStoredHistory(JSON.stringify(['a', 3, '', 'b']))).toEqual(['a', 'b']);
    expect(parseStoredHistory('{not json')).toEqual([]);
    expect(parseStoredHistory(JSON.stringify({ a: 1 }))).toEqual([]);
    expect(parseStoredHistory(null)).toEqual([]);
  });
});
