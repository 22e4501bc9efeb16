/// <reference lib="webworker" />
/// <reference types="vite/client" />
/**
 * Scene worker entry: the protocol's calls mapped onto one SceneSession (session.ts), which
 * `configure` creates and which owns every piece of state. Parsing, lifting and inference all run
 * here so the page never freezes. Big results go back as transferred buffers.
 */
import * as Comlink from 'comlink';
import { CAPTURE_FORMATS } from '../../src/core/capture/captureFormats.ts';
import { rgbaFromRgb } from '../../src/core/views/viewImages.ts';
import { drawn, viewRaster } from './drawable.ts';
import { featureToolsApi } from './featureToolsApi.ts';
import { SceneSession } from './session.ts';
import { segmentApi } from './segmentApi.ts';
import { studioViewApi } from './studioViewApi.ts';
import { voxelApi } from './voxelApi.ts';
import type { SceneWorkerApi, SceneWorkerFaultHooks } from './protocol.ts';

/** `task`'s value, or its throw as a rejection (comlink answers both alike). */
const settled = <T>(task: () => T): Promise<T> => new Promise<T>((resolve) => resolve(task()));

/** The protocol over a session created by `configure`; every call before it is refused. */
export function createSceneWorkerApi(): SceneWorkerApi {
  let current: SceneSession | null = null;
  const session = (): SceneSession => {
    if (!current) throw new Error('scene worker: configure() was not called');
    return current;
  };
  const bytesOf = (files: readonly { name: string; bytes: ArrayBuffer }[]) => files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));

  /** Segment-level calls (mask mode, relations) over the current session's engine and capture. */
  const segments = () => {
    const s = session();
    return segmentApi(
      s.segmentQueries,
      () => s.scene?.loaded.capture ?? null,
      (onProgress, task) => s.withProgress(onProgress, task),
    );
  };

  return {
    modelSets: () => session().modelSets(),
    downloadModelSet: (id, onProgress) => session().downloadModelSet(id, onProgress),
    cancelModelDownload: () => settled(() => session().cancelModelDownload()),
    useModelSet: (id) => session().useModelSet(id),
    maskQuery: (request, onProgress) => segments().maskQuery(request, onProgress),
    relationQuery: (request, onProgress) => segments().relationQuery(request, onProgress),
    ...studioViewApi(session),
    ...voxelApi(session),
    ...featureToolsApi(session),

    configure(config) {
      current = new SceneSession(config);
      return Promise.resolve();
    },

    setBackend(backend) {
      return settled(() => session().setBackend(backend));
    },

    async loadSceneUrl(sceneUrl) {
      return drawn(await session().loadUrl(sceneUrl));
    },

    acceptedFileTypes() {
      return Promise.resolve(CAPTURE_FORMATS.acceptList());
    },

    loadDroppedFiles(files, options, onProgress) {
      return settled(() => drawn(session().lift(bytesOf(files), options, onProgress)));
    },

    reloadWithOptions(options, onProgress) {
      return settled(() => drawn(session().relift(options, onProgress)));
    },

    rescale(factor) {
      return settled(() => drawn(session().rescale(factor)));
    },

    async query(request, onProgress) {
      const s = session();
      const scene = s.scene;
      const outcome = await s.withProgress(onProgress, () => s.engine.query(request, onProgress));
      s.keepLayers(
        scene,
        outcome.layers.map((l) => l.values),
      );
      const buffers = [...outcome.layers.map((l) => l.values.buffer), outcome.labels?.perPoint.buffer, outcome.instanceIds?.buffer];
      return Comlink.transfer(
        outcome,
        buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
      );
    },

    useLocalModels(files) {
      return session().useLocalModels(bytesOf(files));
    },

    async pcaColors(onProgress) {
      const s = session();
      const colours = await s.withProgress(onProgress, () => s.engine.pcaColors());
      return Comlink.transfer(colours, [colours.buffer as ArrayBuffer]);
    },

    async similarityTo(index, onProgress) {
      const s = session();
      const values = await s.withProgress(onProgress, () => s.engine.similarityTo(index));
      return Comlink.transfer(values, [values.buffer as ArrayBuffer]);
    },

    clusterInstances(layer, threshold) {
      return settled(() => {
        const s = session();
        const values = s.layer(layer);
        if (!values) throw new Error(`instances: no relevancy layer ${layer} on this cloud — run a query first`);
        const clustered = s.engine.clusterInstances(values, threshold);
        return Comlink.transfer(clustered, [clustered.instanceIds.buffer as ArrayBuffer]);
      });
    },

    async agreement(a, b, onProgress) {
      const s = session();
      const result = await s.withProgress(onProgress, () => s.engine.agreement(a, b));
      return Comlink.transfer(result, [result.perPoint.buffer as ArrayBuffer]);
    },

    exportFeaturePly(onProgress) {
      const s = session();
      // A Blob crosses by reference: its bytes are not copied into the page's heap.
      return s.withProgress(onProgress, () => s.engine.exportFeaturePly());
    },

    viewImage(index) {
      return settled(() => {
        const views = session().views;
        const view = views[index];
        if (!view) throw new Error(`view ${index}: the scene has ${views.length} input view(s)`);
        const image = rgbaFromRgb(viewRaster(view));
        return Comlink.transfer({ image, depthWidth: view.depth.width, depthHeight: view.depth.height }, [image.rgba.buffer]);
      });
    },

    runTeacher(options, onProgress) {
      return session().engine.runTeacher(options, onProgress);
    },

    warmModels(onProgress) {
      const s = session();
      return s.withProgress(onProgress, () => s.engine.warmModels());
    },

    prepareFeatures(onProgress) {
      const s = session();
      return s.withProgress(onProgress, () => s.engine.prepareFeatures());
    },

    featureSets() {
      return session().engine.featureSets();
    },

    useFeatureSet(id) {
      return settled(() => session().engine.useFeatureSet(id));
    },

    restoreLayers(layers) {
      return settled(() => session().restoreLayers(layers));
    },

    holdLifeLock(name) {
      // The lock is never released: it ends with the worker, which is what the page waits for.
      return new Promise<void>((resolve, reject) => {
        navigator.locks.request(name, () => (resolve(), new Promise<never>(() => undefined))).catch(reject);
      });
    },
  };
}

const api: SceneWorkerApi & Partial<SceneWorkerFaultHooks> = createSceneWorkerApi();
// Fault injection for the fault e2e tests, only outside production builds (a build-time constant:
// production bundles drop the module).
if (import.meta.env.MODE !== 'production') void import('./faultHooks.ts').then((m) => m.installFaultHooks(api));
Comlink.expose(api);
