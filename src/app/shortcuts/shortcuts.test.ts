import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor, type KeyPress } from './shortcuts.ts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inEditableField: false,
  ...extra,
});

describe('keyboard shortcuts', () => {
  it('maps 1..6 to the six colour modes and the other keys to their actions', () => {
    const modes = ['1', '2', '3', '4', '5', '6'].map((k) => shortcutFor(press(k))?.action);
    expect(modes).toEqual(['rgb', 'relevancy', 'labels', 'instances', 'pca', 'similarity'].map((mode) => ({ kind: 'color-mode', mode })));
    expect(shortcutFor(press('/'))?.action).toEqual({ kind: 'focus-query' });
    expect(shortcutFor(press('p'))?.action).toEqual({ kind: 'toggle-panels' });
    expect(shortcutFor(press('P'))?.action).toEqual({ kind: 'toggle-panels' });
    expect(shortcutFor(press('f'))?.action).toEqual({ kind: 'camera', request: 'fit' });
    expect(shortcutFor(press('r'))?.action).toEqual({ kind: 'camera', request: 'reset' });
    expect(shortcutFor(press('?'))?.action).toEqual({ kind: 'toggle-help' });
    expect(shortcutFor(press('Escape'))?.action).toEqual({ kind: 'close-help' });
    expect(shortcutFor(press('x'))).toBeNull();
  });

  it('ignores keys typed into fields and chords with Ctrl / Cmd / Alt', () => {
    expect(shortcutFor(press('p', { inEditableField: true }))).toBeNull();
    expect(shortcutFor(press('/', { inEditableField: true }))).toBeNull();
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('f', { metaKey: true }))).toBeNull();
    expect(shortcutFor(press('1', { altKey: true }))).toBeNull();
  });

  it('binds every key once and describes every shortcut', () => {
    const keys = SHORTCUTS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of SHORTCUTS) expect(s.description.length).toBeGreaterThan(5);
  });
});
