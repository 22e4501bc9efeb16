/**
 * The view in the page URL and in state files.
 *
 * `?scene=<url>&q=<text>&mode=<colour mode>&formula=<kind>&template=<set>&threshold=<0–1>&layer=<i>`
 * reproduces a view: the scene loads (startStudio), then the query runs (its text in the query
 * box), the threshold and active layer are set and the colour mode is applied. `?backend=` picks
 * where the models run (auto / webgpu / wasm; the status bar's picker writes it). The page keeps
 * the URL in sync (history.replaceState, no reload), so the address bar is always a link to what
 * is shown. `?embed=1` hides the panels for an iframe on a project page.
 *
 * A state file (`fieldlens-state@1` JSON, from the export panel) restores the same things when
 * dropped on the page or passed to `window.fieldlens.applyState`.
 */
import type { DroppedFile } from './readDrop.ts';
import { DEFAULT_FORMULA, RELEVANCY_KINDS } from '../core/query/formulaTable.ts';
import { COLOR_MODE_TABLE, COLOR_MODES, DEFAULT_COLOR_MODE, colorModeFromUrlName, colorModeShowing, type ColorMode } from './query/colorModes.ts';
import { isRelevancyKind, isTemplateSet } from './settingGuards.ts';
import { loadFiles } from './store/sceneSlice.ts';
import { reportError } from './store/jobsSlice.ts';
import { requestCamera, setColorMode } from './store/viewSlice.ts';
import { createQuerySlice, runQuery, selectLayer, showPca, updateQuerySettings } from './store/querySlice.ts';
import { useFieldLens, type FieldLensState } from './store/store.ts';
import { setUpFromUrl } from './store/upMemory.ts';
import { isUpAxis, UP_AXES } from '../core/views/framing.ts';
import type { Vec3 } from '../core/views/cameraMath.ts';

// Read through functions, not destructured at import: this module sits in the store's import cycle
// (a slice reaches it through exportFiles.ts), so useFieldLens may not exist yet while it loads.
const getState = () => useFieldLens.getState();
const setState = (patch: Partial<FieldLensState> | ((s: FieldLensState) => Partial<FieldLensState>)): void => useFieldLens.setState(patch);
const subscribe: typeof useFieldLens.subscribe = (...args) => useFieldLens.subscribe(...args);

/** What a view is made of, as URL parameters and state files hold it. */
export interface ViewRequest {
  readonly q?: string | undefined;
  readonly mode?: ColorMode | undefined;
  readonly formula?: string | undefined;
  readonly template?: string | undefined;
  readonly negatives?: string | undefined;
  readonly threshold?: number | undefined;
  readonly activeLayer?: number | undefined;
}

export function isEmbedded(location: Location = window.location): boolean {
  return new URLSearchParams(location.search).get('embed') === '1';
}

/** `?embed=1`: panels hidden (the embed overlay shows instead). */
export function applyEmbedMode(location: Location): void {
  if (isEmbedded(location)) setState({ panelsVisible: false });
}

/** Runs the query and applies the colour mode a request names; unknown values are reported, not guessed. */
export async function applyViewRequest(view: ViewRequest): Promise<void> {
  const problems: string[] = [];
  if (view.formula !== undefined) {
    if (isRelevancyKind(view.formula)) updateQuerySettings({ formula: view.formula });
    else problems.push(`formula "${view.formula}" (expected ${RELEVANCY_KINDS.join(', ')})`);
  }
  if (view.template !== undefined) {
    if (isTemplateSet(view.template)) updateQuerySettings({ template: view.template });
    else problems.push(`template "${view.template}" (expected single, semantic-abstraction or clip-ensemble)`);
  }
  if (view.negatives !== undefined) updateQuerySettings({ negativesText: view.negatives });
  if (view.threshold !== undefined && view.threshold > 0 && view.threshold < 1) updateQuerySettings({ threshold: view.threshold });
  if (problems.length > 0) throw new Error(`FieldLens link: unknown ${problems.join('; ')}`);
  const mode = view.mode;
  if (view.q) {
    updateQuerySettings({ queryMode: COLOR_MODE_TABLE[mode ?? DEFAULT_COLOR_MODE].linkQuery });
    await runQuery(view.q);
  }
  // The layer's instances are re-made at the restored threshold (selectLayer re-clusters).
  if (view.activeLayer !== undefined && view.activeLayer > 0 && view.activeLayer < getState().layerInfo.length) await selectLayer(view.activeLayer);
  const fromLink = mode ? COLOR_MODE_TABLE[mode].fromLink : 'not-reproducible';
  if (fromLink === 'compute-pca') await showPca();
  else if (mode && fromLink === 'select' && mode !== getState().colorMode) setColorMode(mode);
}

