/**
 * Model sources for benchmarks under Node: manifest paths resolve against the manifest's file URL,
 * files are read from disk and hashed synchronously (see src/cli/queryCommand.ts: under Node,
 * async completions after onnxruntime-web initialised were delivered late), WASM backend.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseModelManifest } from '../core/models/manifest.ts';
import type { ModelSource } from '../infer/loadedModels.ts';

export function nodeModelSource(manifestPath: string): ModelSource {
  return {
    manifest: parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath),
    baseUrl: pathToFileURL(manifestPath),
    backend: 'wasm',
    fetch: {
      readLocalFile: (url) => Promise.resolve(new Uint8Array(readFileSync(url))),
      sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    },
  };
}
