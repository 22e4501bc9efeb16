/**
 * Text-encode latency, FieldLens vs @huggingface/transformers on the SAME ONNX file, same run:
 *   npm run bench:text            (npx tsx src/bench/textEncoder.bench.ts [phrases])
 *   npm run bench:text-full       (the same with --full: the full-size ViT-B/32 stand-ins, built on
 *                                  demand under .cache/standins/, then also the image tower's ms per crop)
 *
 * - FieldLens: ClipTextEncoder (our CLIP tokenizer + onnxruntime-web WASM, as the CLI and the
 *   worker's WASM fallback run it), L2-normalised output.
 * - Peer: transformers.js v4 AutoTokenizer + CLIPTextModelWithProjection loading the repo's tiny
 *   text model and tokenizer laid out as a local Hugging Face folder in a temp dir (remote models
 *   off), padding to 77 like CLIP; its Node backend is onnxruntime-node (native CPU, one thread), which the
 *   printed line says. Its embeddings are compared to ours first, so the figures time the same work.
 *
 * Each round encodes a batch of phrases never seen before (our encoder caches per text) with both
 * encoders, in alternating order; the figure is the min / median / max of the per-round ratio
 * (compare.ts), which a busy machine moves far less than a ratio of medians.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureStandins } from '../../models/build/standins.ts';
import { ClipTextEncoder } from '../infer/loadedModels.ts';
import { nodeModelSourceAt } from '../node/modelSource.ts';
import { defaultManifestFile, repoRoot } from '../node/repoPaths.ts';
import { exitAfterWasm } from '../node/wasmExit.ts';
import { importBenchPeer } from './benchPeers.ts';
import { imageEncoderMsPerCrop } from './imageEncoderTiming.ts';
import { compare, loadNow } from './compare.ts';

/** The part of transformers.js this benchmark uses (the peer is installed on demand, untyped here). */
interface Tensor {
  normalize(p: number, dim: number): { data: Float32Array };
}
interface TransformersJs {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  AutoTokenizer: { from_pretrained(id: string): Promise<(texts: string[], o: object) => unknown> };
  CLIPTextModelWithProjection: { from_pretrained(id: string, o: object): Promise<(inputs: unknown) => Promise<{ text_embeds: Tensor }>> };
}
const { AutoTokenizer, CLIPTextModelWithProjection, env } = (await importBenchPeer('@huggingface/transformers', '4.3.1')) as TransformersJs;

const full = process.argv.includes('--full');
const PHRASES_PER_ROUND = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? (full ? 4 : 8));
const ROUNDS = full ? 7 : 15;
const manifestPath = full ? ensureStandins().manifestPath : defaultManifestFile;
const modelsDir = full ? dirname(manifestPath) : join(repoRoot, 'models');
const ours = await ClipTextEncoder.load(nodeModelSourceAt(manifestPath));
const entry = ours.entry;
const spec = ours.tokenizer.spec;

// The same ONNX file and tokenizer.json as a local HF model folder: <tmp>/tiny-clip/{config, tokenizer, onnx/text_model.onnx}.
const hubDir = mkdtempSync(join(tmpdir(), 'fieldlens-bench-'));
const modelDir = join(hubDir, 'tiny-clip');
mkdirSync(join(modelDir, 'onnx'), { recursive: true });
copyFileSync(join(modelsDir, entry.file), join(modelDir, 'onnx', 'text_model.onnx'));
copyFileSync(join(modelsDir, entry.tokenizer!.file), join(modelDir, 'tokenizer.json'));
const vocab = (JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as { model: { vocab: object } }).model.vocab;
writeFileSync(
  join(modelDir, 'config.json'),
  JSON.stringify({
    model_type: 'clip',
    projection_dim: entry.embeddingDim,
    text_config: { vocab_size: Object.keys(vocab).length + 2, max_position_embeddings: spec.contextLength },
  }),
);
writeFileSync(
  join(modelDir, 'tokenizer_config.json'),
  JSON.stringify({
    tokenizer_class: 'CLIPTokenizer',
    model_max_length: spec.contextLength,
    bos_token: '<|startoftext|>',
    eos_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
  }),
);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = `${hubDir}/`;
const hfTokenizer = await AutoTokenizer.from_pretrained('tiny-clip');
// One intra-op thread, as our single-threaded WASM session: a thread pool on a shared machine
// measured scheduler contention (tens of ms per phrase, varying 100× between rounds), not the encoder.
const hfModel = await CLIPTextModelWithProjection.from_pretrained('tiny-clip', {
  dtype: 'fp32',
  session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
});

async function encodeHf(texts: string[]): Promise<Float32Array> {
  const inputs = hfTokenizer(texts, { padding: 'max_length', max_length: spec.contextLength, truncation: true });
  const { text_embeds } = await hfModel(inputs);
  return text_embeds.normalize(2, -1).data;
}

// Same work check: both encoders give the same normalised embeddings for a few phrases.
const check = ['a photo of a red mug', 'yellow dice', 'a grey stone beside a purple cup'];
const hfCheck = await encodeHf(check);
const ourCheck = await ours.encode(check);
let maxDiff = 0;
ourCheck.forEach((row, b) => row.forEach((v, d) => (maxDiff = Math.max(maxDiff, Math.abs(v - (hfCheck[b * entry.embeddingDim + d] as number))))));
if (maxDiff > 1e-4) throw new Error(`the two encoders disagree (max |Δ| ${maxDiff}): the benchmark would not time the same work`);

let serial = 0;
const freshPhrases = (): string[] => Array.from({ length: PHRASES_PER_ROUND }, () => `a photo of a yellow dice number ${serial++}`);
console.log(
  `text encode, ${entry.id} (${entry.file}), batches of ${PHRASES_PER_ROUND} new phrases; embeddings agree to ${maxDiff.toExponential(1)}; load ${loadNow().toFixed(2)}`,
);
await compare(
  'text',
  `text encode, batch of ${PHRASES_PER_ROUND} new phrases (${entry.id})`,
  { name: `FieldLens ClipTextEncoder (onnxruntime-web ${ours.backend})`, run: () => ours.encode(freshPhrases()) },
  [{ name: 'transformers.js CLIPTextModelWithProjection (onnxruntime-node)', run: () => encodeHf(freshPhrases()) }],
  { rounds: ROUNDS, warmup: 1 },
);
rmSync(hubDir, { recursive: true, force: true });

if (full) {
  await ours.release();
  const image = await imageEncoderMsPerCrop(nodeModelSourceAt(manifestPath), 4, 5);
  console.log(
    `image encode, ${image.id} (${image.file}), WASM (${image.backend}), batches of ${image.batch} crops 224×224, median of ${image.rounds}: ${image.msPerCrop.toFixed(1)} ms/crop`,
  );
}
exitAfterWasm(0);
