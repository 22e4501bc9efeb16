/**
 * `window.fieldlens`: a small, stable API for scripts driving the page (end-to-end tests, project
 * pages embedding the studio). It reads the drawn results; it never reaches into the worker.
 */
import { drawBuffers } from './store/drawBuffers.ts';
import { runQuery } from './store/actions.ts';
import { useFieldLens } from './store/store.ts';
import type { Bounds3 } from '../core/lift/pointCloud.ts';
import { setCropBox, setViewSettings } from './store/viewActions.ts';
import type { CropBox, ViewSettings } from './store/viewSettings.ts';
import { displayColorRecomputes } from '../render/displayColorCache.ts';

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
  /** How many times per-point display colours have been recomputed (only when the drawn state changes). */
  colorRecomputes(): number;
}

declare global {
  interface Window {
    fieldlens?: FieldLensScriptingApi;
  }
}

export function installScriptingApi(): void {
  window.fieldlens = {
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
    colorRecomputes: () => displayColorRecomputes(),
  };
}
