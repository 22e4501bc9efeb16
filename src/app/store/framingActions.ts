/**
 * Writers of the view's framing state: the up axis (per scene, remembered in localStorage and
 * settable from `?up=`), the camera pose the rig reports when it comes to rest, and the unit
 * rescale of a scene whose numbers are not metres.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { UpAxis } from '../../core/views/framing.ts';
import { isUpAxis } from '../../core/views/framing.ts';
import { useFieldLens, type CameraPose, type FieldLensState } from './store.ts';
import { reportError, showCloud } from './actions.ts';

const { getState, setState } = useFieldLens;
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

function remember(sceneName: string, choice: UpChoice): void {
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

/** The user picked an up axis: the camera re-frames (CameraRig) and the choice is kept for this scene. */
export function setUpChoice(choice: UpChoice): void {
  if (choice !== 'auto' && !isUpAxis(choice)) throw new RangeError(`up axis: expected auto, y, -y, z or -z, found ${String(choice)}`);
  remember(getState().sceneName, choice);
  setState({ upChoice: choice, cameraPose: null });
}

/** Written by the camera rig when the camera comes to rest (null: the framed start view). */
export function recordCameraPose(pose: CameraPose | null): void {
  setState({ cameraPose: pose });
}

/** Multiplies every length of the loaded scene by `factor` (mm → m: 0.001) in the worker; the view re-frames. */
export async function rescaleScene(factor: number): Promise<void> {
  setState({ busy: 'Rescaling…' });
  try {
    const { sceneName, sceneFromDrop } = getState();
    showCloud(await sceneWorker().rescale(factor), sceneFromDrop, sceneName);
  } catch (error) {
    reportError(error);
  } finally {
    setState({ busy: null });
  }
}
