/**
 * `window.fieldlens`: a small, stable API for scripts driving the page (end-to-end tests, project
 * pages embedding the studio). It reads the drawn results; it never reaches into the worker.
 * Benchmark and test hooks are not part of it: src/devHooks/testHooks.ts adds them in dev and bench
 * builds only.
 */
import { drawBuffers } from './store/drawBuffers.ts';
import type { Bounds3 } from '../core/lift/pointCloud.ts';
import { setCropBox, setViewSettings } from './store/viewSlice.ts';
import type { CropBox, ViewSettings } from './store/viewSettings.ts';
import { runQuery, similarityRequestCount } from './store/querySlice.ts';
import { setColorMode } from './store/viewSlice.ts';
import { useFieldLens, type ColorMode } from './store/store.ts';
import { COLOR_MODES, isColorMode } from './settingGuards.ts';
import { availableColorModes } from './query/colorModes.ts';
import { applyState, stateSnapshot } from './urlState.ts';

export interface FieldLensScriptingApi {
  /** Runs a query with the panel's current settings; resolves when its result is stored. */
  query(text: string): Promise<void>;
  /** Relevancy layer `layer` of the last query, one value per point, or null. */
  relevancy(layer?: number): number[] | null;
  pointCount(): number;
  backend(): string | null;
  /** Merges view settings (colour map, point size, background, EDL, voxels …); throws on a bad value. */
  setView(settings: Partial<ViewSettings>): void;
  /** Current view settings (a copy). */
  view(): ViewSettings;
  /** Sets (metres, world frame) or clears (null) the crop box. */
  setCropBox(box: CropBox | null): void;
  /** Scene bounds (metres, world frame), or null before a scene is loaded. */
  bounds(): Bounds3 | null;
  colorMode(): ColorMode;
  setColorMode(mode: ColorMode): void;
  /** The colour modes the current results can be drawn in (all but agreement after loadSyntheticCloud). */
  renderModes(): readonly ColorMode[];
  /** The state file's content for the current view, and applying one. */
  state(): Record<string, unknown>;
  applyState(state: unknown): Promise<void>;
  /** Similarity requests sent to the worker so far, and the point the shown similarity compares with. */
  similarity(): { requests: number; seed: { index: number; position: readonly number[] } | null };
}

declare global {
  interface Window {
    fieldlens?: FieldLensScriptingApi;
  }
}

export function installScriptingApi(): FieldLensScriptingApi {
  return (window.fieldlens = {
    query: (text) => runQuery(text),
    relevancy: (layer = 0) => {
      const values = drawBuffers.layers[layer];
      return values ? Array.from(values) : null;
    },
    pointCount: () => drawBuffers.cloud?.count ?? 0,
    backend: () => useFieldLens.getState().backend,
    setView: (settings) => setViewSettings(settings),
    view: () => structuredClone(useFieldLens.getState().viewSettings),
    setCropBox: (box) => setCropBox(box),
    bounds: () => useFieldLens.getState().bounds,
    colorMode: () => useFieldLens.getState().colorMode,
    setColorMode: (mode) => {
      if (!isColorMode(mode)) throw new Error(`setColorMode: unknown mode "${String(mode)}" (expected ${COLOR_MODES.join(', ')})`);
      setColorMode(mode);
    },
    renderModes: () => availableColorModes(useFieldLens.getState()),
    state: () => stateSnapshot(),
    applyState: (state) => applyState(state),
    similarity: () => ({ requests: similarityRequestCount(), seed: useFieldLens.getState().similaritySeed }),
  });
}
