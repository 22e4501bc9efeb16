/**
 * Orchestration of scene and query tasks: the page's caller of the scene worker bridge (which
 * drops stale results and restores the scene after a crash), and the sole writer of drawBuffers.
 * Every user-facing failure becomes an entry in `errors`; the scene already loaded stays, because
 * the worker validates a new scene completely before replacing the old one.
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { DrawableCloud, IngestOptions, IngestProgress, TaskProgress, ViewImage } from '../../../workers/scene/protocol.ts';
import { checkFileSize } from '../../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../../core/capture/captureSettings.ts';
import type { DroppedFile } from '../readDrop.ts';
import type { BackendPreference } from '../../infer/ortRuntime.ts';
import { clearResults, drawBuffers } from './drawBuffers.ts';
import type { QueryRequest } from '../../infer/queryTypes.ts';
import type { RestoredResult } from '../../core/export/resultPly.ts';
import type { SyntheticCloud } from '../../core/synth/syntheticCloud.ts';
import { computeBounds } from '../../core/lift/pointCloud.ts';
import { BACKEND_PREFERENCES, isBackendPreference, isRelevancyKind, isTemplateSet } from '../settingGuards.ts';
import { relevancyHistogram } from '../../core/query/histogram.ts';
import { applyTaskProgress } from './taskProgress.ts';
import { initialUpChoice } from './upMemory.ts';
import { initModelSets, parseModelsParam } from './modelSetActions.ts';
import { NO_QUERY_RESULT, useFieldLens, type CameraRequest, type ColorMode, type FieldLensState } from './store.ts';
import { busy, cancellable, reportError } from './jobs.ts';
import { NO_TEACHER_RESULT } from './teacherStore.ts';
import { askRemoteConsent, crossOriginLoads } from './remoteConsent.ts';

export { cancelTask, dismissAllErrors, dismissError, reportError } from './jobs.ts';

const { getState, setState } = useFieldLens;

/** "demo" for …/demo/scene.json, "scan.ply" for …/scan.ply. */
function sceneNameOfUrl(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? url;
  return /\.json$/i.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

/** `?backend=`: auto / webgpu / wasm; anything else is reported and auto is used. */
function parseBackend(value: string | null): BackendPreference {
  if (value === null || isBackendPreference(value)) return value ?? 'auto';
  reportError(new Error(`FieldLens link: unknown backend "${value}" (expected ${BACKEND_PREFERENCES.join(', ')}); using auto`));
  return 'auto';
}

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

/** Shows a new cloud (or a rescaled one) named `sceneName`, framed with the up remembered for that name. */
export function showCloud(cloud: DrawableCloud, fromDrop: boolean, sceneName: string): void {
  // Features and relevancy of the old cloud are meaningless for the new one.
  drawBuffers.cloud = { count: cloud.count, positions: cloud.positions, colors: cloud.colors };
  clearResults();
  installViewBuffers(cloud);
  setState((s) => ({
    sceneVersion: s.sceneVersion + 1,
    queryVersion: s.queryVersion + 1,
    pointCount: cloud.count,
    liftMs: cloud.liftMs,
    sceneDescription: cloud.description,
    bounds: cloud.bounds,
    robustBounds: cloud.robustBounds,
    viewpoint: cloud.viewpoint,
    sceneName,
    upChoice: initialUpChoice(sceneName),
    cameraPose: null,
    sceneWarnings: cloud.warnings,
    depthScaleWarning: cloud.depthScaleWarning ?? null,
    sceneCounts: cloud.counts,
    cameras: cloud.cameras,
    sceneFromDrop: fromDrop,
    ...NO_QUERY_RESULT,
    colorMode: 'rgb',
    lookingThrough: null,
    overlayView: s.overlayView !== null && cloud.cameras.length > 0 ? 0 : null,
    teacher: { ...s.teacher, ...NO_TEACHER_RESULT },
  }));
  if (cloud.restoredResult) showRestoredResult(cloud.restoredResult);
}

/** A result read back from an exported PLY: shown as it was, no model run. */
function showRestoredResult(result: RestoredResult): void {
  drawBuffers.layers = result.layers.map((l) => l.values);
  drawBuffers.labels = result.labels?.perPoint ?? null;
  drawBuffers.instanceIds = result.instanceIds;
  const q = result.query;
  setState((s) => ({
    queryText: q.text,
    queryMode: q.mode,
    ...(isRelevancyKind(q.formula) ? { formula: q.formula } : {}),
    ...(isTemplateSet(q.template) ? { template: q.template } : {}),
    negativesText: q.negatives,
    ...(q.threshold !== null ? { threshold: q.threshold } : {}),
    queryVersion: s.queryVersion + 1,
    layerInfo: result.layers.map((l) => ({ label: l.label, min: l.range.min, max: l.range.max })),
    activeLayer: 0,
    labelNames: result.labels?.names ?? [],
    instances: result.instances,
    resultQuery: q,
    colorMode: result.labels ? 'labels' : result.layers.length > 0 ? 'relevancy' : 'rgb',
  }));
}

const DEFAULT_SCENE = 'demo/scene.json';

/** Configures the worker from the page URL (?backend=wasm|webgpu, ?scene=<url>, ?models=<url>) and loads a scene. */
export async function startStudio(location: Location): Promise<void> {
  const params = new URLSearchParams(location.search);
  // ?models=<set id> picks a set of the studio's manifest; ?models=<url of a manifest.json> another manifest.
  let { manifestUrl, setId } = parseModelsParam(params.get('models'), document.baseURI);
  let sceneUrl = new URL(params.get('scene') ?? DEFAULT_SCENE, document.baseURI).href;
  const backend = parseBackend(params.get('backend'));
  setState({ backendPreference: backend });
  // A link's URLs on another origin are shown, and fetched only after a yes; a no keeps the defaults.
  // Meanwhile the worker runs with the studio's own manifest (panels call it from the start).
  const remote = crossOriginLoads(
    [
      { what: 'scene', url: sceneUrl },
      { what: 'model manifest', url: manifestUrl },
    ],
    location.origin,
  );
  const remoteManifest = remote.some((r) => r.url === manifestUrl);
  const defaults = parseModelsParam(null, document.baseURI);
  sceneWorker.configure({ manifestUrl: remoteManifest ? defaults.manifestUrl : manifestUrl, backend });
  if (remote.length > 0) {
    if (await askRemoteConsent(remote)) {
      if (remoteManifest) sceneWorker.configure({ manifestUrl, backend });
    } else {
      if (remote.some((r) => r.url === sceneUrl)) sceneUrl = new URL(DEFAULT_SCENE, document.baseURI).href;
      if (remoteManifest) ({ manifestUrl, setId } = defaults);
    }
  }
  await busy('Loading scene…', async (signal) => {
    showCloud(await sceneWorker.loadSceneUrl(sceneUrl, { signal }), false, sceneNameOfUrl(sceneUrl));
  });
  await initModelSets(manifestUrl, setId, document.baseURI);
}

function ingestOptions(): IngestOptions {
  return getState().captureSettings;
}

const isModelFile = (path: string) => /\.onnx$|(^|\/)tokenizer\.json$/i.test(path);

/**
 * Reads dropped or picked files (folders walked, zips expanded in the worker) and lifts them.
 * .onnx files (with a tokenizer.json) are taken as local models instead.
 */
export async function loadFiles(dropped: readonly DroppedFile[]): Promise<void> {
  const models = dropped.some((f) => f.path.toLowerCase().endsWith('.onnx')) ? dropped.filter((f) => isModelFile(f.path)) : [];
  const files = dropped.filter((f) => !models.includes(f));
  if (models.length > 0) await applyLocalModels(models);
  if (files.length === 0) return;
  await busy(`Reading ${files.length} file(s)…`, async (signal) => {
    // Refuse what a tab cannot hold before reading a byte of it.
    for (const { path, file } of files) checkFileSize(path, file.size);
    const cloud = await sceneWorker.loadFiles(readFiles(files), ingestOptions(), ingestProgressProxy(), { signal });
    showCloud(cloud, true, files[0]!.path.split('/')[0]!);
  });
}

/** Reads the files' bytes from their handles (again whenever the worker restarts and needs them). */
const readFiles = (files: readonly DroppedFile[]) => () => Promise.all(files.map(async ({ path, file }) => ({ name: path, bytes: await file.arrayBuffer() })));

const ingestProgressProxy = () => proxy((progress: IngestProgress) => setState({ ingestProgress: progress }));

/** The query box's text (also set by a query run from a link, a state file or a restored result). */
export function setQueryText(text: string): void {
  setState({ queryText: text });
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
      colorMode: result.mode === 'labels' ? 'labels' : 'relevancy',
    }));
  });
}

