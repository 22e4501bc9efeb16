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
import { useFieldLens } from './store.ts';

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

/** Configures the worker from the page URL (?backend=wasm|webgpu, ?scene=<url>, ?models=<url>) and loads a scene. */
export async function startStudio(location: Location): Promise<void> {
  const params = new URLSearchParams(location.search);
  // ?models=<set id> picks a set of the studio's manifest; ?models=<url of a manifest.json> another manifest.
  const { manifestUrl, setId } = parseModelsParam(params.get('models'), document.baseURI);
  const backend = parseBackend(params.get('backend'));
  useFieldLens.setState({ backendPreference: backend });
  sceneWorker.configure({ manifestUrl, backend, ...parseStallParam(params.get('stall')) });
  const sceneUrl = new URL(params.get('scene') ?? 'demo/scene.json', document.baseURI).href;
  await busy('Loading scene…', async (signal) => {
    showCloud(await sceneWorker.loadSceneUrl(sceneUrl, { signal }), false, sceneNameOfUrl(sceneUrl));
  });
  await initModelSets(manifestUrl, setId, document.baseURI);
}
