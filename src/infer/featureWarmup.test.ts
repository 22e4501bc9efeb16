/**
 * Features computed ahead of the first query (featureWarmup.ts, through SceneEngine): the student
 * runs once, a query started meanwhile shares that run, a prepared query runs no student stage; a
 * model set without a student asks for the teacher when the capture has colour views, and says
 * that nothing can compute features when it has none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { nodeModelSource } from '../node/modelSource.ts';
import { repoRoot } from '../testing/realData.ts';
import { Student3d } from './loadedModels.ts';
import { SceneEngine } from './sceneEngine.ts';
import { DEFAULT_QUERY, type StageProgress } from './queryTypes.ts';

const manifestPath = join(repoRoot, 'models/manifest.json');
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
const demoDir = join(repoRoot, 'public/demo');
const names = ['scene.json', ...[0, 1, 2, 3].flatMap((i) => [`view${i}_color.png`, `view${i}_depth.png`])];
const loaded = loadCapture(
  names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
  DEFAULT_CAPTURE_SETTINGS,
);
/** The bundled manifest without any 3D student, as CLIP's model set is until one is trained. */
const noStudent: ModelManifest = {
  ...manifest,
  models: manifest.models.filter((m) => m.kind !== 'student3d'),
  defaults: { 'clip-text': manifest.defaults['clip-text'], 'clip-image': manifest.defaults['clip-image'] },
};

function engineWith(m: ModelManifest, views = loaded.capture.views): SceneEngine {
  const engine = new SceneEngine(() => Promise.resolve(nodeModelSource(m, pathToFileURL(manifestPath))));
  engine.setCloud(loaded.cloud, undefined, views);
  return engine;
}

afterEach(() => vi.restoreAllMocks());

describe('features prepared before the first query', () => {
  it('runs the student once; the first query then runs no student stage', async () => {
    const infer = vi.spyOn(Student3d.prototype, 'infer');
    const engine = engineWith(manifest);
    const warm = await engine.warmModels();
    expect(warm.backend).toBe('wasm');
    const prepared = await engine.prepareFeatures();
    expect(prepared).toMatchObject({ set: 'student' });
    const stages: StageProgress[] = [];
    const outcome = await engine.query({ ...DEFAULT_QUERY, text: 'blue ball' }, (e) => stages.push(e));
    expect(stages.map((s) => s.stage)).not.toContain('student');
    expect(outcome.timings.studentMs).toBe(0);
    expect(infer).toHaveBeenCalledTimes(1);
  });

  it('a query started while the features compute shares that run', async () => {
    const infer = vi.spyOn(Student3d.prototype, 'infer');
    const engine = engineWith(manifest);
    const [prepared, outcome] = await Promise.all([engine.prepareFeatures(), engine.query({ ...DEFAULT_QUERY, text: 'red mug' })]);
    expect(prepared.set).toBe('student');
    expect(outcome.featureSource).toBe('student');
    expect(infer).toHaveBeenCalledTimes(1);
  });

  it("stops the student's run once a drop replaced the cloud, and computes the new cloud's features", async () => {
    const engine = engineWith(manifest);
    // featureStore starts the student's run before its first await, so the drop lands during it.
    const first = engine.featureStore('student');
    const half = { ...loaded.cloud, count: loaded.cloud.count >> 1 };
    engine.setCloud(half, undefined, []);
    await expect(first).rejects.toThrow(/point cloud was replaced while its features were computed/);
    expect(await engine.prepareFeatures()).toMatchObject({ set: 'student' });
    expect((await engine.featureStore()).pointCount).toBe(half.count);
  });

  it('asks for the teacher when the model set has no student, and the teacher then answers queries', async () => {
    const engine = engineWith(noStudent);
    expect(await engine.prepareFeatures()).toEqual({ set: null, needs: 'teacher' });
    expect((await engine.featureSets()).map((s) => s.id)).toEqual([]);
    const summary = await engine.runTeacher({ fusion: 'pixels' });
    expect(summary.views).toBe(4);
    expect(await engine.prepareFeatures()).toMatchObject({ set: 'teacher' });
    expect((await engine.query({ ...DEFAULT_QUERY, text: 'blue ball' })).featureSource).toBe('teacher');
  });

  it('says nothing can compute features for a cloud without colour views and no student', async () => {
    const engine = engineWith(noStudent, []);
    expect(await engine.prepareFeatures()).toEqual({ set: null, needs: 'none' });
  });
});