async function applyLocalModels(files: readonly DroppedFile[]): Promise<void> {
  await busy('Checking model files…', async (signal) => {
    const summary = await sceneWorker.useLocalModels(readFiles(files), { signal });
    clearResults();
    setState((s) => ({
      localModelsSummary: summary,
      ...NO_QUERY_RESULT,
      queryVersion: s.queryVersion + 1,
      colorMode: 'rgb',
      backend: null,
      timings: null,
      precision: null,
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
    drawBuffers.similarity = values;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    setState((s) => ({ queryVersion: s.queryVersion + 1, similarityRange: { min, max }, similaritySeed: seed, colorMode: 'similarity' }));
  });
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

function progressProxy() {
  return proxy((event: TaskProgress) => setState((s) => ({ ...applyTaskProgress(s, event), ...(event.status === 'stage' ? {} : { modelProgress: event }) })));
}

async function withModelTask(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
  // The bars of the previous task stay up (with their times) until the next task starts.
  setState({ queryRunning: true, modelDownloads: [], stageProgress: [] });
  try {
    await cancellable('model', task);
  } finally {
    setState({ queryRunning: false, modelProgress: null });
  }
}

export function updateQuerySettings(
  patch: Partial<Pick<FieldLensState, 'queryMode' | 'formula' | 'template' | 'negativesText' | 'threshold' | 'activeLayer'>>,
): void {
  setState(patch);
}

/** Applies the current capture settings to the last dropped capture (kept in the worker). */
export async function reloadWithSettings(): Promise<void> {
  await busy('Re-lifting with the new settings…', async (signal) => {
    showCloud(await sceneWorker.reloadWithOptions(ingestOptions(), ingestProgressProxy(), { signal }), true, getState().sceneName);
  });
}

export function updateCaptureSettings(patch: Partial<CaptureSettings>): void {
  setState((s) => ({ captureSettings: { ...s.captureSettings, ...patch } }));
}

export function setColorMode(mode: ColorMode): void {
  setState({ colorMode: mode });
}

/** Asks the viewport's camera rig to fit / reset / focus a box / look through an input camera. */
export function requestCamera(request: DistributiveOmit<CameraRequest, 'version'>): void {
  const version = (useFieldLens.getState().cameraRequest?.version ?? 0) + 1;
  useFieldLens.setState({ cameraRequest: { ...request, version } as CameraRequest });
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Bins of the threshold histogram over the min–max normalised relevancy. */
export const HISTOGRAM_BINS = 64;

export function togglePanels(): void {
  setState((s) => ({ panelsVisible: !s.panelsVisible }));
}

export function rememberQuery(history: readonly string[]): void {
  setState({ history });
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

function installViewBuffers(cloud: DrawableCloud): void {
  drawBuffers.thumbnails = cloud.thumbnails;
  drawBuffers.sources = cloud.sources;
  drawBuffers.viewImages = new Map();
}

/** Looks through input camera `index` (its pose and field of view). */
export function lookThroughCamera(index: number): void {
  requestCamera({ kind: 'look-through', cameraIndex: index });
}

/** Called by the camera rig: which input camera the viewer now matches (null once the user moves). */
export function setLookingThrough(index: number | null): void {
  if (getState().lookingThrough !== index) setState({ lookingThrough: index });
}

export function setNavigation(navigation: FieldLensState['navigation']): void {
  setState({ navigation });
}

/** Shows input view `index` in the 2D overlay panel (null closes it). */
export function setOverlayView(index: number | null): void {
  setState({ overlayView: index });
}

/** The full-resolution image of input view `index`, fetched from the worker once per scene. */
export async function viewImage(index: number): Promise<ViewImage> {
  const cached = drawBuffers.viewImages.get(index);
  if (cached) return cached;
  const cache = drawBuffers.viewImages;
  const image = await sceneWorker.call('viewImage', [index]);
  // A scene loaded meanwhile replaced the cache: do not put an old view into the new one.
  cache.set(index, image);
  return image;
}

/** Replaces the scene by a procedural one with a result for every colour mode (render benchmark; the worker keeps its scene, so queries are off). */
export function showSyntheticCloud(synthetic: SyntheticCloud): void {
  const { count, positions, colors } = synthetic;
  let min = Infinity;
  let max = -Infinity;
  for (const v of synthetic.relevancy) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const bounds = computeBounds(positions, count);
  showCloud(
    {
      count,
      positions,
      colors,
      bounds,
      liftMs: 0,
      description: `synthetic cloud of ${count.toLocaleString('en')} points (render benchmark)`,
      warnings: [],
      counts: { lifted: count, afterRange: count, afterVoxel: count, afterOutliers: count },
      cameras: [],
      thumbnails: [],
      sources: null,
      robustBounds: bounds,
      viewpoint: { cameraToWorld: [1, 0, 0, 0, 0, -0.866, -0.5, 1.5, 0, 0.5, -0.866, 2.5, 0, 0, 0, 1], up: [0, 1, 0], upReason: 'synthetic' },
    },
    false,
    'synthetic',
  );
  drawBuffers.layers = [synthetic.relevancy];
  drawBuffers.labels = synthetic.labels;
  drawBuffers.instanceIds = synthetic.labels;
  drawBuffers.pcaColors = synthetic.pcaColors;
  drawBuffers.similarity = synthetic.similarity;
  const instances = synthetic.labelNames.map((_, id) => ({ id, count: 0, centroid: bounds.centroid, min: bounds.min, max: bounds.max }));
  setState((s) => ({
    queryVersion: s.queryVersion + 1,
    layerInfo: [{ label: 'synthetic', min, max }],
    labelNames: synthetic.labelNames,
    instances,
    similarityRange: { min: 0, max: 1 },
  }));
}

/** What the file picker offers, from the worker's capture-format registry. */
export function acceptedFileTypes(): Promise<string> {
  return sceneWorker.call('acceptedFileTypes', []);
}
