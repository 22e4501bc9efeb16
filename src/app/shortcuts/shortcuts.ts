/**
 * The keyboard shortcut table (pure): key → action + description. The studio's key handler and
 * the help overlay both read this one table, so the help always lists what the keys really do.
 */
import type { ColorMode } from '../store/store.ts';

export type ShortcutAction =
  | { readonly kind: 'color-mode'; readonly mode: ColorMode }
  | { readonly kind: 'focus-query' }
  | { readonly kind: 'toggle-panels' }
  | { readonly kind: 'camera'; readonly request: 'fit' | 'reset' }
  | { readonly kind: 'toggle-help' }
  | { readonly kind: 'close-help' };

export interface Shortcut {
  /** KeyboardEvent.key that triggers it. */
  readonly key: string;
  /** How the key is written in the help overlay. */
  readonly label: string;
  readonly description: string;
  readonly action: ShortcutAction;
}

const COLOR_MODE_KEYS: readonly [string, ColorMode, string][] = [
  ['1', 'rgb', 'RGB colours'],
  ['2', 'relevancy', 'Relevancy heatmap'],
  ['3', 'labels', 'Segmentation labels'],
  ['4', 'instances', 'Instances'],
  ['5', 'pca', 'PCA of features'],
  ['6', 'similarity', 'Similarity to the clicked point'],
];

export const SHORTCUTS: readonly Shortcut[] = [
  ...COLOR_MODE_KEYS.map(([key, mode, what]): Shortcut => ({ key, label: key, description: `Colour mode: ${what}`, action: { kind: 'color-mode', mode } })),
  { key: '/', label: '/', description: 'Focus the query box', action: { kind: 'focus-query' } },
  { key: 'p', label: 'P', description: 'Show / hide the panels', action: { kind: 'toggle-panels' } },
  { key: 'f', label: 'F', description: 'Fit the scene in view', action: { kind: 'camera', request: 'fit' } },
  { key: 'r', label: 'R', description: 'Reset the camera to the start view', action: { kind: 'camera', request: 'reset' } },
  { key: '?', label: '?', description: 'Show / hide this help', action: { kind: 'toggle-help' } },
  { key: 'Escape', label: 'Esc', description: 'Close this help', action: { kind: 'close-help' } },
];

/** What the handler needs to know about a key press. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** The focus is in a text field, select or contenteditable: keys are the user's typing. */
  readonly inEditableField: boolean;
}

/** The shortcut a key press triggers, or null (typing in a field and browser/OS chords are left alone). */
export function shortcutFor(press: KeyPress): Shortcut | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.inEditableField) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  return SHORTCUTS.find((s) => s.key === key) ?? null;
}
