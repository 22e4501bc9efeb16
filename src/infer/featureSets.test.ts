/**
 * Feature sets and their agreement on the demo scene: the student's features (read back from the
 * engine's own feature PLY export) compared with transformed copies of themselves brought as the
 * cloud's own features, so every expected cosine is known exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { parseModelManifest } from '../core/models/manifest.ts';
import { repoRoot } from '../testing/realData.ts';
import { nodeModelSource } from '../node/modelSource.ts';
import { DEFAULT_QUERY } from './queryTypes.ts';
import { SceneEngine } from './sceneEngine.ts';
import { captureSettings } from '../core/capture/captureSettings.ts';
import { parsePly } from '../core/formats/ply.ts';

const manifestPath = join(repoRoot, 'models/manifest.json');
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
const demoDir = join(repoRoot, 'public/demo');
const names = ['scene.json', ...[0, 1, 2, 3].flatMap((v) => [`view${v}_color.png`, `view${v}_depth.png`])];
// A 2 cm voxel grid keeps the cloud small; what is compared does not depend on its size.
const cloud = loadCapture(
  names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
  captureSettings({ voxelSize: 0.02 }),
).cloud;

/** An engine on the demo cloud; `own` become the cloud's own ('file') features. */
function engine(own?: Float32Array, dim = 16): SceneEngine {
  const e = new SceneEngine(() => Promise.resolve(nodeModelSource(manifest, pathToFileURL(manifestPath))));
  e.setCloud(cloud, own ? { dim, values: own, names: [] } : undefined);
  return e;
}

/** The student's per-point features as the feature PLY export writes them (the stored fp16 values). */
async function studentFeatures(): Promise<{ values: Float32Array; dim: number }> {
  const ply = parsePly(new Uint8Array(await (await engine().exportFeaturePly()).arrayBuffer()), 'student.ply');
  return { values: ply.features!.values, dim: ply.features!.dim };
}

describe('feature sets and agreement', () => {
  it('agreement is 1 with a rescaled copy, −1 with a negated one, and the mean follows a half-negated copy', async () => {
    const { values, dim } = await studentFeatures();
    const n = cloud.count;
    const half = Math.floor(n / 2);

    const same = await engine(values.map((v) => v * 3)).agreement('student', 'file');
    expect(same.perPoint).toHaveLength(n);
    expect(same.mean).toBeCloseTo(1, 5);
    const opposite = await engine(values.map((v) => -v)).agreement('student', 'file');
    expect(opposite.mean).toBeCloseTo(-1, 5);
    const mixed = await engine(values.map((v, k) => (Math.floor(k / dim) < half ? -v : v))).agreement('student', 'file');
    expect(mixed.perPoint[0]).toBeCloseTo(-1, 5);
    expect(mixed.perPoint[n - 1]).toBeCloseTo(1, 5);
    expect(mixed.mean).toBeCloseTo((n - 2 * half) / n, 4);
  });

  it('a query on a named set uses that set: cosine relevancy on negated features is negated', async () => {
    const { values } = await studentFeatures();
    const e = engine(values.map((v) => -v));
    const onStudent = await e.query({ ...DEFAULT_QUERY, text: 'yellow dice', featureSet: 'student' });
    const onNegated = await e.query({ ...DEFAULT_QUERY, text: 'yellow dice', featureSet: 'file' });
    const a = onStudent.layers[0]!.values;
    const b = onNegated.layers[0]!.values;
    let maxDiff = 0;
    a.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v + b[i]!))));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('names the known sets when asked for an unknown one, and refuses sets of the wrong size', async () => {
    const e = engine();
    await expect(e.agreement('student', 'teacher')).rejects.toThrow(/feature set "teacher" is not available.*known: student/);
    expect(() => e.setCloud(cloud, { dim: 16, values: new Float32Array(16), names: [] })).toThrow(/1 rows of 16/);
  });
});
