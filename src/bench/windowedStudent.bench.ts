/**
 * The windowed 3D student under Node (onnxruntime-web, WASM): `npx tsx src/bench/windowedStudent.bench.ts [student id]`.
 *
 * Prints ms per 100k points for the windowed student (default: the first student in the manifest
 * with `preprocess.windows`), split into the Morton windowing (pure JS) and the whole
 * Student3d.infer (windowing + ONNX runs + unwindowing). Beside it, the hand-weighted per-point
 * student (student3d-tiny) on the same points: a different model doing different work, so its
 * ratio is a model comparison, not a peer timing. Median of 5 after a warm-up.
 * WebGPU figures need a GPU machine; they are not measured here.
 */
import { windowPoints } from '../core/models/pointWindows.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { Student3d, type ModelSource } from '../infer/loadedModels.ts';
import { nodeModelSourceAt, readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { exitAfterWasm } from '../node/wasmExit.ts';
import { medianMs } from './timing.ts';

const manifest = readModelManifest(defaultManifestFile);
const POINTS = 100_000;
const windowedId = process.argv[2] ?? manifest.models.find((m) => m.kind === 'student3d' && m.preprocess?.windows)?.id;
if (!windowedId) throw new Error('no windowed student in models/manifest.json: train one with npm run train:student');

const source = (student: string): ModelSource => nodeModelSourceAt(defaultManifestFile, { student });

// A table-top-sized cloud (1 m × 0.7 m × 0.3 m), as dense as the demo's.
const random = mulberry32(7);
const positions = Float32Array.from({ length: POINTS * 3 }, (_, k) => random() * [1, 0.7, 0.3][k % 3]!);
const colors = Uint8Array.from({ length: POINTS * 3 }, () => Math.floor(random() * 256));

const spec = manifest.models.find((m) => m.id === windowedId)?.preprocess?.windows;
if (!spec) throw new Error(`${windowedId} is not a windowed student`);
// The windowing alone, timed before the models load.
const windowingMs = await medianMs(5, () => windowPoints(positions, colors, POINTS, spec));
const windowed = await Student3d.load(source(windowedId));
const peer = await Student3d.load(source('student3d-tiny'));
const windowedMs = await medianMs(5, () => windowed.infer(positions, colors, POINTS));
const peerMs = await medianMs(5, () => peer.infer(positions, colors, POINTS));

process.stdout.write(`windowed student ${windowedId} (W=${spec.size}, grid ${spec.grid} m), ${POINTS} points, WASM backend:\n`);
process.stdout.write(`  Morton windowing (JS)           ${windowingMs.toFixed(1)} ms\n`);
process.stdout.write(`  Student3d.infer, windowed       ${windowedMs.toFixed(1)} ms per 100k points\n`);
process.stdout.write(`  Student3d.infer, student3d-tiny ${peerMs.toFixed(1)} ms per 100k points (a different model: comparison, not a peer)\n`);
process.stdout.write(`  model comparison windowed / per-point (not a peer) ${(windowedMs / peerMs).toFixed(2)}×\n`);
exitAfterWasm(0);
