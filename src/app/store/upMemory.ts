/**
 * The up axis chosen for each scene: remembered in localStorage under the scene's name, and the
 * `?up=` of a link, which wins once, for the first scene shown. Read by showCloud (sceneSlice.ts) when
 * a scene appears and written by the up picker (viewSlice.ts); it imports neither, so those two
 * do not import each other.
 */
import type { UpAxis } from '../../core/views/framing.ts';
import { isUpAxis } from '../../core/views/framing.ts';
import type { FieldLensState } from './store.ts';

export type UpChoice = FieldLensState['upChoice'];

const storageKey = (sceneName: string) => `fieldlens.up:${sceneName}`;

/** The `?up=` of the page URL, applied to the first scene shown (a link wins over what was remembered). */
let upFromUrl: UpAxis | null = null;

export function setUpFromUrl(axis: UpAxis): void {
  upFromUrl = axis;
}

function remembered(sceneName: string): UpChoice {
  try {
    const value = globalThis.localStorage?.getItem(storageKey(sceneName));
    return isUpAxis(value) ? value : 'auto';
  } catch {
    return 'auto'; // storage blocked (sandboxed iframe): nothing remembered
  }
}

export function remember(sceneName: string, choice: UpChoice): void {
  try {
    if (choice === 'auto') globalThis.localStorage?.removeItem(storageKey(sceneName));
    else globalThis.localStorage?.setItem(storageKey(sceneName), choice);
  } catch {
    // storage blocked: the choice holds for this page only
  }
}

/** Up for a scene about to be shown: the URL's (once), else the one remembered for its name, else auto. */
export function initialUpChoice(sceneName: string): UpChoice {
  const fromUrl = upFromUrl;
  upFromUrl = null;
  if (fromUrl) {
    remember(sceneName, fromUrl);
    return fromUrl;
  }
  return remembered(sceneName);
}
