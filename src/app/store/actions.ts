/**
 * All orchestration: the only caller of the scene worker, and the sole writer of drawBuffers.
 * Every user-facing failure becomes an entry in `errors`; the scene already loaded stays, because
 * the worker validates a new scene completely before replacing the old one.
 */
import { proxy, sceneWorker, transferFiles } from '../../../workers/scene/client.ts';
import type { DrawableCloud, IngestOptions, IngestProgress } from '../../../workers/scene/protocol.ts';
import { checkFileSize } from '../../core/capture/captureFiles.ts';
import type { DroppedFile } from '../readDrop.ts';
import type { BackendPreference } from '../../infer/ortRuntime.ts';
import type { LoadProgress } from '../../infer/modelLoader.ts';
import { drawBuffers } from './drawBuffers.ts';
import { useFieldLens, type CaptureSettingsSlice } from './store.ts';

const { getState, setState } = useFieldLens;
let nextErrorId = 1;

export function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  setState((s) => ({ errors: [...s.errors, { id: nextErrorId++, message }] }));
}

export function dismissError(id: number): void {
  setState((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
}

function parseBackend(value: string | null): BackendPreference {
  return value === 'wasm' || value === 'webgpu' ? value : 'auto';
}

function showCloud(cloud: DrawableCloud, fromDrop: boolean): void {
  // Features and relevancy of the old cloud are meaningless for the new one.
  drawBuffers.cloud = { count: cloud.count, positions: cloud.positions, colors: cloud.colors };
  drawBuffers.relevancy = null;
  setState((s) => ({
    sceneVersion: s.sceneVersion + 1,
    queryVersion: s.queryVersion + 1,
    pointCount: cloud.count,
    liftMs: cloud.liftMs,
    sceneDescription: cloud.description,
    bounds: cloud.bounds,
    viewpoint: cloud.viewpoint,
    sceneWarnings: cloud.warnings,
    sceneCounts: cloud.counts,
    cameras: cloud.cameras,
    sceneFromDrop: fromDrop,
    relevancyRange: null,
    colorMode: 'rgb',
  }));
}

async function busy<T>(label: string, task: () => Promise<T>): Promise<T | undefined> {
  setState({ busy: label });
  try {
    return await task();
  } catch (error) {
    reportError(error);
    return undefined;
  } finally {
    setState({ busy: null });
  }
}

/** Configures the worker from the page URL (?backend=wasm|webgpu, ?scene=<url>) and loads a scene. */
export async function startStudio(location: Location): Promise<void> {
  const params = new URLSearchParams(location.search);
  const manifestUrl = new URL('models/manifest.json', document.baseURI).href;
  await sceneWorker().configure({ manifestUrl, backend: parseBackend(params.get('backend')) });
  const sceneUrl = new URL(params.get('scene') ?? 'demo/scene.json', document.baseURI).href;
  await busy('Loading scene…', async () => showCloud(await sceneWorker().loadSceneUrl(sceneUrl), false));
}

function ingestOptions(): IngestOptions {
  const s = getState();
  return {
    depthScale: s.depthScale,
    intrinsics: s.typedIntrinsics ?? undefined,
    intrinsicsPresetId: s.intrinsicsPresetId || undefined,
    voxelSize: s.voxelSize,
    minDepth: s.minDepth,
    maxDepth: s.maxDepth,
    removeOutliers: s.removeOutliers,
    maxFrames: s.maxFrames,
  };
}

/** Reads dropped or picked files (folders walked, zips expanded in the worker) and lifts them. */
export async function loadFiles(files: readonly DroppedFile[]): Promise<void> {
  if (files.length === 0) return;
  await busy(`Reading ${files.length} file(s)…`, async () => {
    // Refuse what a tab cannot hold before reading a byte of it.
    for (const { path, file } of files) checkFileSize(path, file.size);
    const transferred = await Promise.all(files.map(async ({ path, file }) => ({ name: path, bytes: await file.arrayBuffer() })));
    try {
      const onProgress = proxy((progress: IngestProgress) => setState({ ingestProgress: progress }));
      showCloud(await sceneWorker().loadDroppedFiles(transferFiles(transferred), ingestOptions(), onProgress), true);
    } finally {
      setState({ ingestProgress: null });
    }
  });
}

export async function runQuery(text: string): Promise<void> {
  const sceneVersion = getState().sceneVersion;
  setState({ queryText: text, queryRunning: true });
  try {
    const result = await sceneWorker().query(
      text,
      proxy((event: LoadProgress) => setState({ modelProgress: event })),
    );
    // A scene dropped while the query ran makes this result stale: its points are gone.
    if (getState().sceneVersion !== sceneVersion) return;
    drawBuffers.relevancy = result.relevancy;
    setState((s) => ({
      queryVersion: s.queryVersion + 1,
      backend: result.backend,
      timings: result.timings,
      relevancyRange: result.range,
      colorMode: 'relevancy',
    }));
  } catch (error) {
    reportError(error);
  } finally {
    setState({ queryRunning: false, modelProgress: null });
  }
}

/** Applies the current capture settings to the last dropped capture (kept in the worker). */
export async function reloadWithSettings(): Promise<void> {
  await busy('Re-lifting with the new settings…', async () => {
    try {
      const onProgress = proxy((progress: IngestProgress) => setState({ ingestProgress: progress }));
      showCloud(await sceneWorker().reloadWithOptions(ingestOptions(), onProgress), true);
    } finally {
      setState({ ingestProgress: null });
    }
  });
}

export function updateCaptureSettings(patch: Partial<CaptureSettingsSlice>): void {
  setState(patch);
}

export function setColorMode(mode: 'rgb' | 'relevancy'): void {
  setState({ colorMode: mode });
}
