#!/usr/bin/env node
// `fieldlens` command: a thin shim that runs the TypeScript CLI through tsx, so the CLI shares the
// exact core modules the page and the workers use (no separate build step to go stale).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: after onnxruntime-web has initialised, Node delivered libuv completions (and so
// the process's own exit) ~30 s late in our measurements. Writes to stdout pipes and files are
// synchronous on Linux, so nothing printed is lost.
process.exit(code);
