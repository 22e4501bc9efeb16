/**
 * Trains the windowed 3D student on teacher output and exports it.
 *
 *   npm run train:student -- --data <folder of teacher PLYs> --out models/student/<name>
 *       [--steps 400] [--window 64] [--hidden 32] [--grid 0.01] [--seed 1] [--lr 0.005]
 *       [--batch 16] [--space ID] [--default]
 *
 * Teacher PLYs (`fieldlens teacher <capture> --out scene.ply`) hold x y z, red green blue and the
 * teacher's features as extra float properties (feat_0 … feat_{D−1}). Writes <out>/student3d-<name>.onnx,
 * <out>/entry.json (the manifest entry with sha256, bytes and space; --default makes it the default
 * student) and <out>/training.json (config, data, loss curve), then rebuilds models/manifest.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseModelManifest } from '../../src/core/models/manifest.ts';
import { DEFAULT_STUDENT_CONFIG, type StudentConfig } from './architecture.ts';
import { buildWindowedStudentOnnx, studentManifestEntry } from './exportOnnx.ts';
import { readTeacherPly, STUDENT_FOLDER } from './trainedStudents.ts';
import { trainStudent } from './trainStudent.ts';

const MODELS_FOLDER = resolve(STUDENT_FOLDER, '..');

function plyFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.ply'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      steps: { type: 'string', default: '400' },
      window: { type: 'string', default: String(DEFAULT_STUDENT_CONFIG.window) },
      hidden: { type: 'string', default: String(DEFAULT_STUDENT_CONFIG.hidden) },
      grid: { type: 'string', default: String(DEFAULT_STUDENT_CONFIG.gridMetres) },
      seed: { type: 'string', default: '1' },
      lr: { type: 'string', default: '0.005' },
      batch: { type: 'string', default: '16' },
      space: { type: 'string' },
      default: { type: 'boolean', default: false },
    },
  });
  if (!values.data || !values.out) throw new Error('train:student needs --data <folder of teacher PLYs> and --out models/student/<name>');
  const out = resolve(values.out);
  const name = basename(out);
  const files = plyFiles(values.data);
  if (files.length === 0) throw new Error(`${values.data}: no .ply files`);
  const scenes = files.map(readTeacherPly);
  const dim = scenes[0]!.dim;
  const manifest = parseModelManifest(JSON.parse(readFileSync(join(MODELS_FOLDER, 'manifest.json'), 'utf8')));
  const textSpace = manifest.models.find((m) => m.id === manifest.defaults['clip-text'])!.space;
  const space = values.space ?? scenes[0]!.space ?? textSpace;
  const config: StudentConfig = {
    ...DEFAULT_STUDENT_CONFIG,
    window: Number(values.window),
    hidden: Number(values.hidden),
    gridMetres: Number(values.grid),
    embedDim: dim,
  };
  const steps = Number(values.steps);
  process.stdout.write(`training student3d-${name} on ${scenes.length} scenes (${scenes.reduce((a, s) => a + s.count, 0)} points, ${dim}-d, space ${space})\n`);
  const t0 = performance.now();
  const { weights, losses } = await trainStudent(scenes, config, {
    steps,
    seed: Number(values.seed),
    batchWindows: Number(values.batch),
    learningRate: Number(values.lr),
    onStep: (step, loss) => {
      if (step % 50 === 0 || step === steps - 1) process.stdout.write(`  step ${step}: loss ${loss.toFixed(4)}\n`);
    },
  });
  const id = `student3d-${name}`;
  const description = `Windowed 3D student trained by models/student/train.ts on ${scenes.length} teacher scenes (${steps} steps, W=${config.window}, H=${config.hidden}).`;
  const onnx = buildWindowedStudentOnnx(config, weights, description);
  mkdirSync(out, { recursive: true });
  const onnxPath = join(out, `${id}.onnx`);
  writeFileSync(onnxPath, onnx);
  const entry = studentManifestEntry({ id, file: relative(MODELS_FOLDER, onnxPath).split('\\').join('/'), bytes: onnx, config, space, description });
  writeFileSync(join(out, 'entry.json'), `${JSON.stringify({ entry, useAsDefault: values.default }, null, 2)}\n`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const summary = {
    config,
    steps,
    seed: Number(values.seed),
    data: scenes.map((s) => ({ name: s.name, points: s.count })),
    lossFirst10: mean(losses.slice(0, 10)),
    lossLast10: mean(losses.slice(-10)),
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(out, 'training.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `wrote ${onnxPath} (${onnx.length} bytes); loss ${summary.lossFirst10.toFixed(4)} → ${summary.lossLast10.toFixed(4)} in ${summary.seconds.toFixed(1)} s\n`,
  );
  // Merge the entry into models/manifest.json through the one model build.
  await import('../build/buildTinyModels.ts');
}

main().catch((error: unknown) => {
  process.stderr.write(`train:student: ${(error as Error).message}\n`);
  process.exit(1);
});
