/**
 * Models from local files under Node, on native ONNX Runtime when installed (nativeRuntime.ts),
 * else onnxruntime-web's WASM backend: the one model source of the CLI, the benchmarks, training
 * and the tests.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import type { ModelSource } from '../infer/loadedModels.ts';
import { cliRuntime } from './nativeRuntime.ts';

export function readModelManifest(manifestPath: string): ModelManifest {
  return parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath);
}

export function nodeModelSource(manifest: ModelManifest, manifestUrl: URL, modelIds: ModelSource['modelIds'] = {}): ModelSource {
  return {
    manifest,
    baseUrl: manifestUrl,
    backend: 'wasm' as const,
    // Each model file is read whole, once per process: synchronous reads and node:crypto hashing
    // keep that simple (no Cache Storage, no streaming as in the browser).
    fetch: {
      readLocalFile: (url: URL) => Promise.resolve(new Uint8Array(readFileSync(url))),
      sha256: (bytes: Uint8Array) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    },
    modelIds,
    openSession: cliRuntime().openSession,
  };
}

/** The model source for the manifest file at `manifestPath`. */
export function nodeModelSourceAt(manifestPath: string, modelIds: ModelSource['modelIds'] = {}): ModelSource {
  return nodeModelSource(readModelManifest(manifestPath), pathToFileURL(manifestPath), modelIds);
}
