/**
 * `npm run check [tsc|eslint|prettier…]`: the static checks of `npm test` — every TypeScript project, ESLint (layer rules,
 * type-aware) and the Prettier check — run two at a time. Each is single-threaded, so on a 2-core
 * machine two lanes finish in about the time of the longest (ESLint) instead of the sum.
 *
 * `npm run typecheck` and `npm run lint` are this script limited to their kinds, so the list of
 * TypeScript projects lives here only.
 *
 * Output is buffered per check and printed whole when it ends, so interleaved lanes stay readable.
 * Exit status: 0 only when every check passed; the failed ones are listed at the end.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { repoRoot } from './repoPaths.ts';

type CheckKind = 'tsc' | 'eslint' | 'prettier';

interface Check {
  readonly kind: CheckKind;
  readonly name: string;
  readonly args: readonly string[];
}

/** The TypeScript projects: each area has its own lib (see the root tsconfig.json's comment). */
const TS_PROJECTS = [
  'tsconfig.json',
  'src/core/tsconfig.json',
  'src/infer/tsconfig.json',
  'src/app/tsconfig.json',
  'workers/tsconfig.json',
  'e2e/tsconfig.json',
];

/** Longest first, so the lanes balance: ESLint alone takes about as long as all the rest. */
const CHECKS: readonly Check[] = [
  { kind: 'eslint', name: 'eslint', args: ['eslint', '--config', '.config/eslint.config.js', '--max-warnings=0', '.'] },
  ...TS_PROJECTS.map((project) => ({ kind: 'tsc' as const, name: `tsc -p ${project}`, args: ['tsc', '-p', project] })),
  { kind: 'prettier', name: 'prettier --check', args: ['prettier', '--check', '--log-level', 'warn', '.'] },
];

interface Outcome {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
}

function run(check: Check): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', ...check.args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const text = Buffer.concat(output).toString('utf8').trimEnd();
      console.log(`${code === 0 ? 'ok  ' : 'FAIL'} ${check.name} (${seconds.toFixed(1)} s)`);
      if (text) console.log(text);
      resolve({ name: check.name, code: code ?? 1, seconds });
    });
    child.on('error', (error) => {
      console.log(`FAIL ${check.name}: ${error.message}`);
      resolve({ name: check.name, code: 1, seconds: 0 });
    });
  });
}

const kinds = process.argv.slice(2);
for (const kind of kinds) {
  if (!CHECKS.some((c) => c.kind === kind)) {
    console.error(`unknown check "${kind}": expected tsc, eslint or prettier`);
    process.exit(2);
  }
}
const lanes = Math.max(1, Math.min(2, availableParallelism()));
const pending = CHECKS.filter((c) => kinds.length === 0 || kinds.includes(c.kind));
const outcomes: Outcome[] = [];
await Promise.all(
  Array.from({ length: lanes }, async () => {
    for (let check = pending.shift(); check; check = pending.shift()) outcomes.push(await run(check));
  }),
);
const failed = outcomes.filter((o) => o.code !== 0);
if (failed.length > 0) {
  console.log(`\n${failed.length} check(s) failed: ${failed.map((o) => o.name).join(', ')}`);
  process.exit(1);
}
console.log(`\nall ${outcomes.length} checks passed`);
