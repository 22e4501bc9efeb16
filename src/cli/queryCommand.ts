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
import { encodeResultPly } from '../core/export/resultPly.ts';
import type { RelevancyKind } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import type { ModelSource } from '../infer/loadedModels.ts';
import { SceneEngine } from '../infer/sceneEngine.ts';
import { cliRuntime } from './nativeRuntime.ts';

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

/** An engine with the chosen models; `fieldlens batch` keeps one per shard so models load once. */
export function queryEngine(o: Pick<QueryCommandOptions, 'manifestPath' | 'modelId'>): SceneEngine {
  const manifestUrl = pathToFileURL(o.manifestPath);
  const manifest = parseModelManifest(JSON.parse(readFileSync(o.manifestPath, 'utf8')), o.manifestPath);
  // --model names either kind; the other kind keeps the manifest's default.
  const chosen = o.modelId ? manifest.models.find((m) => m.id === o.modelId) : undefined;
  if (o.modelId && !chosen) throw new Error(`--model: "${o.modelId}" is not in ${o.manifestPath} (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  return new SceneEngine(() =>
    Promise.resolve(nodeModelSource(manifest, manifestUrl, { text: chosen?.kind === 'clip-text' ? chosen.id : undefined, student: chosen?.kind === 'student3d' ? chosen.id : undefined })),
  );
}

export async function runQueryCommand(o: QueryCommandOptions, engine = queryEngine(o)): Promise<QueryCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
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
  // The same writer as the studio's export: the file loads back into FieldLens with its result.
  const ply = encodeResultPly(loaded.cloud, {
    query: { text: o.text, mode: outcome.mode, formula: o.formula, template: o.template, negatives: o.negatives, threshold: o.labels ? null : o.threshold },
    layers: outcome.layers,
    labels: outcome.labels,
    instanceIds: outcome.instanceIds,
  });
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

/** Models from local files under Node, on native ONNX Runtime when installed, else onnxruntime-web's WASM. */
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
    openSession: cliRuntime().openSession,
  };
}

export function defaultManifestPath(repoRoot: string): string {
  return join(repoRoot, 'models', 'manifest.json');
}
