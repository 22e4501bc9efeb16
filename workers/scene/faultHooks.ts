/**
 * Fault injection for the fault e2e tests (dev and bench builds only; worker.ts imports this
 * module behind a build-time constant, so production bundles do not contain it).
 */
import { loseWebGpuDevice } from '../../src/infer/ortRuntime.ts';
import type { SceneWorkerApi, SceneWorkerFaultHooks, TaskProgress } from './protocol.ts';

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
  api.loseWebGpuDevice = loseWebGpuDevice;
  api.closeSilently = () => {
    // After this answer has been posted; a closed worker fires no event on the page.
    setTimeout(() => self.close());
    return Promise.resolve();
  };
}
