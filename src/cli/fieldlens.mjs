#!/usr/bin/env node
// `fieldlens` command: a thin shim that runs the TypeScript CLI through tsx, so the CLI shares the
// exact core modules the page and the workers use (no separate build step to go stale).
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// Keep WebAssembly on V8's baseline compiler (Liftoff). By default V8 re-compiles onnxruntime's
// ~12 MB of wasm with TurboFan on background threads, and the process cannot exit until that
// finishes: `fieldlens query` on the demo printed its result in ~4 s and exited ~40 s later
// (measured 41.8 s → 3.7 s with this flag; on a loaded 2-core machine >120 s → 6.7 s). The
// models the CLI runs are small enough that Liftoff code costs nothing visible.
// FIELDLENS_WASM_TURBOFAN=1 restores V8's default tiering (e.g. to benchmark big models).
// Must run before onnxruntime-web compiles its wasm, i.e. before main.ts is imported.
if (process.env.FIELDLENS_WASM_TURBOFAN !== '1') setFlagsFromString('--liftoff-only');

register();
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: after onnxruntime-web has initialised, Node delivered libuv completions (and so
// the process's own exit) ~30 s late in our measurements. Writes to stdout pipes and files are
// synchronous on Linux, so nothing printed is lost.
process.exit(code);
