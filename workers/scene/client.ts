/**
 * Page-side handle to the scene worker. The worker starts lazily on first use; only
 * src/app/store/actions.ts calls it (the UI never talks to workers directly).
 */
import * as Comlink from 'comlink';
import type { SceneWorkerApi, TransferredFile } from './protocol.ts';

let remote: Comlink.Remote<SceneWorkerApi> | null = null;

export function sceneWorker(): Comlink.Remote<SceneWorkerApi> {
  remote ??= Comlink.wrap<SceneWorkerApi>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fieldlens-scene' }));
  return remote;
}

/** Marks the files' buffers for transfer (zero-copy); the caller must not use them afterwards. */
export function transferFiles(files: TransferredFile[]): TransferredFile[] {
  return Comlink.transfer(
    files,
    files.map((f) => f.bytes),
  );
}

export { proxy } from 'comlink';
