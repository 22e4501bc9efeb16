/**
 * Worker-equivalent memory of the feature forms: `npm run bench:memory`.
 *
 * The scene worker keeps the dropped files, the loaded capture (views and cloud) and the engine
 * with its feature sets; this runs the same objects in Node and measures the JS heap plus
 * ArrayBuffers (process.memoryUsage, after a full GC) above the process's own baseline, for the
 * 4-frame Redwood capture (≈ 1.07 M points; from ../shared/data or $FIELDLENS_REAL_DATA, skipped
 * with the reason when absent):
 *
 *   (a) the capture with no features;
 *   (b) + the teacher's 512-d features in segment form: the real teacher pipeline (segmentation,
 *       depth-tested masks, crops, fusion) through SceneEngine.runTeacher, with the 512-d CLIP
 *       stand-in's manifest entry but a synthetic image encoder (a deterministic 512-d vector per
 *       crop): running even a 2-layer stand-in on WASM would leave ONNX Runtime's WebAssembly
 *       memory (which never shrinks) in the figure;
 *   (c) + 512-d per-point features in fp16 (synthetic halves, stored as the student's or a file's
 *       are), after a similarity and a PCA over them.
 *
 * Goals (issue 18): (b) ≤ 1.3 × (a); (c) ≤ 1.2 KiB per point in all. Peers: the float32 per-point
 * field each would otherwise need.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ensureStandins } from '../../models/build/standins.ts';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { nodeModelSourceAt } from '../node/modelSource.ts';
import { readBytes, realDataRoot } from '../testing/realData.ts';
import type { OrtSession } from '../infer/ortRuntime.ts';
import { SceneEngine } from '../infer/sceneEngine.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** JS heap + ArrayBuffers after a full collection. */
function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const root = realDataRoot();
const dir = root && join(root, 'rgbd/redwood-tum-nyu-sun');
if (!root || !dir || !readdirSync(join(root, 'rgbd')).includes('redwood-tum-nyu-sun')) {
  console.log(
    'memory bench skipped: the Redwood capture was not found (expected ../shared/data/rgbd/redwood-tum-nyu-sun beside the repo, or FIELDLENS_REAL_DATA)',
  );
  process.exit(0);
}

const { manifestPath } = ensureStandins({ layers: 2, fp16: true });
/** A stand-in image session that answers every crop with a deterministic 512-d vector (seeded by its pixels). */
const syntheticImageSession = (): Promise<OrtSession> =>
  Promise.resolve({
    backend: 'wasm',
    inputNames: ['pixel_values'],
    outputNames: ['image_embeds'],
    run(feeds) {
      const pixels = feeds.pixel_values!;
      const [batch] = pixels.dims as [number];
      const per = pixels.data.length / batch;
      const data = new Float32Array(batch * 512);
      for (let b = 0; b < batch; b++) {
        let state = 0x9e3779b9;
        for (let k = 0; k < per; k += 997) state = Math.imul(state ^ Math.round(Number(pixels.data[b * per + k]) * 1000), 2654435761) >>> 0 || 1;
        for (let d = 0; d < 512; d++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          data[b * 512 + d] = (state >>> 0) / 2 ** 31 - 1;
        }
      }
      return Promise.resolve({ image_embeds: { data, dims: [batch, 512] } });
    },
    release: () => Promise.resolve(),
  });

const base = used();
const files: CaptureFile[] = [
  ...['color', 'depth'].flatMap((s) => readdirSync(join(dir, s)).map((name) => ({ name: `${s}/${name}`, bytes: readBytes(join(dir, s, name)) }))),
  { name: 'trajectory.log', bytes: readBytes(join(dir, 'trajectory.log')) },
  { name: 'rgbd.match', bytes: readBytes(join(dir, 'rgbd.match')) },
  { name: 'camera_primesense.json', bytes: readBytes(join(root, 'rgbd/camera_primesense.json')) },
];
const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
const { cloud } = loaded;
const views = loaded.capture.views ?? [];
const engine = new SceneEngine(() => Promise.resolve({ ...nodeModelSourceAt(manifestPath), openSession: syntheticImageSession }));
engine.setCloud(cloud, undefined, views);
const a = used() - base;
const points = cloud.count;
console.log(`memory bench: ${loaded.capture.detected}; ${points.toLocaleString('en')} points, ${views.length} views; node ${process.version}`);
console.log(`(a) no features:                         ${mib(a).padStart(10)}  (${(a / points).toFixed(1)} B per point: files, views, cloud)`);

const t0 = performance.now();
const teacher = await engine.runTeacher({ fusion: 'pixels' });
const teacherMs = performance.now() - t0;
const b = used() - base;
console.log(
  `(b) + teacher, ${teacher.dim}-d segment form:       ${mib(b).padStart(10)}  = ${(b / a).toFixed(3)} × (a) (goal ≤ 1.3×) — ${teacher.objects} segments, ${teacher.crops} crops, teacher ${(teacherMs / 1000).toFixed(1)} s with synthetic embeddings; per-point float32 would add ${mib(points * teacher.dim * 4)}`,
);

// (c): the per-point form, as the student's output or a file's features are stored (halves of values in [−1, 1)).
const dim = 512;
const halves = new Uint16Array(points * dim);
let state = 12345;
for (let i = 0; i < halves.length; i++) {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  // Sign, an exponent of 2^-4..2^-1 and a random mantissa: a finite half in (−1, 1).
  halves[i] = (state & 0x8000) | ((11 + ((state >>> 16) & 3)) << 10) | ((state >>> 3) & 0x3ff);
}
engine.setCloud(cloud, { dim, halves, names: [] }, views);
await engine.similarityTo(0);
await engine.pcaColors();
const c = used() - base;
console.log(
  `(c) + ${dim}-d per-point fp16:                ${mib(c).padStart(10)}  = ${(c / points / 1024).toFixed(3)} KiB per point in all (goal ≤ 1.2 KiB) — features ${mib(halves.byteLength)} = ${(halves.byteLength / points / 1024).toFixed(3)} KiB per point stored (goal ≤ 1 KiB; norms are summed in the kernels, none stored); float32 per point would be ${mib(points * dim * 4)} (${((4 * dim + a / points) / 1024).toFixed(2)} KiB per point in all)`,
);
