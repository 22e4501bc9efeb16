/**
 * The studio's start: configures the scene worker from the page URL (?backend=, ?models=, ?stall=), loads
 * the scene (?scene=, else the bundled demo) and reads the model sets. It only orders the slices'
 * actions; the state and the actions themselves live in the slice files (store.ts lists them).
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { BackendPreference } from '../../infer/ortRuntime.ts';
import { BACKEND_PREFERENCES, isBackendPreference } from '../settingGuards.ts';
import { busy, reportError } from './jobsSlice.ts';
import { initModelSets, parseModelsParam, parseStallParam } from './modelSetSlice.ts';
import { showCloud } from './sceneSlice.ts';
import { warmRuntime } from './featuresSlice.ts';
import { useFieldLens } from './store.ts';
import { askRemoteConsent, crossOriginLoads } from './remoteConsent.ts';

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

const DEFAULT_SCENE = 'demo/scene.json';

/** Configures the worker from the page URL (?backend=wasm|webgpu, ?scene=<url>, ?models=<url>) and loads a scene. */
export async function startStudio(location: Location): Promise<void> {
  const params = new URLSearchParams(location.search);
  // ?models=<set id> picks a set of the studio's manifest; ?models=<url of a manifest.json> another manifest.
  let { manifestUrl, setId } = parseModelsParam(params.get('models'), document.baseURI);
  let sceneUrl = new URL(params.get('scene') ?? DEFAULT_SCENE, document.baseURI).href;
  const backend = parseBackend(params.get('backend'));
  const stall = parseStallParam(params.get('stall'));
  useFieldLens.setState({ backendPreference: backend });
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
  sceneWorker.configure({ manifestUrl: remoteManifest ? defaults.manifestUrl : manifestUrl, backend, ...stall });
  // The runtime starts while the scene loads (a consent dialog below restarts the worker anyway).
  if (remote.length === 0) void warmRuntime();
  if (remote.length > 0) {
    if (await askRemoteConsent(remote)) {
      if (remoteManifest) sceneWorker.configure({ manifestUrl, backend, ...stall });
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
