/**
 * The scene worker's one owner of state: the configuration, the model source (the published
 * manifest or dropped model files), the engine with the current cloud and its features, and what
 * the worker keeps of the current scene (its files for a re-lift, the last query's layers for
 * re-clustering, its input views). `configure` creates a new session; nothing else in the worker
 * outlives a call.
 *
 * Progress: a model download serves every call waiting for that model, so download events go to
 * every call in flight that asked for progress (each call registers its own listener for its own
 * duration; an overlapping call never replaces another's).
 */
import { baseName } from '../../src/core/formats/paths.ts';
import type { CaptureFile } from '../../src/core/capture/captureFiles.ts';
import { CAPTURE_FORMATS } from '../../src/core/capture/captureFormats.ts';
import { DEFAULT_CAPTURE_SETTINGS, type CaptureSettings } from '../../src/core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../../src/core/capture/loadCapture.ts';
import { rescaleCapture } from '../../src/core/capture/rescaleCapture.ts';
import { parseModelManifest, type ModelManifest } from '../../src/core/models/manifest.ts';
import { parseSceneDescription } from '../../src/core/formats/sceneDescription.ts';
import type { RgbdView } from '../../src/core/units.ts';
import { fetchModelBytes, type LoadProgress } from '../../src/infer/modelLoader.ts';
import { manifestForModelSet } from '../../src/core/models/modelSetScope.ts';
import { describeModelSets, downloadModelSet } from './modelSetDownloads.ts';
import { SegmentQueries } from '../../src/infer/segmentQueries.ts';
import { SceneEngine } from '../../src/infer/sceneEngine.ts';
import { CompareScene } from '../../src/infer/compareScene.ts';
import { cacheStorageModelCache } from '../../src/infer/cacheStorageModelCache.ts';
import { describeLocalModels, type LocalModelFile, type LocalModels } from '../../src/infer/localModels.ts';
import type { ModelSource } from '../../src/infer/loadedModels.ts';
import type { BackendPreference } from '../../src/infer/ortRuntime.ts';
import type { IngestProgress, SceneWorkerConfig } from './protocol.ts';
import type { FeatureSetsSnapshot } from '../../src/infer/featureSets.ts';
import { subsetCapture } from '../../src/core/capture/subsetCapture.ts';
import { storeCosine } from '../../src/core/features/storeSubset.ts';
import { pruneByCosine } from '../../src/core/match/pruneFeatures.ts';

/** The scene as installed: the loaded capture (before a saved result was taken out) and its lift time. */
export interface InstalledScene {
  readonly loaded: LoadedCapture;
  readonly liftMs: number;
}

export class SceneSession {
  private config: SceneWorkerConfig;
  private manifest: Promise<ModelManifest> | null = null;
  /** Model files the user dropped (replacing the manifest's defaults of their kinds), or null. */
  private localModels: LocalModels | null = null;
  private readonly modelCache = cacheStorageModelCache();
  private readonly progressListeners = new Set<(event: LoadProgress) => void>();
  readonly engine = new SceneEngine(() => this.modelSource());
  /** Segment features and relation answers, cached per cloud beside the engine that owns the features. */
  readonly segmentQueries = new SegmentQueries(this.engine);
  /** The second scene of Compare with… (its own engine, same models); dropped with the scene it was compared to. */
  readonly compare = new CompareScene(() => this.modelSource());
  /** The files of the last dropped capture, kept so new capture settings can be applied to them (null for a fixed scene). */
  private files: CaptureFile[] | null = null;
  private installed: InstalledScene | null = null;
  /** The relevancy layers of the last query on the current cloud (copies: the originals are transferred). */
  private layers: Float32Array[] = [];
  /** The scene and its feature sets before the first prune: every prune starts from it, a restore returns to it. */
  private unpruned: { readonly installed: InstalledScene; readonly features: FeatureSetsSnapshot } | null = null;
  /** Scene loads started; a load that awaited (a URL) installs only if none started after it. */
  private loadsStarted = 0;

  constructor(config: SceneWorkerConfig) {
    this.config = config;
  }

  /** Runs the models on `backend` from the next task on: the open sessions are released. */
  setBackend(backend: BackendPreference): void {
    if (this.config.backend === backend) return;
    this.config = { ...this.config, backend };
    this.engine.resetModels();
  }

  /** Cancels the running model-set download, if any. */
  private downloadAbort: AbortController | null = null;

  /** The manifest's model sets, with their sizes and whether they are cached. */
  async modelSets() {
    return describeModelSets(await this.publishedManifest(), new URL(this.config.manifestUrl), this.config.backend, this.modelCache);
  }

