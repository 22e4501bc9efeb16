/**
 * Model inference under Node (onnxruntime-web, WASM backend): `npx tsx src/bench/inference.bench.ts`.
 *
 * Prints the 3D student's time per 100k points (through Student3d: chunking, colour conversion,
 * the ONNX run) and the text encoder's latency per phrase (tokenise + run + normalise), each with
 * a peer in the same run: the plain-JS evaluation of the same tiny weights
 * (models/build/tinyClipSpace.ts). The tiny models are what CI can run; the same script takes a
 * manifest with real models (`npx tsx src/bench/inference.bench.ts path/to/manifest.json`),
 * where the peers do not apply. Median of 5 after a warm-up.
 *
 * Browser WebGPU figures need a GPU machine; they are not measured here.
 */
import { mulberry32 } from '../core/synth/prng.ts';
import { ClipTextEncoder, Student3d } from '../infer/loadedModels.ts';
import { nodeModelSourceAt } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { exitAfterWasm } from '../node/wasmExit.ts';
import { tinyStudentReference, tinyTextEncoderReference, tinyTokenizer } from '../../models/build/tinyClipSpace.ts';
import { createClipTokenizer } from '../core/text/clipTokenizer.ts';
import { medianMs } from './timing.ts';

const manifestPath = process.argv[2] ?? defaultManifestFile;
const tiny = process.argv[2] === undefined;
const POINTS = 100_000;

const time = medianMs;

const source = nodeModelSourceAt(manifestPath);
const student = await Student3d.load(source);
const text = await ClipTextEncoder.load(source);

const random = mulberry32(7);
const positions = Float32Array.from({ length: POINTS * 3 }, () => random() * 4 - 2);
const colors = Uint8Array.from({ length: POINTS * 3 }, () => Math.floor(random() * 256));
const studentMs = await time(5, () => student.infer(positions, colors, POINTS));
console.log(`student (${student.entry.id}, ${student.backend}): ${studentMs.toFixed(1)} ms per 100k points`);
if (tiny) {
  // The plain-JS peer computes the hand-weighted student, so it is compared with that model's ONNX
  // file (the default student is the trained one; windowedStudent.bench.ts compares the two).
  const handWeighted = await Student3d.load(source, 'student3d-tiny');
  const onnxMs = await time(5, () => handWeighted.infer(positions, colors, POINTS));
  const colours01 = Float32Array.from(colors, (c) => c / 255);
  const jsMs = await time(5, () => tinyStudentReference(positions, colours01));
  console.log(
    `  ${handWeighted.entry.id}: ${onnxMs.toFixed(1)} ms; peer, plain JS on its weights: ${jsMs.toFixed(1)} ms (ONNX/JS = ${(onnxMs / jsMs).toFixed(2)}×)`,
  );
}

let phrase = 0;
// A new phrase each run: the encoder caches embeddings per text.
const encodeMs = await time(9, () => text.encode([`a photo of a red mug number ${phrase++}`]));
console.log(`text encoder (${text.entry.id}, ${text.backend}): ${encodeMs.toFixed(2)} ms per phrase`);
if (tiny) {
  const tokenizer = createClipTokenizer(tinyTokenizer().json, text.tokenizer.spec);
  const jsMs = await time(9, () => tinyTextEncoderReference(tokenizer.encodeBatch([`a photo of a red mug number ${phrase++}`]), 1));
  console.log(`  peer, plain JS tokenise + encode: ${jsMs.toFixed(2)} ms (ONNX/JS = ${(encodeMs / jsMs).toFixed(2)}×)`);
}
exitAfterWasm(0);
