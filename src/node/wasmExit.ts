/**
 * Node processes that run onnxruntime-web's WASM (the CLI, benchmarks, model evaluation) exit late
 * unless they take two measures, kept here in one place:
 *
 * - `preferBaselineWasm()`: keep WebAssembly on V8's baseline compiler (Liftoff). By default V8
 *   re-compiles onnxruntime's ~12 MB of wasm with TurboFan on background threads, and the process
 *   cannot exit until that finishes: `fieldlens query` on the demo printed its result in ~4 s and
 *   exited ~40 s later (measured 41.8 s → 3.7 s with the flag; on a loaded 2-core machine
 *   >120 s → 6.7 s). The models run here are small enough that Liftoff code costs nothing
 *   visible. FIELDLENS_WASM_TURBOFAN=1 restores V8's default tiering (e.g. for big models). Must
 *   run before onnxruntime-web compiles its wasm.
 * - `exitAfterWasm(code)`: exit explicitly once the work is done, rather than when the event loop
 *   drains, so nothing onnxruntime-web leaves running (with TurboFan on: its background
 *   compilation) holds the process. Writes to stdout pipes and files are synchronous on Linux, so
 *   nothing printed is lost.
 */
import { setFlagsFromString } from 'node:v8';

export function preferBaselineWasm(): void {
  if (process.env.FIELDLENS_WASM_TURBOFAN !== '1') setFlagsFromString('--liftoff-only');
}

export function exitAfterWasm(code = 0): never {
  process.exit(code);
}