/** Reads q / mode / formula / template from the page URL and applies them to the loaded scene. */
export async function applyUrlState(location: Location): Promise<void> {
  const params = new URLSearchParams(location.search);
  const modeName = params.get('mode');
  const mode = colorModeFromUrlName(modeName);
  if (modeName !== null && mode === null)
    throw new Error(`FieldLens link: unknown mode "${modeName}" (expected ${COLOR_MODES.map((m) => COLOR_MODE_TABLE[m].urlName).join(', ')})`);
  await applyViewRequest({
    q: params.get('q') ?? undefined,
    mode: mode ?? undefined,
    formula: params.get('formula') ?? undefined,
    template: params.get('template') ?? undefined,
    ...readResultViewParams(params),
  });
}

/** `?threshold=` (0–1, exclusive) and `?layer=` (index of a positive), as a link carries them. */
function readResultViewParams(params: URLSearchParams): Pick<ViewRequest, 'threshold' | 'activeLayer'> {
  const problems: string[] = [];
  const number = (name: string, valid: (v: number) => boolean, expected: string): number | undefined => {
    const text = params.get(name);
    if (text === null) return undefined;
    const value = Number(text);
    if (text.trim() !== '' && valid(value)) return value;
    problems.push(`${name} "${text}" (expected ${expected})`);
    return undefined;
  };
  const threshold = number('threshold', (v) => v > 0 && v < 1, 'a number between 0 and 1');
  const activeLayer = number('layer', (v) => Number.isInteger(v) && v >= 0, 'a layer index: 0, 1, …');
  if (problems.length > 0) throw new Error(`FieldLens link: unknown ${problems.join('; ')}`);
  return { threshold, activeLayer };
}

/** Writes the backend choice, threshold and active layer of `s` into `url` (defaults are left out). */
function writeResultViewParams(url: URL, s: FieldLensState): void {
  const set = (name: string, value: string | null) => (value === null ? url.searchParams.delete(name) : url.searchParams.set(name, value));
  const relevancy = s.resultQuery?.mode === 'relevancy';
  set('backend', s.backendPreference === 'auto' ? null : s.backendPreference);
  // Three decimals: the slider's step is 0.01, and a link stays short.
  set('threshold', relevancy && s.threshold !== defaultThreshold() ? String(Math.round(s.threshold * 1000) / 1000) : null);
  set('layer', relevancy && s.activeLayer > 0 ? String(s.activeLayer) : null);
}

/** The store's initial threshold: a link that leaves it out means this one. */
const defaultThreshold = (): number => createQuerySlice().threshold;

/** The page URL for the current view: other parameters (scene, backend, models, embed) are kept. */
export function urlForState(href: string): string {
  const s = getState();
  const url = new URL(href);
  const set = (name: string, value: string | null) => (value === null ? url.searchParams.delete(name) : url.searchParams.set(name, value));
  const r = s.resultQuery;
  set('q', r?.text ?? null);
  set('mode', s.colorMode === DEFAULT_COLOR_MODE ? null : COLOR_MODE_TABLE[s.colorMode].urlName);
  set('formula', r && r.formula !== DEFAULT_FORMULA ? r.formula : null);
  set('template', r && r.template !== 'single' ? r.template : null);
  setViewpointParams(url);
  writeResultViewParams(url, s);
  return url.href;
}

/** `up` (when not auto) and `cam` (when the camera was moved from the framed start view; metres to 0.1 mm), in `url`. */
function setViewpointParams(url: URL): void {
  const { upChoice, cameraPose } = getState();
  if (upChoice === 'auto') url.searchParams.delete('up');
  else url.searchParams.set('up', upChoice);
  if (!cameraPose) url.searchParams.delete('cam');
  // 0.1 mm: a reopened link draws the same picture (at mm rounding, dense clouds seen from close by
  // shift a few per cent of their pixels across sub-pixel edges).
  else url.searchParams.set('cam', [...cameraPose.position, ...cameraPose.target].map((v) => String(Math.round(v * 1e4) / 1e4)).join(','));
}

