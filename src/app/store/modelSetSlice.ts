/**
 * The model-set slice: the manifest's sets, the one in use, a pending consent question and the
 * running (or failed) download with its per-file progress, under one `modelSets` field; and the
 * choice of a set (the picker beside the query box, `?models=<set id | manifest URL>`). A set whose
 * files are neither bundled nor cached shows its download size and asks once (the yes is remembered
 * per manifest and set); the download asks the browser to keep the site's storage
 * (navigator.storage.persist), checks the free quota first, streams every file with progress into
 * Cache Storage (cancellable, a failure offers a retry), and only then is the set used. The loaded
 * scene is never touched; the worker bridge replays the set in use into a restarted worker.
 */
import { proxy, sceneWorker } from '../../../workers/scene/client.ts';
import type { ModelSetInfo } from '../../../workers/scene/protocol.ts';
import type { LoadProgress } from '../../infer/modelLoader.ts';
import { formatDownloadSize as mb } from '../../core/models/modelSetScope.ts';
import { reportError } from './jobsSlice.ts';
import { applyTaskProgress, type ModelDownload } from './taskProgress.ts';
import { useFieldLens } from './store.ts';

export type ModelSetDownloadState =
  | { readonly phase: 'running'; readonly id: string; readonly files: readonly ModelDownload[] }
  | { readonly phase: 'failed'; readonly id: string; readonly files: readonly ModelDownload[]; readonly message: string }
  | { readonly phase: 'cancelled'; readonly id: string; readonly files: readonly ModelDownload[] };

export interface ModelSetState {
  /** Absolute URL of the manifest the sets come from. */
  manifestUrl: string | null;
  /** Whether the manifest is the studio's own (then `?models=<set id>`), else `?models=<manifest URL>`. */
  bundledManifest: boolean;
  sets: readonly ModelSetInfo[];
  /** The set the worker uses; null until the manifest has been read. */
  active: string | null;
  /** The manifest's default set (left out of the URL). */
  defaultSet: string | null;
  /** A set that downloads, waiting for the user's yes (once per manifest and set, remembered). */
  consent: ModelSetInfo | null;
  download: ModelSetDownloadState | null;
  /** A non-error note about the last download (e.g. a corrupt cached copy was replaced). */
  notice: string | null;
}

export interface ModelSetSlice {
  modelSets: ModelSetState;
}

export function createModelSetSlice(): ModelSetSlice {
  return { modelSets: { manifestUrl: null, bundledManifest: true, sets: [], active: null, defaultSet: null, consent: null, download: null, notice: null } };
}

const getState = () => useFieldLens.getState().modelSets;
function setState(patch: Partial<ModelSetState> | ((s: ModelSetState) => Partial<ModelSetState>)): void {
  useFieldLens.setState((s) => ({ modelSets: { ...s.modelSets, ...(typeof patch === 'function' ? patch(s.modelSets) : patch) } }));
}

/** localStorage key of the remembered consents: a JSON array of "<manifest URL>#<set id>". */
export const MODEL_CONSENT_KEY = 'fieldlens.modelSetConsent';
const DEFAULT_MANIFEST = 'models/manifest.json';

/** A set id (letters, digits, . _ -, not a .json file name) rather than a manifest URL. */
const looksLikeSetId = (value: string) => /^[A-Za-z0-9][\w.-]*$/.test(value) && !/\.json$/i.test(value);

/** `?models=`: a set of the studio's manifest, or another manifest's URL (relative to the page). */
export function parseModelsParam(value: string | null, baseUri: string): { manifestUrl: string; setId: string | null } {
  if (value !== null && looksLikeSetId(value)) return { manifestUrl: new URL(DEFAULT_MANIFEST, baseUri).href, setId: value };
  return { manifestUrl: new URL(value ?? DEFAULT_MANIFEST, baseUri).href, setId: null };
}

/**
 * `?stall=<seconds>`: how long a model download may go without a byte before it ends as stalled
 * (longer for a slow link; tests shorten it). Absent: the loader's default. A value that is not a
 * positive number is reported and the default kept.
 */
export function parseStallParam(value: string | null): { stallTimeoutMs?: number } {
  if (value === null) return {};
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds > 0) return { stallTimeoutMs: seconds * 1000 };
  reportError(new Error(`FieldLens link: ?stall= must be a positive number of seconds, found "${value}"; using the default`));
  return {};
}

function readConsents(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(MODEL_CONSENT_KEY) ?? '[]');
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  } catch {
    // fall through: a corrupt value is reset below
  }
  try {
    localStorage.removeItem(MODEL_CONSENT_KEY);
  } catch {
    // storage blocked: consent lives for this visit only
  }
  return [];
}

const consentKey = (id: string) => `${getState().manifestUrl}#${id}`;

function rememberConsent(id: string): void {
  const next = [...new Set([...readConsents(), consentKey(id)])];
  try {
    localStorage.setItem(MODEL_CONSENT_KEY, JSON.stringify(next));
  } catch {
    // not persisted: asked again next visit
  }
}

