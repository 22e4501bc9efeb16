/**
 * The layer rules of .config/eslint.config.js fire: each forbidden import, linted as if it sat in
 * the layer (ESLint's Node API, the repo's own config), is an error naming the rule's reason, and
 * the allowed neighbour of each is clean. Type-aware rules are switched off here (the snippets are
 * not on disk, and the import rules need no types).
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../node/repoPaths.ts';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: join(repoRoot, '.config/eslint.config.js'),
    overrideConfig: tseslint.configs.disableTypeChecked,
    ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports' || ruleId === 'no-restricted-globals',
  });
});

/** The layer-rule messages for `code` placed at `file` (relative to the repo root). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return result!.messages.map((m) => `${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId}: ${m.message}`);
}

const cases: readonly { rule: string; file: string; bad: string; expected: RegExp; good: string }[] = [
  {
    rule: 'src/app imports src/render only in App.tsx',
    file: 'src/app/components/Probe.tsx',
    bad: "import { Viewport } from '../../render/Viewport.tsx';\nexport const v = Viewport;\n",
    expected: /src\/app reaches src\/render only in App\.tsx/,
    good: "import { useFieldLens } from '../store/store.ts';\nexport const v = useFieldLens;\n",
  },
  {
    rule: 'App.tsx mounts the viewport',
    file: 'src/app/App.tsx',
    bad: "import { installTestHooks } from '../devHooks/testHooks.ts';\nexport const v = installTestHooks;\n",
    expected: /Benchmark\/test hooks are added by main\.tsx/,
    good: "import { Viewport } from '../render/Viewport.tsx';\nexport const v = Viewport;\n",
  },
  {
    rule: 'src/render calls no app action',
    file: 'src/render/Probe.tsx',
    bad: "import { reportError } from '../app/store/jobsSlice.ts';\nexport const v = reportError;\n",
    expected: /src\/render calls no app action/,
    good: "import { useFieldLens } from '../app/store/store.ts';\nexport const v = useFieldLens;\n",
  },
  {
    rule: 'src/render reads no page module',
    file: 'src/render/Probe.tsx',
    bad: "import { ScenePanel } from '../app/components/ScenePanel.tsx';\nexport const v = ScenePanel;\n",
    expected: /src\/render calls no app action/,
    good: "import { drawBuffers } from '../app/store/drawBuffers.ts';\nexport const v = drawBuffers;\n",
  },
  {
    rule: 'src/cli does not import src/demo',
    file: 'src/cli/probe.ts',
    bad: "import { buildDemoSceneFiles } from '../demo/generateDemoScene.ts';\nexport const v = buildDemoSceneFiles;\n",
    expected: /src\/cli does not import the demo generator/,
    good: "import { formatSceneJson } from '../core/synth/sceneJson.ts';\nexport const v = formatSceneJson;\n",
  },
  {
    rule: 'benchmarks do not import e2e/',
    file: 'src/bench/probe.bench.ts',
    bad: "import { waitForDrawn } from '../../e2e/helpers.ts';\nexport const v = waitForDrawn;\n",
    expected: /Benchmarks do not import the e2e suite/,
    good: "import { startStaticServer } from '../node/staticServer.ts';\nexport const v = startStaticServer;\n",
  },
  {
    rule: 'src/core imports no React',
    file: 'src/core/probe.ts',
    bad: "import { useState } from 'react';\nexport const v = useState;\n",
    expected: /src\/core is pure: no UI/,
    good: "import { asDepthScale } from './units.ts';\nexport const v = asDepthScale;\n",
  },
  {
    rule: 'src/core imports no three',
    file: 'src/core/lift/probe.ts',
    bad: "import { Vector3 } from 'three';\nexport const v = Vector3;\n",
    expected: /src\/core is pure: no UI/,
    good: "import { computeBounds } from './pointCloud.ts';\nexport const v = computeBounds;\n",
  },
  {
    rule: 'src/core imports no Node module',
    file: 'src/core/probe.ts',
    bad: "import { readFileSync } from 'node:fs';\nexport const v = readFileSync;\n",
    expected: /Browser code never imports Node modules/,
    good: 'export const v = 1;\n',
  },
  {
    rule: 'src/core imports nothing from src/infer or src/app',
    file: 'src/core/probe.ts',
    bad: "import { SceneEngine } from '../infer/sceneEngine.ts';\nimport { useFieldLens } from '../app/store/store.ts';\nexport const v = [SceneEngine, useFieldLens];\n",
    expected: /src\/core imports nothing outside src\/core/,
    good: "import { mulberry32 } from './synth/prng.ts';\nexport const v = mulberry32;\n",
  },
  {
    rule: 'src/core uses no DOM global',
    file: 'src/core/probe.ts',
    bad: 'export const v = () => document.title;\n',
    expected: /no DOM or browser globals/,
    good: 'export const v = () => new TextEncoder();\n',
  },
  {
    rule: 'the page never imports src/node',
    file: 'src/app/components/Probe.tsx',
    bad: "import { repoRoot } from '../../node/repoPaths.ts';\nexport const v = repoRoot;\n",
    expected: /never imports Node modules or src\/node/,
    good: "import { drawBuffers } from '../store/drawBuffers.ts';\nexport const v = drawBuffers;\n",
  },
  {
    rule: 'the worker never imports src/node',
    file: 'workers/scene/probe.ts',
    bad: "import { nodeModelSourceAt } from '../../src/node/modelSource.ts';\nexport const v = nodeModelSourceAt;\n",
    expected: /never imports Node modules or src\/node/,
    good: "import { SceneEngine } from '../../src/infer/sceneEngine.ts';\nexport const v = SceneEngine;\n",
  },
  {
    rule: 'src/infer never imports src/node',
    file: 'src/infer/probe.ts',
    bad: "import { exitAfterWasm } from '../node/wasmExit.ts';\nexport const v = exitAfterWasm;\n",
    expected: /never imports Node modules or src\/node/,
    good: "import { parseModelManifest } from '../core/models/manifest.ts';\nexport const v = parseModelManifest;\n",
  },
];

describe('layer rules in .config/eslint.config.js', () => {
  it.each(cases)('$rule: a violation is an error, the allowed import is clean', async ({ file, bad, expected, good }) => {
    const errors = await layerErrors(file, bad);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/^error /);
    expect(errors.join('\n')).toMatch(expected);
    expect(await layerErrors(file, good)).toEqual([]);
  });

  it('the CLI, benchmarks, training and tests share src/node (it is Node-only, not restricted there)', async () => {
    const code = "import { nodeModelSourceAt } from '../node/modelSource.ts';\nexport const v = nodeModelSourceAt;\n";
    expect(await layerErrors('src/cli/probe.ts', code)).toEqual([]);
    expect(await layerErrors('src/bench/probe.bench.ts', code)).toEqual([]);
    expect(await layerErrors('models/student/probe.ts', code.replace('../node/', '../../src/node/'))).toEqual([]);
  });
});
