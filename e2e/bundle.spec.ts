import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, ensureBenchBuild } from './benchBuild.ts';

/** Every name the benchmark/test hooks (src/devHooks/testHooks.ts, workers/scene/faultHooks.ts) put on window.fieldlens, the page or the worker. */
const HOOK_NAMES = [
  'loadSyntheticCloud',
  'renderFrames',
  'renderStats',
  'colorRecomputes',
  'fieldlensTestHooks',
  'crashSceneWorkerMidQuery',
  'crashOnNextQueryStage',
  'closeSceneWorkerSilently',
  'closeSilently',
];

function scripts(dir: string): string {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(assets, name), 'utf8'))
    .join('\n');
}

test('the production bundle ships no benchmark or test hooks; the bench build has each of them', () => {
  test.setTimeout(180_000);
  const production = scripts(distDir);
  const bench = scripts(ensureBenchBuild());
  // The grep can see the code: the production bundle has the public scripting API.
  expect(production).toContain('applyState');
  for (const name of HOOK_NAMES) {
    expect(production.includes(name), `${name} in dist/assets`).toBe(false);
    expect(bench.includes(name), `${name} in dist-bench/assets`).toBe(true);
  }
});
