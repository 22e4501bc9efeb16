/// <reference lib="webworker" />
/**
 * Scene worker entry: the sole owner of the current cloud and its features (via SceneEngine).
 * Parsing, lifting and inference all run here so the page never freezes.
 */
import * as Comlink from 'comlink';
import { baseName } from '../../src/core/formats/paths.ts';
import type { CaptureFile } from '../../src/core/capture/captureFiles.ts';
import { CAPTURE_FORMATS } from '../../src/core/capture/captureFormats.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../../src/core/capture/loadCapture.ts';
import { computeBounds } from '../../src/core/lift/pointCloud.ts';
import { detectUpAxis, robustBounds, upAxisLabel, upVector } from '../../src/core/views/framing.ts';
import { rescaleCapture } from '../../src/core/capture/rescaleCapture.ts';
import { parseModelManifest } from '../../src/core/models/manifest.ts';
import { parseSceneDescription } from '../../src/core/formats/sceneDescription.ts';
import { asWorldPoints, IDENTITY_POSE } from '../../src/core/units.ts';
import { fetchModelBytes, type LoadProgress } from '../../src/infer/modelLoader.ts';
import { SceneEngine } from '../../src/infer/sceneEngine.ts';
import { cacheStorageModelCache } from '../../src/infer/cacheStorageModelCache.ts';
import { describeLocalModels, type LocalModels } from '../../src/infer/localModels.ts';
import type { ModelManifest } from '../../src/core/models/manifest.ts';
import type { DrawableCloud, IngestOptions, IngestProgress, SceneWorkerApi, SceneWorkerConfig } from './protocol.ts';
import { downscaleRgb, rgbaFromRgb } from '../../src/core/views/viewImages.ts';
import type { RgbdView } from '../../src/core/units.ts';
import type { Bounds3 } from '../../src/core/lift/pointCloud.ts';

let config: SceneWorkerConfig | null = null;
let manifest: Promise<ModelManifest> | null = null;
let progressListener: ((event: LoadProgress) => void) | undefined;
const modelCache = cacheStorageModelCache();

/** Model files the user dropped (replacing the manifest's defaults of their kinds), or null. */
let localModels: LocalModels | null = null;

function publishedManifest(): Promise<ModelManifest> {
  if (!config) throw new Error('scene worker: configure() was not called');
  const url = config.manifestUrl;
  manifest ??= fetchManifestBytes(url).then((bytes) => parseModelManifest(parseJsonFile(bytes, url, 'a JSON model manifest'), url));
  manifest.catch(() => (manifest = null));
  return manifest;
}