  /** Downloads every file of set `id` into the model cache (one download at a time: a new one cancels the last). */
  async downloadModelSet(id: string, onProgress?: (event: LoadProgress) => void) {
    this.downloadAbort?.abort();
    const abort = (this.downloadAbort = new AbortController());
    try {
      const options = {
        backend: this.config.backend,
        cache: this.modelCache,
        signal: abort.signal,
        ...this.stallOption(),
        ...(onProgress ? { onProgress } : {}),
      };
      return await downloadModelSet(await this.publishedManifest(), new URL(this.config.manifestUrl), id, options);
    } finally {
      if (this.downloadAbort === abort) this.downloadAbort = null;
    }
  }

  private stallOption(): { stallTimeoutMs?: number } {
    return this.config.stallTimeoutMs !== undefined ? { stallTimeoutMs: this.config.stallTimeoutMs } : {};
  }

  cancelModelDownload(): void {
    this.downloadAbort?.abort();
  }

  /** Queries use set `id` from the next task on (an unknown id throws, naming the known sets). */
  async useModelSet(id: string): Promise<void> {
    manifestForModelSet(await this.publishedManifest(), id, this.config.manifestUrl);
    if (this.config.modelSet !== id) {
      this.config = { ...this.config, modelSet: id };
      this.engine.resetModels();
    }
  }

  /** Runs `task` with `onProgress` hearing every model download that happens meanwhile. */
  async withProgress<T>(onProgress: ((event: LoadProgress) => void) | undefined, task: () => Promise<T>): Promise<T> {
    // A fresh function per call, so two calls passing the same listener still register twice.
    const listener = onProgress ? (event: LoadProgress) => onProgress(event) : null;
    if (listener) this.progressListeners.add(listener);
    try {
      return await task();
    } finally {
      if (listener) this.progressListeners.delete(listener);
    }
  }

  private publishedManifest(): Promise<ModelManifest> {
    const url = this.config.manifestUrl;
    const manifest = (this.manifest ??= this.fetchManifestBytes(url).then((bytes) =>
      parseModelManifest(parseJsonFile(bytes, url, 'a JSON model manifest'), url),
    ));
    manifest.catch(() => {
      if (this.manifest === manifest) this.manifest = null;
    });
    return manifest;
  }

