/**
 * The keyboard shortcut table (pure): key → action + description. The studio's key handler and
 * the help overlay both read this one table, so the help always lists what the keys really do.
 */
import { COLOR_MODE_TABLE, COLOR_MODES, type ColorMode } from '../query/colorModes.ts';

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

/** One key per colour mode that has one in the colour-mode table. */
const COLOR_MODE_SHORTCUTS: readonly Shortcut[] = COLOR_MODES.flatMap((mode): Shortcut[] => {
  const { shortcut, help } = COLOR_MODE_TABLE[mode];
  return shortcut === null ? [] : [{ key: shortcut, label: shortcut, description: `Colour mode: ${help}`, action: { kind: 'color-mode', mode } }];
});

export const SHORTCUTS: readonly Shortcut[] = [
  ...COLOR_MODE_SHORTCUTS,
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
