/**
 * `window.fieldlens`: a small, stable API for scripts driving the page (end-to-end tests, project
 * pages embedding the studio). It reads the drawn results; it never reaches into the worker.
 */
import { drawBuffers } from './store/drawBuffers.ts';
import { runQuery } from './store/actions.ts';
import { useFieldLens } from './store/store.ts';

export interface FieldLensScriptingApi {
  /** Runs a query with the panel's current settings; resolves when its result is stored. */
  query(text: string): Promise<void>;
  /** Relevancy layer `layer` of the last query, one value per point, or null. */
  relevancy(layer?: number): number[] | null;
  pointCount(): number;
  backend(): string | null;
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
  };
}
