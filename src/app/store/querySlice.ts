/**
 * The query slice: how the next query runs (the query panel's pickers), the backend that ran it,
 * and the small descriptions of the results in drawBuffers (layers, labels, instances, PCA,
 * similarity, agreement, side-by-side). Its actions are the model tasks (query, PCA, similarity,
 * agreement, comparison) and re-clustering; each result replaces the earlier ones. A result for a
 * replaced scene never arrives: the worker bridge drops it.
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { TaskProgress } from '../../../workers/scene/protocol.ts';
import type { Instance } from '../../core/query/clustering.ts';
import { DEFAULT_FORMULA, type RelevancyKind } from '../../core/query/formulaTable.ts';
import type { PromptTemplateSet } from '../../core/query/prompts.ts';
import { relevancyHistogram } from '../../core/query/histogram.ts';
import type { ResultQuery } from '../../core/export/resultPly.ts';
import type { ModelPrecision } from '../../core/models/manifest.ts';
import type { BackendPreference, ExecutionBackend } from '../../infer/ortRuntime.ts';
import type { FeatureSetId, QueryMode, QueryRequest, QueryTimings } from '../../infer/queryTypes.ts';
import type { LoadProgress } from '../../infer/modelLoader.ts';
import { colorModeShowing } from '../query/colorModes.ts';
import { drawBuffers } from './drawBuffers.ts';
import { cancellable, reportError } from './jobsSlice.ts';
import { applyTaskProgress } from './taskProgress.ts';
import { featuresSettled } from './featuresPending.ts';
import { useFieldLens, type FieldLensState } from './store.ts';

export interface QuerySlice {
  queryText: string;
  /** How the next query is run (the query panel's pickers). */
  queryMode: QueryMode;
  formula: RelevancyKind;
  template: PromptTemplateSet;
  negativesText: string;
  /** Min–max normalised relevancy above which points form instances. */
  threshold: number;
  /** Bumped whenever a result buffer in drawBuffers is replaced (or cleared). */
  queryVersion: number;
  queryRunning: boolean;
  /** The backend the user asked for (status bar picker, `?backend=`); `backend` is the one that ran. */
  backendPreference: BackendPreference;
  backend: ExecutionBackend | null;
  /** Why the last query ran on another backend than asked (WebGPU lost mid-run, or no adapter); shown beside the badge. */
  backendNote: string | null;
  /** Precision of the last query's text encoder (shown beside the backend). */
  precision: ModelPrecision | null;
  timings: QueryTimings | null;
  /** Labels and ranges of drawBuffers.layers. */
  layerInfo: readonly { label: string; min: number; max: number }[];
  activeLayer: number;
  labelNames: readonly string[];
  instances: readonly Instance[];
  similarityRange: { min: number; max: number } | null;
  /** The double-clicked point drawbuffers.similarity compares with (metres, world frame); a marker shows it. */
  similaritySeed: { readonly index: number; readonly position: readonly [number, number, number] } | null;
  featureSource: FeatureSetId | null;
  modelProgress: LoadProgress | null;
  /** What the dropped model files were recognised as, when local models replace the defaults. */
  localModelsSummary: string | null;
  /** The settings that produced the result now shown (exports and the page URL record it). */
  resultQuery: ResultQuery | null;
  /** The feature sets of drawBuffers.agreement and their mean per-point cosine. */
  agreementInfo: { readonly a: string; readonly b: string; readonly mean: number } | null;
  /** The query and feature sets of drawBuffers.comparison (side-by-side heatmaps). */
  comparisonInfo: { readonly text: string; readonly a: string; readonly b: string; readonly min: number; readonly max: number } | null;
}

/**
 * The query fields that describe results; reset whenever the cloud they belong to is replaced. A
 * function declaration, so that createQuerySlice can use it before this module's constants exist.
 */
function noQueryResult() {
  return {
    layerInfo: [],
    activeLayer: 0,
    labelNames: [],
    instances: [],
    similarityRange: null,
    similaritySeed: null,
    featureSource: null,
    resultQuery: null,
    agreementInfo: null,
    comparisonInfo: null,
  } as const satisfies Partial<QuerySlice>;
}
export const NO_QUERY_RESULT = noQueryResult();

