/**
 * The teacher as the worker runs it through SceneEngine: the tiny CLIP image model from the manifest
 * (local files, WASM), the demo scene's posed views, and the feature-set switch between the student's
 * and the teacher's features, checked against the generator's instance masks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import { nodeModelSource } from '../node/modelSource.ts';
import { repoRoot } from '../testing/realData.ts';
import { SceneEngine } from './sceneEngine.ts';
import { DEFAULT_QUERY } from './queryTypes.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';

const manifestPath = join(repoRoot, 'models/manifest.json');
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
const demoDir = join(repoRoot, 'public/demo');
const names = ['scene.json', ...[0, 1, 2, 3].flatMap((i) => [`view${i}_color.png`, `view${i}_depth.png`])];
const loaded = loadCapture(
  names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
  DEFAULT_CAPTURE_SETTINGS,
);
const masks = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
const instanceOfPoint = Uint8Array.from({ length: loaded.cloud.count }, (_, p) => masks[loaded.cloud.viewIndex[p]!]![loaded.cloud.pixelIndex[p]!]!);

function engineWith(m: ModelManifest): SceneEngine {
  const engine = new SceneEngine(() => Promise.resolve(nodeModelSource(m, pathToFileURL(manifestPath))));
  engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features, loaded.capture.views);
  return engine;
}

/** Fraction of the k hottest points (k = the object's size) that belong to the object. */
function precisionAtObject(values: Float32Array, instance: number): number {
  const k = instanceOfPoint.filter((x) => x === instance).length;
  const top = Array.from(values, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k);
  return top.filter(([, i]) => instanceOfPoint[i] === instance).length / k;
}

describe('SceneEngine teacher feature set', () => {
  it('runs the ConceptFusion-mixed teacher, selects it, and switches back to the student on request', async () => {
    const engine = engineWith(manifest);
    expect((await engine.featureSets()).map((s) => s.id)).toEqual(['student']);
    expect(() => engine.useFeatureSet('teacher')).toThrow(/run the teacher on this scene first/);
    const summary = await engine.runTeacher({ fusion: 'semantic', method: 'conceptfusion' });
    expect(summary).toMatchObject({ dim: 16, views: 4, imageModel: 'clip-image-tiny' });
    // ConceptFusion adds one global image per view to the object crops.
    expect(summary.crops).toBeGreaterThan(summary.objects + 4);
    expect((await engine.featureSets()).map((s) => [s.id, s.dim, s.space])).toEqual([
      ['student', 16, 'fieldlens-tiny-colour-16'],
      ['teacher', 16, 'fieldlens-tiny-colour-16'],
    ]);

    const teacher = await engine.query({ ...DEFAULT_QUERY, text: 'blue ball' });
    expect(teacher.featureSource).toBe('teacher');
    expect(precisionAtObject(teacher.layers[0]!.values, 3)).toBeGreaterThan(0.9);
    engine.useFeatureSet('student');
    const student = await engine.query({ ...DEFAULT_QUERY, text: 'blue ball' });
    expect(student.featureSource).toBe('student');
    expect(student.layers[0]!.values).not.toEqual(teacher.layers[0]!.values);
    expect(() => engine.useFeatureSet('file')).toThrow(/brought no per-point features/);

    // A new cloud drops the teacher's features with it.
    engine.setCloud(loaded.cloud, undefined, loaded.capture.views);
    await expect(engine.featurePly('teacher')).rejects.toThrow(/run the teacher on this scene first/);
  });

  it('refuses to compare teacher features with a text model of another space', async () => {
    const other = { ...manifest, models: manifest.models.map((m) => (m.kind === 'clip-image' ? { ...m, space: 'openai-clip-vit-b32' } : m)) };
    const engine = engineWith(other);
    await engine.runTeacher({ fusion: 'pixels' });
    await expect(engine.query({ ...DEFAULT_QUERY, text: 'mug' })).rejects.toThrow(/the teacher's features in openai-clip-vit-b32/);
  });
});
