/**
 * The bench build (dist-bench/: the studio plus its benchmark/test hooks, src/devHooks) for the
 * few end-to-end checks that need a hook; everything else runs against the production dist/.
 * Rebuilt when missing or older than dist/ (the suite's own build), so it never lags the source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startStaticServer, type StaticServer } from '../src/node/staticServer.ts';
import { repoRoot } from './helpers.ts';

export const distDir = join(repoRoot, 'dist');
export const benchDistDir = join(repoRoot, 'dist-bench');

export function ensureBenchBuild(): string {
  const index = join(benchDistDir, 'index.html');
  const production = join(distDir, 'index.html');
  const stale = !existsSync(index) || (existsSync(production) && statSync(index).mtimeMs < statSync(production).mtimeMs);
  if (stale) execFileSync('npx', ['vite', 'build', '--mode', 'bench', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  return benchDistDir;
}

/** Serves the bench build at a free port, with the COOP/COEP headers the studio needs. */
export function serveBenchBuild(): Promise<StaticServer> {
  return startStaticServer({ root: ensureBenchBuild(), base: '/', isolation: true });
}
