/**
 * Writers of the view's framing state: the up axis the user picks (kept per scene by upMemory.ts),
 * the camera pose the rig reports when it comes to rest, and the unit rescale of a scene whose
 * numbers are not metres.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import { busy } from './jobs.ts';
import { isUpAxis } from '../../core/views/framing.ts';
import { useFieldLens, type CameraPose } from './store.ts';
import { showCloud } from './actions.ts';
import { remember, type UpChoice } from './upMemory.ts';

const { getState, setState } = useFieldLens;
export type { UpChoice } from './upMemory.ts';

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
  await busy('Rescaling…', async (signal) => {
    const { sceneName, sceneFromDrop } = getState();
    showCloud(await sceneWorker.rescale(factor, { signal }), sceneFromDrop, sceneName);
  });
}
