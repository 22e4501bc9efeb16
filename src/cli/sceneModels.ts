/**
 * What `render`, `occupancy` and `match` ask of the models on a loaded capture, through the same
 * SceneEngine `query` uses: the per-point feature rows, their PCA colours, the relevancy of a phrase
 * and labels of a label set. Features are the capture's own (PLY feat_*, N×D .npy) when it brings
 * them, else the model set's 3D student's.
 */
import type { LoadedCapture } from '../core/capture/loadCapture.ts';
import type { SceneEngine } from '../infer/sceneEngine.ts';
import type { CompactFeatures } from '../core/features/featureStores.ts';
import { MIN_EMBEDDING_DIM } from '../core/units.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { DEFAULT_FORMULA } from '../core/query/formulaTable.ts';
import { queryEngine } from './queryCommand.ts';
import { stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { MODEL_SET_OPTIONS } from './queryCommand.ts';

export interface ModelChoice {
  readonly modelSetId?: string | undefined;
  readonly manifestPath: string;
}

export const SCENE_MODEL_OPTIONS: readonly CliOptionRow[] = MODEL_SET_OPTIONS;

export function modelChoice(args: ParsedArgs): ModelChoice {
  return { modelSetId: stringOption(args, 'model-set'), manifestPath: stringOption(args, 'manifest') ?? defaultManifestFile };
}

/** An engine holding the capture's cloud (and its own features, if any). */
export function sceneEngine(loaded: LoadedCapture, models: ModelChoice): SceneEngine {
  const engine = queryEngine(models);
  engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features);
  return engine;
}

/** The feature set queries use on this capture: its own features when it brought them, else the student's. */
export function activeFeatureSetId(loaded: LoadedCapture): 'file' | 'student' {
  const own = loaded.halfFeatures ?? loaded.features;
  return own && own.dim >= MIN_EMBEDDING_DIM ? 'file' : 'student';
}

/** Per-point features of the active set, in the engine's compact form (read with the store kernels). */
export function pointFeatures(engine: SceneEngine, loaded: LoadedCapture): Promise<CompactFeatures> {
  return engine.featureStore(activeFeatureSetId(loaded));
}

/** Per-point relevancy of `text` (first positive) with the default formula. */
export async function pointRelevancy(engine: SceneEngine, text: string): Promise<{ values: Float32Array; min: number; max: number }> {
  const outcome = await engine.query({ text, mode: 'relevancy', formula: DEFAULT_FORMULA, template: 'single' });
  const layer = outcome.layers[0]!;
  return { values: layer.values, min: layer.range.min, max: layer.range.max };
}

/** Per-point label of a label set ("mug, plate"; −1 = background) and the label names. */
export async function pointLabels(engine: SceneEngine, labels: string): Promise<{ perPoint: Int32Array; names: readonly string[] }> {
  const outcome = await engine.query({ text: labels, mode: 'labels', formula: DEFAULT_FORMULA, template: 'single' });
  if (!outcome.labels) throw new Error(`labels: "${labels}" gave no label set`);
  return outcome.labels;
}
