/**
 * `fieldlens query`: lift a capture, run the 3D student and the text encoder (onnxruntime-web's
 * WASM backend under Node, through the same SceneEngine the worker uses) and write a PLY with
 * xyz, rgb, relevancy, label and instance per point.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureOptions } from '../core/capture/captureTypes.ts';
import { loadCapture, type LiftOptions } from '../core/capture/loadCapture.ts';
import { encodePly } from '../core/formats/plyEncode.ts';
import type { RelevancyKind } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import type { ModelSource } from '../infer/loadedModels.ts';
import { SceneEngine } from '../infer/sceneEngine.ts';

export interface QueryCommandOptions {
  readonly files: readonly CaptureFile[];
  readonly capture: CaptureOptions & LiftOptions;
  readonly text: string;
  readonly labels: boolean;
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  readonly negatives: string;
  readonly threshold: number;
  readonly modelId?: string | undefined;
  readonly manifestPath: string;
  readonly out: string;
}

export interface QueryCommandResult {
  readonly points: number;
  readonly instances: number;
  readonly relevancyRange: { readonly min: number; readonly max: number } | null;
  readonly labels: readonly string[];
  readonly featureSource: string;
  readonly out: string;
}

export async function runQueryCommand(o: QueryCommandOptions): Promise<QueryCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
  const manifestUrl = pathToFileURL(o.manifestPath);
  const manifest = parseModelManifest(JSON.parse(readFileSync(o.manifestPath, 'utf8')), o.manifestPath);
  // --model names either kind; the other kind keeps the manifest's default.
  const chosen = o.modelId ? manifest.models.find((m) => m.id === o.modelId) : undefined;
  if (o.modelId && !chosen) throw new Error(`--model: "${o.modelId}" is not in ${o.manifestPath} (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  const engine = new SceneEngine(() =>
    Promise.resolve(nodeModelSource(manifest, manifestUrl, { text: chosen?.kind === 'clip-text' ? chosen.id : undefined, student: chosen?.kind === 'student3d' ? chosen.id : undefined })),
  );
  engine.setCloud(loaded.cloud, loaded.features);
  const outcome = await engine.query({
    text: o.text,
    mode: o.labels ? 'labels' : 'relevancy',
    formula: o.formula,
    template: o.template,
    negatives: o.negatives,
    ...(o.labels ? {} : { threshold: o.threshold }),
  });
  const n = loaded.cloud.count;
  const relevancy = outcome.layers[0]?.values ?? new Float32Array(n).fill(Number.NaN);
  const label = Float32Array.from(outcome.labels?.perPoint ?? new Int32Array(n).fill(-1));
  const instance = Float32Array.from(outcome.instanceIds ?? new Int32Array(n).fill(-1));
  const ply = encodePly(
    {
      positions: loaded.cloud.positions,
      colors: loaded.cloud.colors,
      scalars: [
        { name: 'relevancy', values: relevancy },
        { name: 'label', values: label },
        { name: 'instance', values: instance },
      ],
    },
    'binary_little_endian',
  );
  writeFileSync(o.out, ply);
  return {
    points: n,
    instances: outcome.instances.length,
    relevancyRange: outcome.layers[0]?.range ?? null,
    labels: outcome.labels?.names ?? [],
    featureSource: outcome.featureSource,
    out: o.out,
  };
}

/** Models from local files under Node, on onnxruntime-web's WASM backend. */
export function nodeModelSource(manifest: ModelManifest, manifestUrl: URL, modelIds: ModelSource['modelIds'] = {}): ModelSource {
  return {
    manifest,
    baseUrl: manifestUrl,
    backend: 'wasm' as const,
    // Synchronous file I/O and hashing on purpose: under Node, libuv-backed async work (fs
    // promises, WebCrypto) completing after onnxruntime-web initialised was delivered ~30 s late
    // in our measurements; synchronous calls are unaffected.
    fetch: {
      readLocalFile: (url: URL) => Promise.resolve(new Uint8Array(readFileSync(url))),
      sha256: (bytes: Uint8Array) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    },
    modelIds,
  };
}

export function defaultManifestPath(repoRoot: string): string {
  return join(repoRoot, 'models', 'manifest.json');
}
