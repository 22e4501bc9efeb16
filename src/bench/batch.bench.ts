/**
 * Teacher and student throughput per core on both of the CLI's runtimes, in the same run:
 * `npm run bench:batch [-- path/to/manifest.json]`.
 *
 * - onnxruntime-web WASM (one thread: Node is not cross-origin isolated), the fallback;
 * - onnxruntime-node on 1 thread and on every core this process may use (FIELDLENS_THREADS,
 *   SLURM_CPUS_PER_TASK or the affinity mask), installed on demand into .cache/native-runtime/
 *   if absent (CPU binaries only, install scripts off).
 * Teacher: `fieldlens batch teacher`'s per-item work (lift a generated 4-view 320×240 scene, crops,
 * image encoder, fusion, PLY written) with one engine per runtime, as a shard keeps it. Student: the
 * default student over 100k random points. Median of 5 after a warm-up. Per core = figure ÷ threads.
 * Under tsx, V8 tiers WASM up to TurboFan (the `fieldlens` command keeps it on Liftoff for a quick
 * exit), so the WASM figures here are its best case.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { parseModelManifest } from '../core/models/manifest.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { Student3d } from '../infer/loadedModels.ts';
import { buildDatasetScene, DEFAULT_DATASET_SIZE } from '../cli/datasetCommand.ts';
import { cliRuntime, installNativeRuntime, locateNativeRuntime, nativeThreads, setRuntimeChoice, type RuntimeChoice } from '../node/nativeRuntime.ts';
import { nodeModelSource } from '../node/modelSource.ts';
import { runTeacherCommand, teacherEngine } from '../cli/teacherCommand.ts';
import { repoRoot } from '../node/repoPaths.ts';
import { medianMs } from './timing.ts';

const manifestPath = process.argv[2] ?? join(repoRoot, 'models', 'manifest.json');
const POINTS = 100_000;
const cores = nativeThreads();
if (!locateNativeRuntime()) installNativeRuntime({ cuda: false, log: (line) => console.error(line) });

const scene = [...buildDatasetScene({ seed: 5, scenes: 1, views: 4, ...DEFAULT_DATASET_SIZE }, 0)].map(([name, bytes]) => ({ name, bytes }));
const out = join(mkdtempSync(join(tmpdir(), 'fieldlens-bench-batch-')), 'scene.ply');
const random = mulberry32(7);
const positions = Float32Array.from({ length: POINTS * 3 }, () => random() * 4 - 2);
const colors = Uint8Array.from({ length: POINTS * 3 }, () => Math.floor(random() * 256));
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath);

const configs: readonly { readonly runtime: RuntimeChoice; readonly threads: number }[] = [
  { runtime: 'wasm', threads: 1 },
  { runtime: 'native', threads: 1 },
  ...(cores > 1 ? [{ runtime: 'native' as const, threads: cores }] : []),
];

console.log(`batch throughput (${manifestPath}); ${cores} core${cores === 1 ? '' : 's'} available; median of 5`);
for (const { runtime, threads } of configs) {
  setRuntimeChoice(runtime);
  process.env.FIELDLENS_THREADS = String(threads);
  const engine = teacherEngine(manifestPath);
  let points = 0;
  const teacherMs = await medianMs(5, async () => {
    const r = await runTeacherCommand(
      { files: scene, capture: DEFAULT_CAPTURE_SETTINGS, fusion: 'pixels', k: 3, method: 'objects', manifestPath, out },
      engine,
    );
    points = r.points;
  });
  const student = await Student3d.load(nodeModelSource(manifest, pathToFileURL(manifestPath)));
  const studentMs = await medianMs(5, () => student.infer(positions, colors, POINTS));
  const perCore = (perSecond: number) => (perSecond / threads).toFixed(perSecond / threads >= 100 ? 0 : 2);
  console.log(
    `  ${cliRuntime().description.padEnd(44)} teacher ${teacherMs.toFixed(0).padStart(5)} ms/scene (${points} points) = ${perCore(3_600_000 / teacherMs)} scenes/h per core;` +
      ` student (${student.entry.id}, ${student.backend}) ${studentMs.toFixed(1).padStart(6)} ms/100k points = ${perCore((POINTS * 1000) / studentMs)} points/s per core`,
  );
}
