/**
 * fp16 variant selection through ClipTextEncoder.load under Node (WASM): the fp16 file is never
 * fetched there. The WebGPU side (fp16 picked with shader-f16) is checked in Chromium by
 * e2e/precision.spec.ts; a stand-in adapter cannot be used here, as onnxruntime-web's WebGPU
 * initialisation never settles under Node.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseModelManifest } from '../core/models/manifest.ts';
import { repoRoot } from '../testing/realData.ts';
import { ClipTextEncoder, type ModelSource } from './loadedModels.ts';

const manifestPath = join(repoRoot, 'models', 'manifest.json');

function sourceReading(files: string[], backend: ModelSource['backend']): ModelSource {
  return {
    manifest: parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8'))),
    baseUrl: pathToFileURL(manifestPath),
    backend,
    fetch: {
      readLocalFile: (url) => {
        files.push(url.pathname.split('/').pop()!);
        return Promise.resolve(new Uint8Array(readFileSync(url)));
      },
      // node:crypto: a WebCrypto digest after onnxruntime-web initialised waits ~30 s under Node (modelLoader.ts).
      sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    },
  };
}

describe('fp16 variants', () => {
  it('on WASM the fp16 file is never fetched', async () => {
    const files: string[] = [];
    const encoder = await ClipTextEncoder.load(sourceReading(files, 'wasm'));
    expect(files).toEqual(['tokenizer.json', 'clip-text-tiny.onnx']);
    expect(encoder.precision).toBe('fp32');
  });
});
