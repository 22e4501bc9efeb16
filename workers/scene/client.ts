/**
 * The page's scene worker: one bridge (bridge.ts), which starts the worker on the first call.
 * Only the store's actions call it (the UI never talks to workers directly).
 */
import { SceneWorkerBridge } from './bridge.ts';

export const sceneWorker = new SceneWorkerBridge(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fieldlens-scene' }));

export { proxy } from 'comlink';
export { isCancelled, isQuietError, type BridgeStatus } from './bridge.ts';
