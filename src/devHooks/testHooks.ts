/**
 * Benchmark and test hooks on `window.fieldlens`, added only in the dev server and the bench build
 * (`vite build --mode bench` → dist-bench/, see main.tsx): the production bundle ships none of them
 * (e2e/bundle.spec.ts greps the build). This module may reach into both the app and the renderer;
 * neither imports it.
 */
import { syntheticCloud } from '../core/synth/syntheticCloud.ts';
import { showSyntheticCloud } from '../app/store/sceneSlice.ts';
import type { FieldLensScriptingApi } from '../app/scriptingApi.ts';
import { displayColorRecomputes } from '../render/displayColorCache.ts';
import { renderProbe, type RenderStats } from '../render/renderProbe.ts';
import { sceneWorker } from '../../workers/scene/client.ts';

export interface FieldLensTestHooks {
  /** How many times per-point display colours have been recomputed (only when the drawn state changes). */
  colorRecomputes(): number;
  /** Replaces the scene by a procedural n-point cloud with a result for every mode (render benchmark). */
  loadSyntheticCloud(count: number): void;
  /** Renders `frames` frames back to back, orbiting the camera when asked; mean ms per frame (null before the canvas exists). */
  renderFrames(frames: number, orbitDegreesPerFrame?: number): number | null;
  renderStats(): RenderStats | null;
  /** Arms the scene worker to crash once the next query's first inference stage has started (fault tests). */
  crashSceneWorkerMidQuery(): Promise<void>;
  /** Makes the scene worker close itself (`self.close()`: no error event), as a worker killed for memory ends (fault tests). */
  closeSceneWorkerSilently(): Promise<void>;
  /** Destroys the scene worker's WebGPU device, as a driver reset would (fault tests); false when none was open. */
  loseWebGpuDevice(): Promise<boolean>;
}

declare global {
  interface Window {
    fieldlensTestHooks?: true;
  }
}

export function installTestHooks(api: FieldLensScriptingApi): void {
  const hooks: FieldLensTestHooks = {
    colorRecomputes: () => displayColorRecomputes(),
    loadSyntheticCloud: (count) => {
      showSyntheticCloud(syntheticCloud(count));
      // The worker voxelises the same (seeded) cloud for the voxel view.
      void sceneWorker.callFaultHook((api) => api.useSyntheticCloud(count));
    },
    renderFrames: (frames, orbit) => renderProbe.current?.renderFrames(frames, orbit) ?? null,
    renderStats: () => renderProbe.current?.stats() ?? null,
    crashSceneWorkerMidQuery: () => sceneWorker.callFaultHook((api) => api.crashOnNextQueryStage()),
    closeSceneWorkerSilently: () => sceneWorker.callFaultHook((api) => api.closeSilently()),
    loseWebGpuDevice: async () => {
      let lost = false;
      await sceneWorker.callFaultHook(async (api) => {
        lost = await api.loseWebGpuDevice();
      });
      return lost;
    },
  };
  Object.assign(api, hooks);
  window.fieldlensTestHooks = true;
}
