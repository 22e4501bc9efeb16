/**
 * Point pruning and refinement on the worker's session (no models: a cloud with its own 32-d features, the 'file'
 * set): the planted outliers go, the feature set keeps exactly the kept points' rows (checked
 * against the features the file brought), a second Apply re-computes from the unpruned scene, and
 * Restore brings every point and row back.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { decodeHalves, encodeHalves } from '../../src/core/features/float16.ts';
import { readFeatureRows } from '../../src/core/features/featureStores.ts';
import { encodeNpy } from '../../src/core/formats/npyEncode.ts';
import { syntheticFeatureField } from '../../src/core/synth/featureField.ts';
import { mulberry32 } from '../../src/core/synth/prng.ts';
import { SceneSession } from './session.ts';

function plantedScene() {
  const dim = 32;
  const field = syntheticFeatureField({ count: 3000, dim, seed: 7 });
  const random = mulberry32(5);
  const outlier = new Uint8Array(field.count);
  for (let i = 0; i < field.count; i++) {
    if (random() >= 0.04) continue;
    outlier[i] = 1;
    for (let d = 0; d < dim; d++) field.features[i * dim + d] = random() * 2 - 1;
  }
  const files = [
    { name: 'points.npy', bytes: encodeNpy(field.positions, [field.count, 3]) },
    { name: 'features.npy', bytes: encodeNpy(field.features, [field.count, dim]) },
  ];
  return { field, outlier, files, dim };
}

describe('point pruning in the scene session', () => {
  it('drops the planted outliers, keeps the rows of the kept points, re-computes from the unpruned scene and restores', async () => {
    const { field, outlier, files, dim } = plantedScene();
    const session = new SceneSession({ manifestUrl: 'http://localhost/models/manifest.json', backend: 'wasm' });
    const original = session.lift(files, DEFAULT_CAPTURE_SETTINGS);
    const count = original.loaded.cloud.count;
    expect(count).toBe(field.count);

    const { installed, before, after } = await session.prune(0.8);
    expect(before).toBe(count);
    expect(after).toBe(installed.loaded.cloud.count);
    const outliers = outlier.reduce((n, v) => n + v, 0);
    // Map kept points back to the originals by position (positions are unique in the synthetic field).
    const key = (p: Float32Array, i: number) => `${p[3 * i]},${p[3 * i + 1]},${p[3 * i + 2]}`;
    const originalIndex = new Map(Array.from({ length: count }, (_, i) => [key(field.positions, i), i]));
    const kept = Array.from({ length: after }, (_, j) => originalIndex.get(key(installed.loaded.cloud.positions, j))!);
    const outliersKept = kept.filter((i) => outlier[i]).length;
    expect(outliersKept).toBeLessThanOrEqual(0.1 * outliers);
    expect(after).toBeGreaterThanOrEqual(0.95 * (count - outliers));
    // The selected set's rows are the original rows of the kept points (fp16 of the file's values).
    const store = await session.engine.featureStore();
    expect(store.pointCount).toBe(after);
    const rows = readFeatureRows(store, 0, after);
    const expected = new Float32Array(after * dim);
    kept.forEach((i, j) => expected.set(decodeHalves(encodeHalves(field.features.subarray(i * dim, (i + 1) * dim))), j * dim));
    expect(rows).toEqual(expected);

    // A stricter threshold is applied to the unpruned scene, not to the pruned one.
    const stricter = await session.prune(0.99);
    expect(stricter.before).toBe(count);
    expect(stricter.after).toBeLessThan(after);
    // A looser one gives back points the stricter one had dropped.
    expect((await session.prune(-1)).after).toBe(count);

    const restored = session.restoreUnpruned();
    expect(restored).toBe(original);
    expect((await session.engine.featureStore()).pointCount).toBe(count);
    expect(() => session.restoreUnpruned()).toThrow(/not pruned/);
  });
});

describe('feature refinement in the scene session', () => {
  it('makes the refined set a feature set like the others: selected, selectable, queryable, with its agreement to the source reported', async () => {
    const { files, field } = plantedScene();
    const session = new SceneSession({ manifestUrl: 'http://localhost/models/manifest.json', backend: 'wasm' });
    session.lift(files, DEFAULT_CAPTURE_SETTINGS);
    const source = await session.engine.featureStore('file');
    const summary = await session.engine.refineFeatures({ steps: 20 });
    expect(summary.from).toBe('file');
    // A point file has one view: pairs are spatial neighbours within it.
    expect(summary.crossView).toBe(false);
    expect(summary.pairs).toBeGreaterThan(100);
    expect(summary.lastLoss).toBeLessThan(summary.firstLoss);
    const refined = await session.engine.featureStore();
    expect(refined.pointCount).toBe(field.count);
    expect(refined).not.toBe(source);
    // Agreement with the source, as reported, equals the engine's own per-point agreement of the two sets.
    expect((await session.engine.agreement('file', 'refined')).mean).toBeCloseTo(summary.agreementWithSource, 6);
    // Queryable: similarity of every point to point 5 under the refined set (1 for itself).
    const similarity = await session.engine.similarityTo(5);
    expect(similarity).toHaveLength(field.count);
    expect(similarity[5]).toBeCloseTo(1, 3);
    // Selectable like any set: back to the source and to the refined one again.
    session.engine.useFeatureSet('file');
    expect(await session.engine.featureStore()).toBe(source);
    session.engine.useFeatureSet('refined');
    expect(await session.engine.featureStore()).toBe(refined);
  });
});
