/**
 * Model sources for benchmarks under Node: the CLI's (src/cli/queryCommand.ts — files read and
 * hashed synchronously, WASM backend) for the manifest at `manifestPath`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseModelManifest } from '../core/models/manifest.ts';
import type { ModelSource } from '../infer/loadedModels.ts';
import { nodeModelSource as cliModelSource } from '../cli/queryCommand.ts';

export function nodeModelSource(manifestPath: string): ModelSource {
  return cliModelSource(parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath), pathToFileURL(manifestPath));
}
