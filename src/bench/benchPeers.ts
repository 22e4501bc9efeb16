/**
 * Benchmark-only peer libraries, installed on demand by the benchmark that needs them, never by
 * `npm ci`. Some peers drag native downloads into the install tree (transformers.js pulls in
 * onnxruntime-node, whose install script fetches CUDA binaries from a feed many machines cannot
 * reach, and sharp). They go into `.cache/bench-peers/<name>@<version>/` (git-ignored) with install
 * scripts off: onnxruntime-node's CPU binaries ship inside its npm package, so the CPU peer works
 * without them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../node/repoPaths.ts';

/** Installs `name@version` once into the peer cache and imports it (an ES module namespace). */
export async function importBenchPeer(name: string, version: string): Promise<unknown> {
  const dir = join(repoRoot, '.cache', 'bench-peers', `${name.replace('/', '+')}@${version}`);
  const manifest = join(dir, 'node_modules', ...name.split('/'), 'package.json');
  if (!existsSync(manifest)) {
    mkdirSync(dir, { recursive: true });
    console.error(`installing the benchmark peer ${name}@${version} into ${dir} (once) …`);
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `${name}@${version}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const entry = createRequire(manifest).resolve(name);
  return import(pathToFileURL(entry).href);
}
