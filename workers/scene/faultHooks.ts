/**
 * Fault injection for the fault e2e tests (dev and bench builds only; worker.ts imports this
 * module behind a build-time constant, so production bundles do not contain it).
 */
import { syntheticCloud } from '../../src/core/synth/syntheticCloud.ts';
import { loseWebGpuDevice } from '../../src/infer/ortRuntime.ts';
import type { SceneWorkerApi, SceneWorkerFaultHooks, TaskProgress } from './protocol.ts';
import { syntheticVoxelCloud } from './voxelApi.ts';

export function installFaultHooks(api: SceneWorkerApi & Partial<SceneWorkerFaultHooks>): void {
  let crashArmed = false;
  const query = api.query.bind(api);
  api.query = async (request, onProgress) => {
    let crashed = false;
    const result = await query(request, (event: TaskProgress) => {
      onProgress?.(event);
      if (!crashArmed || event.status !== 'stage') return;
      crashArmed = false;
      crashed = true;
      // Uncaught, so the page's Worker gets an `error` event, as for a worker that died.
      setTimeout(() => {
        throw new Error('crash injected by the fault test hook, mid-query');
      });
    });
    // A dead worker answers nothing.
    if (crashed) await new Promise<never>(() => undefined);
    return result;
  };
  api.crashOnNextQueryStage = () => {
    crashArmed = true;
    return Promise.resolve();
  };
  installSyntheticVoxels(api);
  api.loseWebGpuDevice = loseWebGpuDevice;
  api.closeSilently = () => {
    // After this answer has been posted; a closed worker fires no event on the page.
    setTimeout(() => self.close());
    return Promise.resolve();
  };
}

/** Voxel calls on the bench build's synthetic cloud (generated here once, on the first call). */
function installSyntheticVoxels(api: SceneWorkerApi & Partial<SceneWorkerFaultHooks>): void {
  let synthetic: { count: number; positions: Float32Array | null } | null = null;
  syntheticVoxelCloud.current = (pointCount) => {
    if (synthetic?.count !== pointCount) return null;
    return { count: synthetic.count, positions: (synthetic.positions ??= syntheticCloud(synthetic.count).positions) };
  };
  api.useSyntheticCloud = (count) => {
    synthetic = count > 0 ? { count, positions: null } : null;
    return Promise.resolve();
  };
  for (const load of ['loadSceneUrl', 'loadDroppedFiles', 'reloadWithOptions', 'rescale'] as const) {
    const original = api[load].bind(api) as (...args: unknown[]) => ReturnType<SceneWorkerApi[typeof load]>;
    (api as unknown as Record<string, unknown>)[load] = (...args: unknown[]) => {
      synthetic = null;
      return original(...args);
    };
  }
}