  private async modelSource(): Promise<ModelSource> {
    const published = await this.publishedManifest();
    const local = this.localModels;
    return {
      manifest: local?.manifest ?? (this.config.modelSet ? manifestForModelSet(published, this.config.modelSet, this.config.manifestUrl) : published),
      baseUrl: new URL(this.config.manifestUrl),
      backend: this.config.backend,
      fetch: {
        onProgress: (event: LoadProgress) => {
          for (const listener of this.progressListeners) listener(event);
        },
        ...(this.modelCache ? { cache: this.modelCache } : {}),
        ...this.stallOption(),
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
  private async fetchManifestBytes(url: string): Promise<Uint8Array> {
    try {
      const bytes = await fetchModelBytes(new URL(url));
      await this.modelCache?.put(url, bytes).catch(() => undefined);
      return bytes;
    } catch (error) {
      const cached = await this.modelCache?.get(url).catch(() => null);
      if (cached) return cached;
      throw error;
    }
  }

  /** Uses dropped model files instead of the manifest's defaults of their kinds; returns what was recognised. */
  async useLocalModels(files: readonly LocalModelFile[]): Promise<string> {
    const described = await describeLocalModels(files, await this.publishedManifest());
    this.localModels = described;
    this.engine.resetModels();
    return described.summary;
  }

  /** Makes `loaded` the current scene (the engine's cloud); earlier query layers no longer apply. */
  install(loaded: LoadedCapture, liftMs: number, files: CaptureFile[] | null): InstalledScene {
    this.engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features, loaded.capture.views ?? []);
    this.installed = { loaded, liftMs };
    this.compare.clear();
    this.files = files;
    this.layers = [];
    this.unpruned = null;
    return this.installed;
  }

  /** Parses, lifts and installs dropped files; on error the current scene stays. */
  lift(files: CaptureFile[], options: CaptureSettings, onProgress?: (progress: IngestProgress) => void): InstalledScene {
    this.loadsStarted++;
    const t0 = performance.now();
    const loaded = loadCapture(files, options, (p) => onProgress?.(p));
    return this.install(loaded, performance.now() - t0, files);
  }

  /** Lifts the last dropped capture again with new settings. */
  relift(options: CaptureSettings, onProgress?: (progress: IngestProgress) => void): InstalledScene {
    if (!this.files) throw new Error('nothing to re-lift: drop a capture first (the bundled scene is fixed)');
    return this.lift(this.files, options, onProgress);
  }

  /** A fieldlens-scene@1 description and its images, or a point cloud, fetched from `sceneUrl`. */
  async loadUrl(sceneUrl: string): Promise<InstalledScene> {
    const ticket = ++this.loadsStarted;
    const superseded = () => {
      if (ticket !== this.loadsStarted) throw new Error(`${sceneUrl}: superseded by a newer scene load`);
    };
    const t0 = performance.now();
    const url = new URL(sceneUrl);
    const sceneBytes = await fetchBytes(url);
    // ?scene= may also name a point cloud (an exported result PLY loads with its result).
    superseded();
    if (CAPTURE_FORMATS.isPointCloudFile({ name: url.pathname })) {
      const loaded = loadCapture([{ name: baseName(url.pathname), bytes: sceneBytes }], DEFAULT_CAPTURE_SETTINGS);
      return this.install(loaded, performance.now() - t0, null);
    }
    const scene = parseSceneDescription(new TextDecoder().decode(sceneBytes), baseName(url.pathname));
    const names = scene.views.flatMap((v) => [v.color, v.depth]);
    const files: CaptureFile[] = [
      { name: 'scene.json', bytes: sceneBytes },
      ...(await Promise.all(names.map(async (name) => ({ name, bytes: await fetchBytes(new URL(name, url)) })))),
    ];
    superseded();
    return this.install(loadCapture(files, DEFAULT_CAPTURE_SETTINGS), performance.now() - t0, null);
  }

  /** Multiplies every length of the current scene by `factor` (a unit fix); the files stay unscaled for a re-lift. */
  rescale(factor: number): InstalledScene {
    if (!this.installed) throw new Error('unit scale: no scene is loaded');
    const t0 = performance.now();
    const { loaded, liftMs } = this.installed;
    return this.install(rescaleCapture(loaded, factor), liftMs + performance.now() - t0, this.files);
  }

  /**
   * SparseDFF's pruning for feature continuity with the selected feature set: drops the points
   * whose feature agrees (cosine ≥ `minCosine`) with fewer than half of their nearest neighbours.
   * Always from the scene as it was before the first prune, so a new threshold re-computes; the
   * feature sets keep the kept points' rows. The compared scene stays; query layers are dropped.
   */
  async prune(minCosine: number): Promise<{ installed: InstalledScene; before: number; after: number; ms: number }> {
    const scene = this.installed;
    if (!scene) throw new Error('prune: no scene is loaded');
    const base = this.unpruned ?? { installed: scene, features: await this.engine.featureSnapshot() };
    if (this.installed !== scene) throw new Error('prune: superseded by a newer scene');
    const field = base.features.fields.get(base.features.active);
    if (!field) throw new Error(`prune: feature set "${base.features.active}" was chosen after pruning; restore all points first`);
    const t0 = performance.now();
    const { loaded } = base.installed;
    const { kept } = pruneByCosine(loaded.cloud.positions, loaded.cloud.count, storeCosine(field.store), { minCosine });
    const pruned = subsetCapture(loaded, kept);
    this.engine.restoreFeatures(base.features, pruned.cloud, pruned.capture.views ?? [], kept);
    this.installed = { loaded: pruned, liftMs: base.installed.liftMs };
    this.unpruned = base;
    this.layers = [];
    return { installed: this.installed, before: loaded.cloud.count, after: kept.length, ms: performance.now() - t0 };
  }

  /** Undoes pruning: the scene and its feature sets as they were before the first prune. */
  restoreUnpruned(): InstalledScene {
    if (!this.unpruned) throw new Error('restore points: the scene is not pruned');
    const { installed, features } = this.unpruned;
    this.engine.restoreFeatures(features, installed.loaded.cloud, installed.loaded.capture.views ?? []);
    this.installed = installed;
    this.unpruned = null;
    this.layers = [];
    return installed;
  }

  /** Input views of the current scene (for viewImage); empty for point-cloud files. */
  get views(): readonly RgbdView[] {
    return this.installed?.loaded.capture.views ?? [];
  }

  /** The scene now installed (compare before and after an await: a drop may replace it meanwhile). */
  get scene(): InstalledScene | null {
    return this.installed;
  }

  /** Keeps copies of a query's layers for re-clustering, unless `scene` was replaced while it ran. */
  keepLayers(scene: InstalledScene | null, layers: readonly Float32Array[]): void {
    if (scene === this.installed) this.layers = layers.map((values) => values.slice());
  }

  /** The layers a restarted worker gets back from the page (what the crashed one had kept). */
  restoreLayers(layers: Float32Array[]): void {
    if (!this.installed) throw new Error('relevancy layers: no scene is loaded');
    this.layers = layers;
  }

  layer(index: number): Float32Array | undefined {
    return this.layers[index];
  }
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
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