/** Reads the manifest's sets (after configure) and applies `?models=<set id>`. */
export async function initModelSets(manifestUrl: string, setId: string | null, baseUri: string): Promise<void> {
  setState({ manifestUrl, bundledManifest: manifestUrl === new URL(DEFAULT_MANIFEST, baseUri).href });
  try {
    const sets = await sceneWorker.call('modelSets', []);
    const defaultSet = sets.find((s) => s.isDefault)?.id ?? sets[0]?.id ?? null;
    setState({ sets, defaultSet, active: defaultSet });
    // The default set of another manifest downloads too: it is asked for like any other.
    const wanted = setId ?? defaultSet;
    if (wanted !== null && (wanted !== defaultSet || !sets.find((s) => s.id === wanted)?.bundled)) await chooseModelSet(wanted);
  } catch (error) {
    reportError(error);
  }
}

async function refreshSets(): Promise<void> {
  setState({ sets: await sceneWorker.call('modelSets', []) });
}

/** The picker's choice: used at once when nothing downloads, else after the user's yes (asked once). */
export async function chooseModelSet(id: string): Promise<void> {
  const set = getState().sets.find((s) => s.id === id);
  if (!set) {
    const known = getState()
      .sets.map((s) => s.id)
      .join(', ');
    reportError(new Error(`model set "${id}" is not in ${getState().manifestUrl} (known: ${known})`));
    return;
  }
  setState({ consent: null, notice: null });
  if (set.bundled) return activate(id);
  // A cached set is re-verified (a corrupt entry is evicted and fetched again) before it is used.
  if (set.downloadBytes === 0 || readConsents().includes(consentKey(id))) return downloadAndUse(set);
  setState({ consent: set });
}

/** The consent question's answer. */
export async function answerConsent(yes: boolean): Promise<void> {
  const set = getState().consent;
  setState({ consent: null });
  if (!set || !yes) return;
  rememberConsent(set.id);
  await downloadAndUse(set);
}

export function cancelModelDownload(): void {
  void sceneWorker.call('cancelModelDownload', []);
}

export async function retryModelDownload(): Promise<void> {
  const download = getState().download;
  const set = download && getState().sets.find((s) => s.id === download.id);
  if (set) await downloadAndUse(set);
}

/** Asks the browser to keep the site's storage, and refuses a download that cannot fit. */
async function prepareStorage(set: ModelSetInfo): Promise<void> {
  const storage = navigator.storage as StorageManager | undefined;
  await storage?.persist?.().catch(() => false);
  const estimate = await storage?.estimate?.().catch(() => null);
  if (estimate?.quota === undefined) return;
  const available = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  if (available < set.downloadBytes) {
    throw new Error(
      `model set "${set.label}": not enough browser storage — ${mb(set.downloadBytes)} needed, ${mb(available)} available; free some space (or allow this site more) and retry`,
    );
  }
}

async function downloadAndUse(set: ModelSetInfo): Promise<void> {
  const files = () => getState().download?.files ?? [];
  setState({ download: { phase: 'running', id: set.id, files: [] }, notice: null });
  const onProgress = proxy((event: LoadProgress) => {
    const next = applyTaskProgress({ modelDownloads: files(), stageProgress: [] }, event).modelDownloads;
    setState((s) => (s.download?.phase === 'running' ? { download: { ...s.download, files: next } } : {}));
  });
  try {
    await prepareStorage(set);
    const report = await sceneWorker.call('downloadModelSet', [set.id, onProgress]);
    if (report.evicted.length > 0)
      setState({ notice: `${report.evicted.length} cached model file(s) failed their hash check; they were removed and downloaded again` });
    setState({ download: null });
    await refreshSets();
    await activate(set.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cancelled = /download cancelled/.test(message);
    setState({ download: cancelled ? { phase: 'cancelled', id: set.id, files: files() } : { phase: 'failed', id: set.id, files: files(), message } });
    if (!cancelled) reportError(error);
    await refreshSets().catch(() => undefined);
  }
}

/** Uses set `id` from the next query on; the badge clears until a model has run with it. */
async function activate(id: string): Promise<void> {
  try {
    await sceneWorker.call('useModelSet', [id]);
    setState({ active: id });
    useFieldLens.setState({ backend: null, precision: null });
    writeModelsParam();
  } catch (error) {
    reportError(error);
  }
}

/** `?models=`: the set id (left out for the default set) or, for another manifest, its URL. */
function writeModelsParam(): void {
  const { active, defaultSet, bundledManifest, manifestUrl } = getState();
  const url = new URL(window.location.href);
  if (!bundledManifest && manifestUrl) url.searchParams.set('models', manifestUrl);
  else if (active && active !== defaultSet) url.searchParams.set('models', active);
  else url.searchParams.delete('models');
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url.href);
}
