/// <reference types="vitest/config" />
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyMeta } from './src/node/contentSecurityPolicy.ts';

const root = dirname(fileURLToPath(import.meta.url));
const modelsDir = join(root, 'models');

/**
 * Cross-origin isolation (COOP/COEP) makes SharedArrayBuffer available, which threaded WASM in
 * onnxruntime-web needs. Set on both the dev server and `vite preview`.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The files under models/ that the app may fetch: the manifest and what it names by path. */
function servedModelFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as {
    models: { file: string; tokenizer?: { file: string }; variants?: { fp16?: { file: string } } }[];
  };
  const files = new Set(['manifest.json']);
  for (const m of manifest.models) {
    for (const f of [m.file, m.tokenizer?.file, m.variants?.fp16?.file]) if (f && !/^[a-z]+:/i.test(f)) files.add(f);
  }
  return [...files];
}

/**
 * Serves models/ at <base>models/ in dev and preview, and copies the manifest's local files into
 * the build, so the app loads the tiny models through the same URL loader as real ones.
 */
function modelFiles(): Plugin {
  const serve = (prefix: string) => (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(prefix)) return next();
    const file = normalize(join(modelsDir, decodeURIComponent(path.slice(prefix.length))));
    if (!file.startsWith(modelsDir + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    createReadStream(file).pipe(res);
  };
  let base = '/';
  return {
    name: 'fieldlens-model-files',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(serve(`${base}models/`));
    },
    generateBundle() {
      for (const file of servedModelFiles()) {
        this.emitFile({ type: 'asset', fileName: `models/${file}`, source: readFileSync(join(modelsDir, file)) });
      }
    },
  };
}

export default defineConfig(({ mode }) => ({
  // Relative base: the built site works from any static host and any sub-path.
  base: './',
  plugins: [react(), modelFiles(), contentSecurityPolicyMeta()],
  server: { headers: isolationHeaders },
  // The built page's policy also as a header, which (unlike the <meta>) covers its workers.
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  // onnxruntime-web ships its own wasm and worker glue; pre-bundling breaks their URLs.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  // `--mode bench` builds the studio with its benchmark/test hooks (src/devHooks) into dist-bench/;
  // the production build (dist/) has none.
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, outDir: mode === 'bench' ? 'dist-bench' : 'dist' },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'models/**/*.test.ts'],
    environment: 'node',
    // Two workers: vitest's default on a 2-core machine is one, leaving a core idle. The timeout
    // is for hangs, not speed: it leaves room for a test run with the other core busy.
    maxWorkers: 2,
    testTimeout: 180_000,
    root: resolve(root),
  },
}));
