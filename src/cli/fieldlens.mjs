#!/usr/bin/env node
// `fieldlens` command: a thin shim that runs the TypeScript CLI through tsx, so the CLI shares the
// exact core modules the page and the workers use (no separate build step to go stale).
import { register } from 'tsx/esm/api';

register();
// Why the baseline-compiler flag and the explicit exit: src/node/wasmExit.ts. The flag must be set
// before onnxruntime-web compiles its wasm, i.e. before main.ts is imported.
const { preferBaselineWasm, exitAfterWasm } = await import('../node/wasmExit.ts');
preferBaselineWasm();
const { main } = await import('./main.ts');
exitAfterWasm(await main(process.argv.slice(2)));
