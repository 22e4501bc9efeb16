#!/usr/bin/env node
// `fieldlens` command: a thin shim that runs the TypeScript CLI through tsx, so the CLI shares the
// exact core modules the page and the workers use (no separate build step to go stale).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
