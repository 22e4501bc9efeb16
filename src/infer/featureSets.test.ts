/**
 * Named feature sets and their agreement on the demo scene: the student's features compared with
 * transformed copies of themselves, so every expected cosine is known exactly.
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

const manifestPath = join(repoRoot, 'models/manifest.json');
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
const demoDir = join(repoRoot, 'public/demo');
const names = ['scene.json', ...[0, 1, 2, 3].flatMap((v) => [`view${v}_color.png`, `view${v}_depth.png`])];
// A 2 cm voxel grid keeps the cloud small; what is compared does not depend on its size.
const cloud = loadCapture(
  names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
  captureSettings({ voxelSize: 0.02 }),
).cloud;

function engine(): SceneEngine {
  const e = new SceneEngine(() => Promise.resolve(nodeModelSource(manifest, pathToFileURL(manifestPath))));
  e.setCloud(cloud);
  return e;
}

describe('feature sets and agreement', () => {
  it('agreement is 1 with a rescaled copy, −1 with a negated one, and the mean follows a half-negated copy', async () => {
    const e = engine();
    const student = await e.namedFeatureSet('student');
    const { values, dim } = student;
    e.addFeatureSet(
      'scaled',
      values.map((v) => v * 3),
      dim,
    );
    e.addFeatureSet(
      'negated',
      values.map((v) => -v),
      dim,
    );
    const n = cloud.count;
    const half = Math.floor(n / 2);
    e.addFeatureSet(
      'half',
      values.map((v, k) => (Math.floor(k / dim) < half ? -v : v)),
      dim,
    );

    const same = await e.agreement('student', 'scaled');
    expect(same.perPoint).toHaveLength(n);
    expect(same.mean).toBeCloseTo(1, 5);
    const opposite = await e.agreement('student', 'negated');
    expect(opposite.mean).toBeCloseTo(-1, 5);
    const mixed = await e.agreement('student', 'half');
    expect(mixed.perPoint[0]).toBeCloseTo(-1, 5);
    expect(mixed.perPoint[n - 1]).toBeCloseTo(1, 5);
    expect(mixed.mean).toBeCloseTo((n - 2 * half) / n, 4);
  });

  it('a query on a named set uses that set: cosine relevancy on negated features is negated', async () => {
    const e = engine();
    const { values, dim } = await e.namedFeatureSet('student');
    e.addFeatureSet(
      'negated',
      values.map((v) => -v),
      dim,
    );
    const onStudent = await e.query({ ...DEFAULT_QUERY, text: 'yellow dice', featureSet: 'student' });
    const onNegated = await e.query({ ...DEFAULT_QUERY, text: 'yellow dice', featureSet: 'negated' });
    const a = onStudent.layers[0]!.values;
    const b = onNegated.layers[0]!.values;
    let maxDiff = 0;
    a.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v + b[i]!))));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('names the known sets when asked for an unknown one, and refuses sets of the wrong size', async () => {
    const e = engine();
    await expect(e.agreement('student', 'teacher')).rejects.toThrow(/feature set "teacher" is not available.*known: student/);
    expect(() => e.addFeatureSet('short', new Float32Array(16), 16)).toThrow(/1 rows of 16/);
  });
});