async function modelSource() {
  const published = await publishedManifest();
  const local = localModels;
  return {
    manifest: local?.manifest ?? published,
    baseUrl: new URL(config!.manifestUrl),
    backend: config!.backend,
    fetch: {
      onProgress: (event: LoadProgress) => progressListener?.(event),
      ...(modelCache ? { cache: modelCache } : {}),
      readLocalFile: (url: URL) => {
        const bytes = local?.bytes.get(url.href);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${url.href}: no such dropped model file`));
      },
    },
  };
}

/**
 * The manifest has no hash to check against, so it is network-first: a fresh copy when the network
 * answers (kept for later), the kept copy when it does not — the cached models then load offline.
 */
async function fetchManifestBytes(url: string): Promise<Uint8Array> {
  try {
    const bytes = await fetchModelBytes(new URL(url));
    await modelCache?.put(url, bytes).catch(() => undefined);
    return bytes;
  } catch (error) {
    const cached = await modelCache?.get(url).catch(() => null);
    if (cached) return cached;
    throw error;
  }
}

/** JSON.parse with a message that names the URL: static hosts answer unknown paths with HTML. */
function parseJsonFile(bytes: Uint8Array, url: string, expected: string): unknown {
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${url}: expected ${expected}, found ${JSON.stringify(text.slice(0, 40))}… (is the URL right?)`, { cause: error });
  }
}

const engine = new SceneEngine(modelSource);
/** The files of the last successful load, kept so new capture settings can be applied to them. */
let lastFiles: CaptureFile[] | null = null;
/** The relevancy layers of the last query on the current cloud (copies: the originals are transferred). */
let lastLayers: Float32Array[] = [];
/** What install() got last (before a saved result was taken out), for a unit rescale. */
let installed: { loaded: LoadedCapture; liftMs: number } | null = null;
/** Input views of the current scene (for viewImage); empty for point-cloud files. */
let currentViews: readonly RgbdView[] = [];
/** Long side of the frustum thumbnails, pixels. */
const THUMBNAIL_MAX_SIDE = 160;

/** The view's colour, or its depth as grey when it has none (so a frustum still shows something). */
function viewRaster(view: RgbdView) {
  if (view.color) return view.color;
  const { width, height, metres } = view.depth;
  let max = 0;
  for (const d of metres) if (d > max && d !== Infinity) max = d;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(max > 0 && metres[i]! > 0 ? Math.round((255 * metres[i]!) / max) : 0, i * 3, i * 3 + 3);
  return { width, height, rgb };
}

/** Installs a loaded capture as the current scene and transfers copies of what is drawn. */
function install(loaded: LoadedCapture, liftMs: number): DrawableCloud {
  installed = { loaded, liftMs };
  const { cloud, capture } = loaded;
  const restored = loaded.restoredResult;
  engine.setCloud(cloud, loaded.halfFeatures ?? loaded.features, capture.views ?? []);
  lastLayers = [];
  const positions = asWorldPoints(cloud.positions.slice(0, cloud.count * 3));
  const colors = cloud.colors.slice(0, cloud.count * 3);
  const cameras = (capture.views ?? []).map((v) => ({ name: v.name, intrinsics: v.intrinsics, cameraToWorld: v.cameraToWorld }));
  const first = cameras[0]?.cameraToWorld ?? IDENTITY_POSE;
  const robust = robustBounds(cloud.positions, cloud.count);
  const viewpoint = { cameraToWorld: first, ...worldUp(capture, first, cloud.positions, cloud.count, robust) };
  currentViews = capture.views ?? [];
  const thumbnails = currentViews.map((v) => downscaleRgb(viewRaster(v), THUMBNAIL_MAX_SIDE));
  const sources = capture.views ? { view: cloud.viewIndex.slice(0, cloud.count), pixel: cloud.pixelIndex.slice(0, cloud.count) } : null;
  const result: DrawableCloud = {
    count: cloud.count,
    positions,
    colors,
    bounds: computeBounds(cloud.positions, cloud.count),
    robustBounds: robust,
    liftMs,
    description: capture.detected,
    warnings: capture.warnings,
    ...(capture.depthScaleWarning ? { depthScaleWarning: capture.depthScaleWarning } : {}),
    counts: loaded.counts,
    cameras,
    viewpoint,
    thumbnails,
    sources,
    ...(restored ? { restoredResult: restored } : {}),
  };
  const sourceBuffers = sources ? [sources.view.buffer, sources.pixel.buffer] : [];
  const resultBuffers = restored ? [...restored.layers.map((l) => l.values.buffer), restored.labels?.perPoint.buffer, restored.instanceIds?.buffer] : [];
  return Comlink.transfer(result, [
    positions.buffer,
    colors.buffer,
    ...thumbnails.map((t) => t.rgba.buffer),
    ...sourceBuffers,
    ...resultBuffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
  ]);
}

/**
 * World up: the capture's own when it says; else "up" in the first image (camera −y); for a bare
 * cloud, detected (framing.ts: a support plane, or the camera convention −y).
 */
function worldUp(capture: LoadedCapture['capture'], first: readonly number[], positions: Float32Array, count: number, robust: Bounds3) {
  if (capture.worldUp) return { up: capture.worldUp, upReason: "the capture's world up" };
  if (capture.views?.length) return { up: [-first[1]!, -first[5]!, -first[9]!] as const, upReason: "the first camera's image up" };
  const detected = detectUpAxis(positions, count, robust);
  return { up: upVector(detected.axis), upReason: `${upAxisLabel(detected.axis)}: ${detected.reason}` };
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function lift(files: CaptureFile[], options: IngestOptions, onProgress?: (progress: IngestProgress) => void): DrawableCloud {
  const t0 = performance.now();
  const loaded = loadCapture(files, options, (p) => onProgress?.(p));
  lastFiles = files;
  return install(loaded, performance.now() - t0);
}

/** Routes model-download progress to the caller's proxy for the duration of one request. */
async function withProgress<T>(onProgress: ((event: LoadProgress) => void) | undefined, task: () => Promise<T>): Promise<T> {
  progressListener = onProgress;
  try {
    return await task();
  } finally {
    progressListener = undefined;
  }
}

const api: SceneWorkerApi = {
  configure(next) {
    config = next;
    manifest = null;
    return Promise.resolve();
  },

  setBackend(backend) {
    if (!config) throw new Error('scene worker: configure() was not called');
    if (config.backend !== backend) {
      config = { ...config, backend };
      engine.resetModels();
    }
    return Promise.resolve();
  },

  async loadSceneUrl(sceneUrl) {
    const t0 = performance.now();
    const url = new URL(sceneUrl);
    const sceneBytes = await fetchBytes(url);
    // ?scene= may also name a point cloud (an exported result PLY loads with its result).
    if (CAPTURE_FORMATS.isPointCloudFile({ name: url.pathname })) {
      const loaded = install(loadCapture([{ name: baseName(url.pathname), bytes: sceneBytes }], DEFAULT_CAPTURE_SETTINGS), performance.now() - t0);
      lastFiles = null;
      return loaded;
    }
    const scene = parseSceneDescription(new TextDecoder().decode(sceneBytes), baseName(url.pathname));
    const names = scene.views.flatMap((v) => [v.color, v.depth]);
    const files: CaptureFile[] = [
      { name: 'scene.json', bytes: sceneBytes },
      ...(await Promise.all(names.map(async (name) => ({ name, bytes: await fetchBytes(new URL(name, url)) })))),
    ];
    const loaded = install(loadCapture(files, DEFAULT_CAPTURE_SETTINGS), performance.now() - t0);
    lastFiles = null;
    return loaded;
  },

  acceptedFileTypes() {
    return Promise.resolve(CAPTURE_FORMATS.acceptList());
  },

  loadDroppedFiles(files, options: IngestOptions, onProgress?: (progress: IngestProgress) => void) {
    return Promise.resolve(
      lift(
        files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
        options,
        onProgress,
      ),
    );
  },

  reloadWithOptions(options, onProgress) {
    if (!lastFiles) throw new Error('nothing to re-lift: drop a capture first (the bundled scene is fixed)');
    return Promise.resolve(lift(lastFiles, options, onProgress));
  },

  rescale(factor) {
    if (!installed) return Promise.reject(new Error('unit scale: no scene is loaded'));
    const t0 = performance.now();
    const scaled = rescaleCapture(installed.loaded, factor);
    return Promise.resolve(install(scaled, installed.liftMs + performance.now() - t0));
  },

  async query(request, onProgress) {
    const outcome = await withProgress(onProgress, () => engine.query(request, onProgress));
    lastLayers = outcome.layers.map((l) => l.values.slice());
    const buffers = [...outcome.layers.map((l) => l.values.buffer), outcome.labels?.perPoint.buffer, outcome.instanceIds?.buffer].filter(
      (b): b is ArrayBuffer => b instanceof ArrayBuffer,
    );
    return Comlink.transfer(outcome, buffers);
  },

  async useLocalModels(files) {
    const described = await describeLocalModels(
      files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
      await publishedManifest(),
    );
    localModels = described;
    engine.resetModels();
    return described.summary;
  },

  async pcaColors(onProgress) {
    const colours = await withProgress(onProgress, () => engine.pcaColors());
    return Comlink.transfer(colours, [colours.buffer as ArrayBuffer]);
  },

  async similarityTo(index, onProgress) {
    const values = await withProgress(onProgress, () => engine.similarityTo(index));
    return Comlink.transfer(values, [values.buffer as ArrayBuffer]);
  },

  clusterInstances(layer, threshold) {
    const values = lastLayers[layer];
    if (!values) return Promise.reject(new Error(`instances: no relevancy layer ${layer} on this cloud — run a query first`));
    const clustered = engine.clusterInstances(values, threshold);
    return Promise.resolve(Comlink.transfer(clustered, [clustered.instanceIds.buffer as ArrayBuffer]));
  },
  async agreement(a, b, onProgress) {
    const result = await withProgress(onProgress, () => engine.agreement(a, b));
    return Comlink.transfer(result, [result.perPoint.buffer as ArrayBuffer]);
  },

  exportFeaturePly(onProgress) {
    // A Blob crosses by reference: its bytes are not copied into the page's heap.
    return withProgress(onProgress, () => engine.exportFeaturePly());
  },

  viewImage(index) {
    const view = currentViews[index];
    if (!view) return Promise.reject(new Error(`view ${index}: the scene has ${currentViews.length} input view(s)`));
    const image = rgbaFromRgb(viewRaster(view));
    return Promise.resolve(Comlink.transfer({ image, depthWidth: view.depth.width, depthHeight: view.depth.height }, [image.rgba.buffer]));
  },

  runTeacher(options, onProgress) {
    return engine.runTeacher(options, onProgress);
  },

  featureSets() {
    return engine.featureSets();
  },

  useFeatureSet(id) {
    engine.useFeatureSet(id);
    return Promise.resolve();
  },
};

Comlink.expose(api);
