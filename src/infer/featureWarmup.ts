/**
 * Work done ahead of the first query, so that typing a phrase only encodes it and scores the
 * points: ONNX Runtime and the text encoder are opened (with the default formula's canonical
 * negatives encoded, which every query of that formula needs), and the selected feature set of the
 * current cloud is computed (the student's inference). A set that needs the teacher (the model set
 * has no student) is not run here: the page runs the teacher as its own task, with per-object
 * progress and a Cancel button, and the bridge replays it into a restarted worker.
 */
import { negativePhrases } from '../core/query/formulas.ts';
import { DEFAULT_FORMULA, formulaSpec } from '../core/query/formulaTable.ts';
import { storeNegativeTerms } from '../core/features/storeKernels.ts';
import { runsOnSoftwareGpu, type ExecutionBackend } from './ortRuntime.ts';
import type { ModelCache } from './modelCache.ts';
import type { FeatureSets } from './featureSets.ts';
import type { FeatureSetId } from './queryTypes.ts';

export interface WarmModels {
  readonly backend: ExecutionBackend;
  /** How long opening the runtime and the text encoder took here (0 when it was already open). */
  readonly ms: number;
}

/**
 * The selected set's features of the current cloud, ready for queries (`set`), or why none is:
 * 'teacher' when the model set has no student and the capture has colour views for the teacher,
 * 'none' when it has neither (a bare cloud with a text-only model set), 'query' when the student
 * runs on a software WebGPU adapter (forced `webgpu`): its minute of work would hold the device
 * queue that a query on another set needs, so the first query that needs the student runs it.
 */
export type PreparedFeatures = { readonly set: FeatureSetId; readonly ms: number } | { readonly set: null; readonly needs: 'teacher' | 'none' | 'query' };

/** The default formula's canonical negatives, encoded (every query of that formula needs them). */
async function defaultNegatives(models: ModelCache) {
  const spec = formulaSpec(DEFAULT_FORMULA);
  const phrases = negativePhrases(spec.defaults.kind, []);
  const embeddings = spec.negatives.length > 0 ? await (await models.text()).encode(phrases) : [];
  return { phrases, embeddings, options: spec.defaults };
}

/** Opens the runtime and the text encoder, and encodes the default formula's canonical negatives. */
export async function warmModels(models: ModelCache): Promise<WarmModels> {
  const t0 = performance.now();
  const encoder = await models.text();
  await defaultNegatives(models);
  return { backend: encoder.backend, ms: performance.now() - t0 };
}

/**
 * Computes the selected feature set now (sharing a run already in flight), and the default
 * formula's per-point negative terms over it (cached per store); see PreparedFeatures.
 */
export async function prepareFeatures(models: ModelCache, sets: FeatureSets, hasColourViews: boolean): Promise<PreparedFeatures> {
  const id = sets.activeId();
  if (id === 'student' && !(await sets.hasStudent())) return { set: null, needs: hasColourViews ? 'teacher' : 'none' };
  if (id === 'student' && !sets.isReady(id) && (await runsOnSoftwareGpu((await models.source()).backend))) return { set: null, needs: 'query' };
  const t0 = performance.now();
  const field = await sets.field(id);
  const negatives = await defaultNegatives(models);
  if (negatives.embeddings.length > 0 && negatives.embeddings[0]!.length === field.store.dim) {
    storeNegativeTerms(field.store, negatives.phrases, negatives.embeddings, negatives.options);
  }
  return { set: id, ms: performance.now() - t0 };
}
