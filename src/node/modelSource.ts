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
    // Synchronous file I/O and hashing on purpose: under Node, libuv-backed async work (fs
    // promises, WebCrypto) completing after onnxruntime-web initialised was delivered ~30 s late
    // in our measurements; synchronous calls are unaffected (see wasmExit.ts).
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