export function createQuerySlice(): QuerySlice {
  return {
    queryText: '',
    queryMode: 'relevancy',
    formula: DEFAULT_FORMULA,
    template: 'single',
    negativesText: '',
    threshold: 0.7,
    queryVersion: 0,
    queryRunning: false,
    backendPreference: 'auto',
    backend: null,
    backendNote: null,
    precision: null,
    timings: null,
    ...noQueryResult(),
    modelProgress: null,
    localModelsSummary: null,
  };
}

const getState = (): FieldLensState => useFieldLens.getState();
function setState(patch: Partial<FieldLensState> | ((s: FieldLensState) => Partial<FieldLensState>)): void {
  useFieldLens.setState(patch);
}

/** Bins of the threshold histogram over the min–max normalised relevancy. */
export const HISTOGRAM_BINS = 64;

/**
 * Runs the models on another backend (the status bar's picker): the worker releases its sessions
 * and opens new ones on the next task. The badge clears until a model has run on the new one.
 */
export async function setBackendPreference(preference: BackendPreference): Promise<void> {
  if (getState().backendPreference === preference) return;
  setState({ backendPreference: preference, backend: null, precision: null });
  try {
    await sceneWorker.setBackend(preference);
  } catch (error) {
    reportError(error);
  }
}

/** The query box's text (also set by a query run from a link, a state file or a restored result). */
export function setQueryText(text: string): void {
  setState({ queryText: text });
}

export function updateQuerySettings(
  patch: Partial<Pick<FieldLensState, 'queryMode' | 'formula' | 'template' | 'negativesText' | 'threshold' | 'activeLayer'>>,
): void {
  setState(patch);
}

/** Runs a text query with the panel's settings; the result replaces earlier results. */
export async function runQuery(text: string): Promise<void> {
  setQueryText(text);
  const state = getState();
  const request: QueryRequest = {
    text,
    mode: state.queryMode,
    formula: state.formula,
    template: state.template,
    negatives: state.negativesText,
    ...(state.queryMode === 'relevancy' ? { threshold: state.threshold } : {}),
  };
  await withModelTask(async (signal) => {
    const result = await sceneWorker.call('query', [request, progressProxy()], { signal });
    drawBuffers.layers = result.layers.map((l) => l.values);
    drawBuffers.labels = result.labels?.perPoint ?? null;
    drawBuffers.instanceIds = result.instanceIds;
    drawBuffers.histograms = result.layers.map((l) => relevancyHistogram(l.values, HISTOGRAM_BINS).counts);
    setState((s) => ({
      clusteringMs: null,
      queryVersion: s.queryVersion + 1,
      backend: result.backend,
      backendNote: result.backendNote,
      precision: result.precision,
      timings: result.timings,
      layerInfo: result.layers.map((l) => ({ label: l.label, min: l.range.min, max: l.range.max })),
      activeLayer: 0,
      labelNames: result.labels?.names ?? [],
      instances: result.instances,
      featureSource: result.featureSource,
      resultQuery: {
        text,
        mode: request.mode,
        formula: request.formula,
        template: request.template,
        negatives: request.negatives ?? '',
        threshold: request.threshold ?? null,
      },
      colorMode: colorModeShowing(result.mode),
    }));
  });
}

/** PCA of the feature field as colours (runs the student first if needed). */
export async function showPca(): Promise<void> {
  await withModelTask(async (signal) => {
    const colours = await sceneWorker.call('pcaColors', [progressProxy()], { signal });
    drawBuffers.pcaColors = colours;
    setState((s) => ({ queryVersion: s.queryVersion + 1, colorMode: 'pca' }));
  });
}

/** How many similarity requests the page has sent to the worker (window.fieldlens reports it: one per double-click). */
let similarityRequests = 0;
export const similarityRequestCount = (): number => similarityRequests;

/** Colours every point by the similarity of its feature to the clicked point's, which gets a marker. */
export async function showSimilarityTo(pointIndex: number): Promise<void> {
  const cloud = drawBuffers.cloud;
  if (!cloud || pointIndex < 0 || pointIndex >= cloud.count) return;
  const p = cloud.positions;
  const seed = { index: pointIndex, position: [p[pointIndex * 3]!, p[pointIndex * 3 + 1]!, p[pointIndex * 3 + 2]!] as const };
  await withModelTask(async (signal) => {
    similarityRequests++;
    const values = await sceneWorker.call('similarityTo', [pointIndex, progressProxy()], { signal });
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    showSimilarityValues(values, { min, max }, seed);
  });
}

