/**
 * *Compare with…* (SparseDFF's cross-scene correspondence): opening a second scene (lifted and
 * featurised in the worker, refused unless in the shown scene's feature space), placing it, and a
 * double-click in either scene → the similarity to that point's feature in both (one shared scale)
 * and its k best matches in the other scene. Its state is the bound store's `compare` field (small values only); its points and similarity live in drawBuffers' `compareBuffers`, of which this slice is the sole writer. Features stay in the worker.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { CompareSide } from '../../../workers/scene/studioViewProtocol.ts';
import { checkFileSize } from '../../core/capture/captureFiles.ts';
import type { DroppedFile } from '../readDrop.ts';
import { progressProxy, showSimilarityValues, withModelTask } from './querySlice.ts';
import { reportError } from './jobsSlice.ts';
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import { compareBuffers, drawBuffers } from './drawBuffers.ts';
import { useFieldLens } from './store.ts';

export interface ShownMatch {
  readonly index: number;
  readonly similarity: number;
  /** Metres, in the matched scene's own world frame (as listed). */
  readonly position: readonly [number, number, number];
}

export interface ComparePanelState {
  /** The compared scene's name, or null when none is open. */
  name: string | null;
  description: string;
  pointCount: number;
  bounds: Bounds3 | null;
  featureDim: number;
  featureSpace: string;
  /** Where the second scene is drawn: beside the first (offset along x past its box) or over it with `offset`. */
  placement: 'side-by-side' | 'overlay';
  /** Offset added to the second scene's points in the overlay placement, metres. */
  overlayOffset: readonly [number, number, number];
  /** Matches listed per double-click. */
  k: number;
  loading: boolean;
  matching: boolean;
  /** Bumped when compareBuffers change (points or similarity). */
  version: number;
  /** The double-clicked point, in its own scene's frame. */
  seed: { readonly side: CompareSide; readonly index: number; readonly position: readonly [number, number, number] } | null;
  matches: readonly ShownMatch[];
  matchMs: number | null;
  /** Shared colour scale of both scenes' similarities. */
  range: { readonly min: number; readonly max: number } | null;
}

/** What closing the second scene resets; a function declaration, so that createCompareSlice can use it before this module's constants exist. */
function noCompareResult() {
  return { seed: null, matches: [], matchMs: null, range: null } as const satisfies Partial<ComparePanelState>;
}
export const NO_COMPARE_RESULT = noCompareResult();

export interface CompareSlice {
  compare: ComparePanelState;
}

export function createCompareSlice(): CompareSlice {
  return {
    compare: {
      name: null,
      description: '',
      pointCount: 0,
      bounds: null,
      featureDim: 0,
      featureSpace: '',
      placement: 'side-by-side',
      overlayOffset: [0, 0, 0.3],
      k: 5,
      loading: false,
      matching: false,
      version: 0,
      ...noCompareResult(),
    },
  };
}

const getState = () => useFieldLens.getState().compare;
function setState(patch: Partial<ComparePanelState> | ((s: ComparePanelState) => Partial<ComparePanelState>)): void {
  useFieldLens.setState((s) => ({ compare: { ...s.compare, ...(typeof patch === 'function' ? patch(s.compare) : patch) } }));
}

/** "demo" for a dropped demo folder, a single file's name, else "scene.json + 8 files". */
function nameOf(files: readonly DroppedFile[]): string {
  const first = files[0]!.path;
  if (first.includes('/')) return first.slice(0, first.indexOf('/'));
  return files.length === 1 ? first : `${first} + ${files.length - 1} files`;
}

/** Opens dropped or picked files as the second scene; on a refusal the shown scenes stay. */
export async function openCompareScene(files: readonly DroppedFile[]): Promise<void> {
  if (files.length === 0) return;
  if (!drawBuffers.cloud) return reportError(new Error('compare: load a scene first'));
  setState({ loading: true });
  try {
    for (const f of files) checkFileSize(f.path, f.file.size);
    const read = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: await f.file.arrayBuffer() })));
    const name = nameOf(files);
    await withModelTask(async (signal) => {
      const scene = await sceneWorker.call('openCompareScene', [read, useFieldLens.getState().captureSettings, name, progressProxy()], { signal });
      compareBuffers.positions = scene.positions;
      compareBuffers.colors = scene.colors;
      compareBuffers.count = scene.count;
      compareBuffers.similarity = null;
      setState((s) => ({
        name,
        description: scene.description,
        pointCount: scene.count,
        bounds: scene.bounds,
        featureDim: scene.featureDim,
        featureSpace: scene.featureSpace,
        version: s.version + 1,
        ...NO_COMPARE_RESULT,
      }));
    });
  } catch (error) {
    reportError(error);
  } finally {
    setState({ loading: false });
  }
}

/** Forgets the second scene here (the worker drops it with a new main scene, or on close). */
export function clearCompareView(): void {
  if (getState().name === null) return;
  compareBuffers.positions = null;
  compareBuffers.colors = null;
  compareBuffers.count = 0;
  compareBuffers.similarity = null;
  setState((s) => ({ name: null, description: '', pointCount: 0, bounds: null, version: s.version + 1, ...NO_COMPARE_RESULT }));
}

export async function closeCompareScene(): Promise<void> {
  clearCompareView();
  try {
    await sceneWorker.call('closeCompareScene', []);
  } catch (error) {
    reportError(error);
  }
}

export function updateCompareSettings(patch: Partial<Pick<ComparePanelState, 'placement' | 'overlayOffset' | 'k'>>): void {
  setState(patch);
}

/** How many match requests the page has sent (the scripting API reports it: one per double-click). */
let matchRequests = 0;
export const compareMatchCount = (): number => matchRequests;

/** Point `index` of scene `side` was double-clicked: similarity in both scenes and its k best matches in the other. */
export async function pickComparePoint(side: CompareSide, index: number): Promise<void> {
  if (getState().name === null) return;
  setState({ matching: true });
  try {
    await withModelTask(async (signal) => {
      matchRequests++;
      const result = await sceneWorker.call('compareMatch', [side, index, getState().k, progressProxy()], { signal });
      let min = Infinity,
        max = -Infinity;
      for (const values of [result.mainSimilarity, result.otherSimilarity])
        for (const v of values) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
      const range = { min, max };
      const positions = side === 'main' ? drawBuffers.cloud?.positions : compareBuffers.positions;
      const position = positions ? ([positions[3 * index]!, positions[3 * index + 1]!, positions[3 * index + 2]!] as const) : ([0, 0, 0] as const);
      compareBuffers.similarity = result.otherSimilarity;
      // The main scene shows its similarities in its own similarity mode (its marker only when the point is its own).
      showSimilarityValues(result.mainSimilarity, range, side === 'main' ? { index, position } : null);
      setState((s) => ({
        version: s.version + 1,
        seed: { side, index, position },
        matches: result.matches,
        matchMs: result.matchMs,
        range,
      }));
    });
  } finally {
    setState({ matching: false });
  }
}
