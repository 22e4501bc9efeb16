import { useEffect, useState } from 'react';
import { availableColorModes } from '../query/colorModes.ts';
import { SHORTCUTS, shortcutFor, type ShortcutAction } from '../shortcuts/shortcuts.ts';
import { requestCamera, setColorMode, togglePanels } from '../store/viewSlice.ts';
import { useFieldLens } from '../store/store.ts';
import { QUERY_INPUT_ID } from './QueryBox.tsx';

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'number', 'email', 'url', 'password', 'tel']);

/** Keys typed here belong to the user's text, not to the shortcuts. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

function focusQueryBox(): void {
  const focus = () => document.getElementById(QUERY_INPUT_ID)?.focus();
  if (useFieldLens.getState().panelsVisible) focus();
  else {
    togglePanels();
    // The panel is shown on the next render; focus once it is in the layout.
    requestAnimationFrame(focus);
  }
}

/** The studio's keyboard shortcuts (one table, src/app/shortcuts/shortcuts.ts) and their help overlay (`?`). */
export function KeyboardShortcuts() {
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    const perform = (action: ShortcutAction) => {
      switch (action.kind) {
        case 'color-mode':
          if (availableColorModes(useFieldLens.getState()).includes(action.mode)) setColorMode(action.mode);
          return;
        case 'focus-query':
          focusQueryBox();
          return;
        case 'toggle-panels':
          togglePanels();
          return;
        case 'camera':
          requestCamera({ kind: action.request });
          return;
        case 'toggle-help':
          setHelpOpen((open) => !open);
          return;
        case 'close-help':
          setHelpOpen(false);
      }
    };
    const onKeyDown = (e: KeyboardEvent) => {
      const shortcut = shortcutFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inEditableField: isEditable(e.target) });
      if (!shortcut) return;
      e.preventDefault(); // `/` must not be typed into the box it focuses
      perform(shortcut.action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  if (!helpOpen) return null;
  return (
    <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-help">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.key}>
              <td>
                <kbd>{s.label}</kbd>
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Keys are ignored while you type in a field.</p>
      <button type="button" onClick={() => setHelpOpen(false)}>
        Close
      </button>
    </div>
  );
}
