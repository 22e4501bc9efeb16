/**
 * The scene slice: what is loaded (counts, bounds, cameras, warnings, the loading progress), and
 * the actions that replace it — dropped files, a re-lift with new capture settings, a unit
 * rescale, dropped model files — through the scene worker bridge (which drops stale results and
 * restores the scene after a crash). showCloud is the one place a new cloud enters drawBuffers;
 * every user-facing failure becomes an entry in `errors`, and the scene already loaded stays,
 * because the worker validates a new scene completely before replacing the old one.
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { CameraView, DrawableCloud, IngestProgress, SceneViewpoint, ViewImage } from '../../../workers/scene/protocol.ts';
import { checkFileSize } from '../../core/capture/captureFiles.ts';
import type { DepthScaleWarning } from '../../core/capture/depthUnitsCheck.ts';
import type { RestoredResult } from '../../core/export/resultPly.ts';
import { computeBounds, type Bounds3 } from '../../core/lift/pointCloud.ts';
import { drawOrderFor } from '../../core/lift/drawOrder.ts';
import type { SyntheticCloud } from '../../core/synth/syntheticCloud.ts';
import { asCameraToWorld, asWorldPoints } from '../../core/units.ts';
import type { DroppedFile } from '../readDrop.ts';
import { isRelevancyKind, isTemplateSet } from '../settingGuards.ts';
import { colorModeShowing, DEFAULT_COLOR_MODE } from '../query/colorModes.ts';
import { clearResults, drawBuffers } from './drawBuffers.ts';
import { busy } from './jobsSlice.ts';
import { NO_QUERY_RESULT } from './querySlice.ts';
import { NO_TEACHER_RESULT } from './teacherSlice.ts';
import { initialUpChoice } from './upMemory.ts';
import { useFieldLens, type FieldLensState } from './store.ts';

export interface SceneSlice {
  /** Bumped whenever drawBuffers.cloud is replaced. */
  sceneVersion: number;
  pointCount: number | null;
  liftMs: number | null;
  sceneDescription: string;
  bounds: Bounds3 | null;
  /** 1st–99th percentile box of the points: what the camera frames (a few outliers don't shrink it). */
  robustBounds: Bounds3 | null;
  /** Where the viewer starts: the first input camera (row-major camera-to-world) and the detected world up. */
  viewpoint: SceneViewpoint | null;
  /** Non-fatal notes from the last load. */
  sceneWarnings: readonly string[];
  /** Points lifted and left after each filter, for the before/after display. */
  sceneCounts: { lifted: number; afterRange: number; afterVoxel: number; afterOutliers: number } | null;
  /** Input cameras of the current scene (small: a few numbers each). */
  cameras: readonly CameraView[];
  /** The scene came from a drop, so new capture settings can be re-applied to it. */
  sceneFromDrop: boolean;
  ingestProgress: IngestProgress | null;
  /** The last load's frame depth looked implausible for its depth scale (shown beside that setting). */
  depthScaleWarning: DepthScaleWarning | null;
  /** Short name of what is loaded (file, folder or scene URL), for the embed overlay and exports. */
  sceneName: string;
}

export function createSceneSlice(): SceneSlice {
  return {
    sceneVersion: 0,
    pointCount: null,
    liftMs: null,
    sceneDescription: '',
    bounds: null,
    robustBounds: null,
    viewpoint: null,
    sceneWarnings: [],
    sceneCounts: null,
    cameras: [],
    sceneFromDrop: false,
    ingestProgress: null,
    depthScaleWarning: null,
    sceneName: '',
  };
}

const getState = (): FieldLensState => useFieldLens.getState();
function setState(patch: Partial<FieldLensState> | ((s: FieldLensState) => Partial<FieldLensState>)): void {
  useFieldLens.setState(patch);
}

/** Shows a new cloud (or a rescaled one) named `sceneName`, framed with the up remembered for that name. */
export function showCloud(cloud: DrawableCloud, fromDrop: boolean, sceneName: string): void {
  // Features and relevancy of the old cloud are meaningless for the new one.
  drawBuffers.cloud = { count: cloud.count, positions: cloud.positions, colors: cloud.colors, drawOrder: cloud.drawOrder };
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
    colorMode: DEFAULT_COLOR_MODE,
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
    colorMode: result.labels || result.layers.length > 0 ? colorModeShowing(q.mode) : DEFAULT_COLOR_MODE,
  }));
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
    const cloud = await sceneWorker.loadFiles(readFiles(files), getState().captureSettings, ingestProgressProxy(), { signal });
    showCloud(cloud, true, files[0]!.path.split('/')[0]!);
  });
}

/** Reads the files' bytes from their handles (again whenever the worker restarts and needs them). */
const readFiles = (files: readonly DroppedFile[]) => () => Promise.all(files.map(async ({ path, file }) => ({ name: path, bytes: await file.arrayBuffer() })));

const ingestProgressProxy = () => proxy((progress: IngestProgress) => setState({ ingestProgress: progress }));

/** Applies the current capture settings to the last dropped capture (kept in the worker). */
export async function reloadWithSettings(): Promise<void> {
  await busy('Re-lifting with the new settings…', async (signal) => {
    showCloud(await sceneWorker.reloadWithOptions(getState().captureSettings, ingestProgressProxy(), { signal }), true, getState().sceneName);
  });
}

/** Multiplies every length of the loaded scene by `factor` (mm → m: 0.001) in the worker; the view re-frames. */
export async function rescaleScene(factor: number): Promise<void> {
  await busy('Rescaling…', async (signal) => {
    const { sceneName, sceneFromDrop } = getState();
    showCloud(await sceneWorker.rescale(factor, { signal }), sceneFromDrop, sceneName);
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
      colorMode: DEFAULT_COLOR_MODE,
      backend: null,
      timings: null,
      precision: null,
    }));
  });
}

function installViewBuffers(cloud: DrawableCloud): void {
  drawBuffers.thumbnails = cloud.thumbnails;
  drawBuffers.sources = cloud.sources;
  drawBuffers.viewImages = new Map();
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
      positions: asWorldPoints(positions),
      colors,
      // Built here, not in the worker: the synthetic cloud never goes there.
      drawOrder: drawOrderFor(count),
      bounds,
      liftMs: 0,
      description: `synthetic cloud of ${count.toLocaleString('en')} points (render benchmark)`,
      warnings: [],
      counts: { lifted: count, afterRange: count, afterVoxel: count, afterOutliers: count },
      cameras: [],
      thumbnails: [],
      sources: null,
      robustBounds: bounds,
      viewpoint: { cameraToWorld: asCameraToWorld([1, 0, 0, 0, 0, -0.866, -0.5, 1.5, 0, 0.5, -0.866, 2.5, 0, 0, 0, 1]), up: [0, 1, 0], upReason: 'synthetic' },
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