/** Shows per-point similarities of the current cloud (to a picked point's feature, here or in a compared scene) on `range`. */
export function showSimilarityValues(values: Float32Array, range: { min: number; max: number }, seed: QuerySlice['similaritySeed']): void {
  drawBuffers.similarity = values;
  setState((s) => ({ queryVersion: s.queryVersion + 1, similarityRange: range, similaritySeed: seed, colorMode: 'similarity' }));
}

/** Colours every point by the cosine between feature sets `a` and `b`; the mean is shown. */
export async function showAgreement(a: string, b: string): Promise<void> {
  await withModelTask(async (signal) => {
    const { perPoint, mean } = await sceneWorker.call('agreement', [a, b, progressProxy()], { signal });
    drawBuffers.agreement = perPoint;
    setState((s) => ({ queryVersion: s.queryVersion + 1, agreementInfo: { a, b, mean }, colorMode: 'agreement' }));
  });
}

/** Runs the current query on feature sets `a` and `b`, for the side-by-side heatmaps. */
export async function compareQuery(text: string, a: string, b: string): Promise<void> {
  if (text.trim() === '') {
    reportError(new Error('side by side: type a phrase in the query field first, e.g. "yellow dice"'));
    return;
  }
  await withModelTask(async (signal) => {
    const { formula, template, negativesText } = getState();
    const ask = (featureSet: string) =>
      sceneWorker.call('query', [{ text, mode: 'relevancy', formula, template, negatives: negativesText, featureSet }, progressProxy()], { signal });
    const left = (await ask(a)).layers[0]!;
    const right = (await ask(b)).layers[0]!;
    drawBuffers.comparison = { a: left.values, b: right.values };
    // One scale for both, so equal colours mean equal relevancy.
    const min = Math.min(left.range.min, right.range.min);
    const max = Math.max(left.range.max, right.range.max);
    setState((s) => ({ queryVersion: s.queryVersion + 1, comparisonInfo: { text, a, b, min, max }, splitView: true }));
  });
}

export function progressProxy() {
  return proxy((event: TaskProgress) => setState((s) => ({ ...applyTaskProgress(s, event), ...(event.status === 'stage' ? {} : { modelProgress: event }) })));
}

export async function withModelTask(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
  // The stage bars of the previous task stay up (with their times) until the next task starts. The
  // download bars stay: the models may have been fetched by the background start (featuresSlice),
  // and a download this task makes updates its file's bar.
  setState({ queryRunning: true, stageProgress: [] });
  try {
    // Features being computed in the background (featuresSlice) are waited for, never started again;
    // a task on a set the user chose meanwhile (a teacher run, a picked set) does not wait for them.
    const { teacher, features } = getState();
    const waits = teacher.activeSet === null || features.phase === 'teacher';
    await cancellable('model', async (signal) => {
      if (waits) await featuresSettled();
      await task(signal);
    });
  } finally {
    setState({ queryRunning: false, modelProgress: null });
  }
}

/**
 * Re-makes the instances of the shown relevancy layer at a new threshold in the worker — the
 * worker kept the layer, so no model runs again. A newer query or scene makes the answer stale.
 */
export async function reclusterInstances(threshold: number): Promise<void> {
  const { layerInfo, activeLayer } = getState();
  setState({ threshold });
  if (activeLayer >= layerInfo.length) return;
  const layers = drawBuffers.layers;
  setState({ reclustering: true });
  try {
    const result = await sceneWorker.call('clusterInstances', [activeLayer, threshold]);
    if (drawBuffers.layers !== layers) return;
    drawBuffers.instanceIds = result.instanceIds;
    setState((s) => ({ instances: result.instances, clusteringMs: result.clusteringMs, queryVersion: s.queryVersion + 1 }));
  } catch (error) {
    reportError(error);
  } finally {
    setState({ reclustering: false });
  }
}

/** Shows another relevancy layer (one per positive) and lists the instances of that layer. */
export async function selectLayer(layer: number): Promise<void> {
  setState({ activeLayer: layer });
  await reclusterInstances(getState().threshold);
}
