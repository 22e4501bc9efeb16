/**
 * How well a student finds the demo's objects, and how closely it matches the teacher there.
 *
 *   npx tsx models/student/evaluateDemo.ts [student ids…]     (default: every student3d in the manifest)
 *
 * For each object of public/demo, the query is its name ("yellow dice"); precision@K = the share
 * of the K most relevant points that belong to the object (K = its point count, from the
 * generator's instance masks). With --teacher, the teacher runs once and the mean per-point cosine
 * between teacher and each student is printed too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode } from 'fast-png';
import { loadCapture } from '../../src/core/capture/loadCapture.ts';
import { parseSceneDescription } from '../../src/core/formats/sceneDescription.ts';
import { nodeModelSource, readModelManifest } from '../../src/node/modelSource.ts';
import { defaultManifestFile, repoRoot } from '../../src/node/repoPaths.ts';
import { exitAfterWasm } from '../../src/node/wasmExit.ts';
import { DEFAULT_QUERY } from '../../src/infer/queryTypes.ts';
import { SceneEngine } from '../../src/infer/sceneEngine.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';

const demoDir = join(repoRoot, 'public/demo');
const manifestPath = defaultManifestFile;

/** Share of the K highest-relevancy points that carry instance `id` (K = that instance's size). */
export function precisionAtK(relevancy: Float32Array, instanceOfPoint: Uint8Array, id: number): number {
  const k = instanceOfPoint.filter((x) => x === id).length;
  const order = Array.from(relevancy.keys()).sort((a, b) => relevancy[b]! - relevancy[a]!);
  return order.slice(0, k).filter((p) => instanceOfPoint[p] === id).length / k;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const withTeacher = args.includes('--teacher');
  const manifest = readModelManifest(manifestPath);
  const ids = args.filter((a) => !a.startsWith('--'));
  const students = ids.length > 0 ? ids : manifest.models.filter((m) => m.kind === 'student3d').map((m) => m.id);
  const sceneText = readFileSync(join(demoDir, 'scene.json'), 'utf8');
  const scene = parseSceneDescription(sceneText, 'scene.json');
  const files = ['scene.json', ...scene.views.flatMap((v) => [v.color, v.depth])].map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(demoDir, name))),
  }));
  const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
  const { cloud } = loaded;
  const masks = scene.views.map((_, i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
  const instanceOfPoint = Uint8Array.from({ length: cloud.count }, (_, p) => masks[cloud.viewIndex[p]!]![cloud.pixelIndex[p]!]!);
  const objects = (JSON.parse(sceneText) as { objects: { id: number; name: string }[] }).objects;
  for (const id of students) {
    const engine = new SceneEngine(() => Promise.resolve(nodeModelSource(manifest, pathToFileURL(manifestPath), { student: id })));
    engine.setCloud(cloud, undefined, loaded.capture.views ?? []);
    const scores: string[] = [];
    for (const object of objects) {
      const outcome = await engine.query({ ...DEFAULT_QUERY, text: object.name, featureSet: 'student' });
      scores.push(`${object.name} ${precisionAtK(outcome.layers[0]!.values, instanceOfPoint, object.id).toFixed(3)}`);
    }
    let agreement = '';
    if (withTeacher) {
      await engine.runTeacher({ fusion: 'pixels' });
      agreement = `; mean cosine to the teacher ${(await engine.agreement('teacher', 'student')).mean.toFixed(3)}`;
    }
    process.stdout.write(`${id}: precision@K ${scores.join(', ')}${agreement}\n`);
  }
}

await main();
exitAfterWasm(0);