/** `?up=` for the first scene; call before the scene loads. `+z` arrives as " z" (a plus is a space in a query). */
export function applyUpFromUrl(location: Location): void {
  const value = new URLSearchParams(location.search).get('up')?.trim().replace(/^\+/, '');
  if (value === undefined || value === '') return;
  if (isUpAxis(value)) setUpFromUrl(value);
  else reportError(new Error(`FieldLens link: unknown up "${value}" (expected ${UP_AXES.join(', ')})`));
}

/** `?cam=px,py,pz,tx,ty,tz`: moves the camera there once the scene is in. */
export function applyCameraFromUrl(location: Location): void {
  const value = new URLSearchParams(location.search).get('cam');
  if (value === null) return;
  const numbers = value.split(',').map(Number);
  if (numbers.length !== 6 || !numbers.every(Number.isFinite) || numbers.slice(0, 3).every((v, i) => v === numbers[i + 3])) {
    reportError(new Error(`FieldLens link: cam must be six numbers px,py,pz,tx,ty,tz (metres) with the eye away from the target, found "${value}"`));
    return;
  }
  requestCamera({ kind: 'pose', position: numbers.slice(0, 3) as Vec3, target: numbers.slice(3) as Vec3 });
}

/** Keeps `up` and `cam` of the address bar equal to the view (replaceState, like syncUrlWithState). */
export function syncViewpointUrl(): () => void {
  return subscribe((s, prev) => {
    if (s.upChoice === prev.upChoice && s.cameraPose === prev.cameraPose) return;
    const url = new URL(window.location.href);
    setViewpointParams(url);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url.href);
  });
}

/** Keeps the address bar equal to urlForState (replaceState: no history entries, no reload). */
export function syncUrlWithState(): () => void {
  const update = () => {
    const next = urlForState(window.location.href);
    if (next !== window.location.href) window.history.replaceState(window.history.state, '', next);
  };
  update();
  return subscribe((s, prev) => {
    if (s.resultQuery !== prev.resultQuery || s.colorMode !== prev.colorMode || resultViewChanged(s, prev)) update();
  });
}

function resultViewChanged(s: FieldLensState, prev: FieldLensState): boolean {
  return s.threshold !== prev.threshold || s.activeLayer !== prev.activeLayer || s.backendPreference !== prev.backendPreference;
}

export const STATE_FORMAT = 'fieldlens-state@1';

/** The current query and view as a state file. */
export function stateSnapshot(): Record<string, unknown> {
  const s = getState();
  return {
    format: STATE_FORMAT,
    scene: s.sceneName,
    url: urlForState(window.location.href),
    query: s.resultQuery,
    view: {
      colorMode: COLOR_MODE_TABLE[s.colorMode].urlName,
      activeLayer: s.activeLayer,
      threshold: s.threshold,
      showCameras: s.showCameras,
      panelsVisible: s.panelsVisible,
    },
  };
}

/** Applies a state file's query and view to the loaded scene. */
export async function applyState(value: unknown): Promise<void> {
  const state = value as { format?: unknown; query?: Record<string, unknown> | null; view?: Record<string, unknown> } | null;
  if (!state || state.format !== STATE_FORMAT) throw new Error(`not a FieldLens state file (expected "format": "${STATE_FORMAT}")`);
  const q = state.query ?? null;
  const view = state.view ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const mode = colorModeFromUrlName(view.colorMode) ?? undefined;
  await applyViewRequest({
    q: str(q?.text),
    mode: mode ?? (q?.mode === 'labels' ? colorModeShowing(q.mode) : undefined),
    formula: str(q?.formula),
    template: str(q?.template),
    negatives: str(q?.negatives),
    threshold: num(view.threshold) ?? num(q?.threshold),
    activeLayer: num(view.activeLayer),
  });
}

/** Drops: a single state file is applied to the loaded scene; anything else is a capture. */
export async function loadFilesOrState(files: readonly DroppedFile[]): Promise<void> {
  const only = files.length === 1 ? files[0]! : null;
  if (only && /\.json$/i.test(only.path) && only.file.size < 1_000_000) {
    const text = await only.file.text();
    if (text.includes(STATE_FORMAT)) {
      await applyState(JSON.parse(text));
      return;
    }
  }
  await loadFiles(files);
}
