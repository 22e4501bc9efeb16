// ESLint flat config. Run as `eslint --config .config/eslint.config.js` (the repo's top level is
// fixed, so tool configs live in dot-folders). The layering rules below are import boundaries:
// each layer lists what it must not import, and src/testing/lintLayers.test.ts proves each fires.
//
//   src/core      pure: no UI, no DOM, no Node, nothing outside src/core
//   src/infer     runs in the worker and in Node: no UI, no Node modules, not the page
//   workers       the worker: not the page, not Node
//   src/app       the page: reaches src/render only in App.tsx (which mounts the viewport), and
//                 the benchmark/test hooks (src/devHooks) only in main.tsx (dev/bench builds)
//   src/render    the 3D view: reads the store, calls no app action (App.tsx passes callbacks)
//   src/node      Node-only helpers (model source, repo paths, wasm exit, static server): the
//                 browser code never imports it
//   src/cli       not the demo generator; src/bench not the e2e suite
// Only src/infer/ortRuntime.ts imports onnxruntime-web.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ui = ['react', 'react-dom', 'react-dom/*', 'three', 'three/*', '@react-three/*', 'zustand', 'zustand/*'];
const ort = { group: ['onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node'], message: 'Only src/infer/ortRuntime.ts imports the inference runtime.' };
const nodeOnly = { group: ['node:*', 'fs', 'path', '**/node/**'], message: 'Browser code never imports Node modules or src/node (Node-only helpers).' };
const devHooks = { group: ['**/devHooks/**'], message: 'Benchmark/test hooks are added by main.tsx in dev and bench builds only (src/devHooks).' };
const workerModule = { group: ['**/workers/*/worker', '**/workers/*/worker.ts'], message: 'The page talks to workers through their client module only.' };
const inferCode = {
  group: ['**/infer/*'],
  allowTypeImports: true,
  message: 'The page may import types from src/infer, never its code (it runs in the worker).',
};
const render = { group: ['**/render/**'], message: 'src/app reaches src/render only in App.tsx, where the viewport is mounted.' };
const appActions = {
  group: [
    '**/app/store/actions',
    '**/app/store/actions.ts',
    '**/app/store/*Slice',
    '**/app/store/*Slice.ts',
    '**/app/store/init',
    '**/app/store/init.ts',
    '**/app/components/**',
    '**/app/App.tsx',
    '**/app/main.tsx',
    '**/app/urlState.ts',
    '**/app/scriptingApi.ts',
    '**/app/readDrop.ts',
    '**/app/exportFiles.ts',
  ],
  allowTypeImports: true,
  message: 'src/render calls no app action and no page module: it reads the store (app/store/store.ts) and receives callbacks (viewportCallbacks.ts).',
};
const restricted = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ort, ...patterns] }] });
const browserCode = ['src/app/**/*.{ts,tsx}', 'src/render/**/*.{ts,tsx}', 'src/devHooks/**/*.ts', 'src/core/**/*.ts', 'src/infer/**/*.ts', 'workers/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: new URL('..', import.meta.url).pathname },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      ...restricted(),
    },
  },
  {
    files: browserCode,
    ignores: ['**/*.test.ts'],
    rules: restricted(nodeOnly),
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      ...restricted({ group: [...ui, 'comlink'], message: 'src/core is pure: no UI or worker plumbing.' }, nodeOnly, {
        group: ['**/app/**', '**/render/**', '**/infer/**', '**/workers/**', '**/cli/**', '**/bench/**', '**/demo/**', '**/devHooks/**', '**/testing/**'],
        message: 'src/core imports nothing outside src/core.',
      }),
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'fetch', 'self'].map((name) => ({
          name,
          message: 'src/core is pure: no DOM or browser globals (pass data in).',
        })),
      ],
    },
  },
  {
    files: ['src/infer/**/*.ts'],
    ignores: ['src/infer/**/*.test.ts', 'src/infer/ortRuntime.ts'],
    rules: restricted({ group: ui, message: 'src/infer runs in workers and Node: no UI.' }, nodeOnly, {
      group: ['**/app/**', '**/render/**'],
      message: 'src/infer must not reach into the page.',
    }),
  },
  {
    files: ['src/infer/ortRuntime.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ui, message: 'no UI in the runtime module' }, nodeOnly] }] },
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: globals.worker },
    rules: restricted(nodeOnly, { group: ['**/app/**', '**/render/**'], message: 'Workers do not reach into the page.' }),
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'src/render/**/*.{ts,tsx}', 'src/devHooks/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'src/app/App.tsx', 'src/app/main.tsx'],
    rules: restricted(workerModule, inferCode, nodeOnly, render, devHooks),
  },
  { files: ['src/app/App.tsx'], rules: restricted(workerModule, inferCode, nodeOnly, devHooks) },
  { files: ['src/app/main.tsx'], rules: restricted(workerModule, inferCode, nodeOnly, render) },
  {
    files: ['src/render/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: restricted(workerModule, inferCode, nodeOnly, appActions, devHooks),
  },
  {
    files: ['src/devHooks/**/*.ts'],
    rules: restricted(workerModule, inferCode, nodeOnly),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restricted(
      { group: ['**/demo/**'], message: 'src/cli does not import the demo generator (shared scene writing lives in src/core/synth).' },
      { group: ['**/e2e/**'], message: 'The CLI does not import the e2e suite.' },
    ),
  },
  {
    files: ['src/bench/**/*.ts'],
    rules: restricted({ group: ['**/e2e/**'], message: 'Benchmarks do not import the e2e suite (shared Node helpers live in src/node).' }),
  },
  {
    files: [
      'src/cli/**/*.{ts,mjs}',
      'src/demo/**/*.ts',
      'src/node/**/*.ts',
      'src/bench/**/*.ts',
      'src/testing/**/*.ts',
      'models/**/*.ts',
      'e2e/**/*.ts',
      '**/*.test.ts',
      'vite.config.ts',
      '.config/*.js',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
