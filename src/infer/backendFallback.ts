/**
 * WebGPU can fail under a running page: the device is lost (driver reset, GPU process crash, the
 * tab backgrounded on some systems) or a kernel fails. A session created on WebGPU is wrapped so
 * that a failed run re-opens the same model on WASM, runs it again there and stays on WASM; its
 * `backend` then reports `wasm` and `backendNote` says what happened, for the badge beside it.
 * A WASM run that fails is the model's own error and is passed on.
 */
import type { OrtSession } from './ortRuntime.ts';

export function withWasmFallback(primary: OrtSession, openWasm: () => Promise<OrtSession>): OrtSession {
  let current = primary;
  let note: string | null = primary.backendNote ?? null;
  let switching: Promise<OrtSession> | null = null;
  return {
    get backend() {
      return current.backend;
    },
    get backendNote() {
      return note;
    },
    inputNames: primary.inputNames,
    outputNames: primary.outputNames,
    async run(feeds) {
      const ranOn = current;
      try {
        return await ranOn.run(feeds);
      } catch (error) {
        if (ranOn.backend !== 'webgpu') throw error;
        // Runs that failed together switch once: the first opens WASM, the others wait for it.
        if (!switching) {
          const reason = error instanceof Error ? error.message : String(error);
          switching = openWasm().then((wasm) => {
            current = wasm;
            note = `WebGPU failed during a run (${reason.slice(0, 160)}); it was retried on WASM, which runs the models from now on`;
            void ranOn.release().catch(() => undefined);
            return wasm;
          });
        }
        return (await switching).run(feeds);
      }
    },
    release: () => current.release(),
  };
}
