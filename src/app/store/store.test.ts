/**
 * The bound store and its slice files import each other (the slices' actions use the store; the
 * store calls the slices' creators). Whichever module of that cycle is imported first, the store
 * must come up with every slice's initial state: each slice file is imported first here, in a
 * fresh module graph, and the store's state is compared with a hand-written list of every slice's
 * fields.
 */
import { describe, expect, it, vi } from 'vitest';

const SLICE_FILES = [
  './store.ts',
  './sceneSlice.ts',
  './captureSettingsSlice.ts',
  './querySlice.ts',
  './viewSlice.ts',
  './jobsSlice.ts',
  './panelSlice.ts',
  './teacherSlice.ts',
  './segmentSlice.ts',
  './modelSetSlice.ts',
  './compareSlice.ts',
  './renderViewSlice.ts',
  './featuresSlice.ts',
  './voxelSlice.ts',
  './pruneSlice.ts',
  './actions.ts',
  './init.ts',
];

/** A field of each slice, with its initial value. */
const SAMPLE_FIELDS = {
  sceneVersion: 0,
  captureSettings: expect.objectContaining({ voxelSize: expect.any(Number) as unknown }) as unknown,
  queryText: '',
  layerInfo: [],
  colorMode: 'rgb',
  errors: [],
  history: [],
  teacher: expect.objectContaining({ fusion: 'pixels', featureSets: [], refinement: null }) as unknown,
  segments: expect.objectContaining({ source: 'objects', shown: null }) as unknown,
  modelSets: expect.objectContaining({ sets: [], active: null }) as unknown,
  compare: expect.objectContaining({ name: null, placement: 'side-by-side', matches: [] }) as unknown,
  renderView: expect.objectContaining({ camera: 'view', shown: null, last: null }) as unknown,
  features: expect.objectContaining({ phase: 'idle', runtimeReady: false, readyAtMs: null }) as unknown,
  voxels: null,
  prune: expect.objectContaining({ minCosine: 0.8, before: null, after: null }) as unknown,
};

describe('the bound store', () => {
  for (const first of SLICE_FILES) {
    it(`comes up with every slice when ${first} is imported first`, async () => {
      vi.resetModules();
      await import(first);
      const { useFieldLens } = await import('./store.ts');
      expect(useFieldLens.getState()).toMatchObject(SAMPLE_FIELDS);
    });
  }

  it('subscribes to nothing on import: init.ts starts the subscriptions and stops them again', async () => {
    vi.resetModules();
    for (const file of SLICE_FILES) await import(file);
    const { useFieldLens } = await import('./store.ts');
    const { initStore } = await import('./init.ts');
    const { segmentBuffers } = await import('./drawBuffers.ts');
    const newScene = () => useFieldLens.setState((s) => ({ sceneVersion: s.sceneVersion + 1 }));
    const markSegments = () => {
      segmentBuffers.segmentOfPoint = new Int32Array(3);
      useFieldLens.setState((s) => ({ segments: { ...s.segments, shown: 'mask' } }));
    };
    markSegments();
    newScene();
    // Nothing listened: the segments of the old scene are still there.
    expect(segmentBuffers.segmentOfPoint).not.toBeNull();
    expect(useFieldLens.getState().segments.shown).toBe('mask');
    const stop = initStore();
    newScene();
    expect(segmentBuffers.segmentOfPoint).toBeNull();
    expect(useFieldLens.getState().segments.shown).toBeNull();
    stop();
    markSegments();
    newScene();
    expect(useFieldLens.getState().segments.shown).toBe('mask');
  });
});
