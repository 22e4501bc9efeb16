/// <reference lib="webworker" />
/**
 * Scene worker entry: the sole owner of the current cloud and its features (via SceneEngine).
 * Parsing, lifting and inference all run here so the page never freezes.
 */
import * as Comlink from 'comlink';
import { assembleRgbdFrame } from '../../src/core/ingest/assembleRgbdFrame.ts';
import { liftPosedScene, parseSceneDescription } from '../../src/core/ingest/posedScene.ts';
import { computeBounds, type PointCloud } from '../../src/core/lift/pointCloud.ts';
import { IDENTITY_POSE } from '../../src/core/units.ts';
import { parseModelManifest } from '../../src/core/models/manifest.ts';
import { fetchModelBytes, type LoadProgress } from '../../src/infer/modelLoader.ts';
import { SceneEngine } from '../../src/infer/sceneEngine.ts';
import type { DrawableCloud, SceneWorkerApi, SceneWorkerConfig } from './protocol.ts';

let config: SceneWorkerConfig | null = null;
let manifest: Promise<ReturnType<typeof parseModelManifest>> | null = null;
let progressListener: ((event: LoadProgress) => void) | undefined;

async function modelSource() {
  if (!config) throw new Error('scene worker: configure() was not called');
  manifest ??= fetchModelBytes(new URL(config.manifestUrl)).then((bytes) => parseModelManifest(JSON.parse(new TextDecoder().decode(bytes)), config!.manifestUrl));
  manifest.catch(() => (manifest = null));
  return {
    manifest: await manifest,
    baseUrl: new URL(config.manifestUrl),
    backend: config.backend,
    fetch: { onProgress: (event: LoadProgress) => progressListener?.(event) },
  };
}

const engine = new SceneEngine(modelSource);

/** Copies what is drawn out of the engine's cloud and transfers the copies to the page. */
function drawable(cloud: PointCloud, liftMs: number, description: string, viewpoint: DrawableCloud['viewpoint']): DrawableCloud {
  const positions = cloud.positions.slice(0, cloud.count * 3);
  const colors = cloud.colors.slice(0, cloud.count * 3);
  const result: DrawableCloud = { count: cloud.count, positions, colors, bounds: computeBounds(cloud.positions, cloud.count), liftMs, description, viewpoint };
  return Comlink.transfer(result, [positions.buffer, colors.buffer]);
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const api: SceneWorkerApi = {
  configure(next) {
    config = next;
    manifest = null;
    return Promise.resolve();
  },

  async loadSceneUrl(sceneUrl) {
    const t0 = performance.now();
    const url = new URL(sceneUrl);
    const scene = parseSceneDescription(new TextDecoder().decode(await fetchBytes(url)), url.pathname.split('/').pop() ?? sceneUrl);
    const names = scene.views.flatMap((v) => [v.color, v.depth]);
    const files = await Promise.all(names.map(async (name) => ({ name, bytes: await fetchBytes(new URL(name, url)) })));
    const cloud = liftPosedScene(scene, files);
    engine.setCloud(cloud);
    const first = scene.views[0]!.cameraToWorld;
    // World up: the scene's own when it says, else "up" in the first image (camera −y).
    const up = scene.worldUp ?? ([-first[1]!, -first[5]!, -first[9]!] as const);
    return drawable(cloud, performance.now() - t0, `${scene.name}: ${scene.views.length} posed views fused`, { cameraToWorld: [...first], up });
  },

  loadDroppedFiles(files, options) {
    const t0 = performance.now();
    const { cloud, report } = assembleRgbdFrame(
      files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
      options,
    );
    engine.setCloud(cloud);
    const colour = report.colorFile ? `${report.colorFile} + ` : '';
    return Promise.resolve(
      drawable(cloud, performance.now() - t0, `RGB-D frame (${colour}${report.depthFile}, intrinsics from ${report.intrinsicsSource}, ${report.depthScale} units/m)`, {
        cameraToWorld: [...IDENTITY_POSE],
        up: [0, -1, 0],
      }),
    );
  },

  async query(text, onProgress) {
    progressListener = onProgress;
    try {
      const outcome = await engine.query(text);
      return Comlink.transfer(outcome, [outcome.relevancy.buffer]);
    } finally {
      progressListener = undefined;
    }
  },
};

Comlink.expose(api);
