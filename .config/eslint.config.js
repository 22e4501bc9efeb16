// ESLint flat config. Run as `eslint --config .config/eslint.config.js` (the repo's top level is
// fixed, so tool configs live in dot-folders). Layering rules keep the pure core free of
// React / three / DOM / Node and let only src/infer/ortRuntime.ts import onnxruntime-web.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ui = ['react', 'react-dom', 'react-dom/*', 'three', 'three/*', '@react-three/*', 'zustand', 'zustand/*'];
const ort = { group: ['onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node'], message: 'Only src/infer/ortRuntime.ts imports the inference runtime.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: new URL('..', import.meta.url).pathname },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ort] }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ort,
            { group: [...ui, 'comlink', 'node:*', 'fs', 'path'], message: 'src/core is pure: no UI, worker plumbing or Node modules.' },
            { group: ['**/app/**', '**/render/**', '**/infer/**', '**/workers/**'], message: 'src/core imports nothing outside src/core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/infer/**/*.ts'],
    ignores: ['src/infer/**/*.test.ts', 'src/infer/ortRuntime.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [ort, { group: [...ui, 'node:*'], message: 'src/infer runs in workers and Node: no UI, no Node modules.' }, { group: ['**/app/**', '**/render/**'], message: 'src/infer must not reach into the page.' }] },
      ],
    },
  },
  {
    files: ['src/infer/ortRuntime.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ui, message: 'no UI in the runtime module' }] }] },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'src/render/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ort,
            { group: ['**/workers/*/worker', '**/workers/*/worker.ts'], message: 'The page talks to workers through their client module only.' },
            { group: ['**/infer/*'], allowTypeImports: true, message: 'The page may import types from src/infer, never its code (it runs in the worker).' },
          ],
        },
      ],
    },
  },
  {
    files: ['workers/**/*.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ['src/cli/**/*.{ts,mjs}', 'src/demo/**/*.ts', 'models/**/*.ts', 'e2e/**/*.ts', '**/*.test.ts', 'vite.config.ts', '.config/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
