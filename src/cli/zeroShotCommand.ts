/**
 * `fieldlens zero-shot <image> --labels "a diagram, a dog, a cat"`: CLIP's zero-shot
 * classification of one image — the image and each label through the chosen model set's image
 * and text encoders (onnxruntime-web WASM under Node), logits 100 · cos(image, label) (CLIP's
 * learned logit scale, exp(4.6052) = 100), softmax over the labels. The labels are encoded as
 * written (no prompt templates), as in openai/CLIP's README example.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findModel, parseModelManifest, resolveModelSet } from '../core/models/manifest.ts';
import { decodeImage } from '../core/formats/images.ts';
import { softmaxInto } from '../core/query/formulas.ts';
import { parseLabelSet } from '../core/query/prompts.ts';
import { l2Normalize } from '../core/query/relevancy.ts';
import { clipPixelValues } from '../core/teacher/clipPreprocess.ts';
import { ClipImageEncoder, ClipTextEncoder } from '../infer/loadedModels.ts';
import { nodeModelSource } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { stringOption, type ParsedArgs } from './cliArgs.ts';

/** CLIP's logit scale after training (openai/CLIP: logit_scale.exp() = 100, clamped there). */
export const CLIP_LOGIT_SCALE = 100;

export interface ZeroShotOptions {
  readonly image: string;
  readonly labels: string;
  readonly manifestPath: string;
  readonly modelSetId?: string | undefined;
}

export interface ZeroShotResult {
  readonly image: string;
  readonly modelSet: string;
  readonly textModel: string;
  readonly imageModel: string;
  readonly dim: number;
  /** In the order given, with their probabilities (summing to 1). */
  readonly labels: readonly { readonly label: string; readonly probability: number }[];
}

/** softmax(scale · cos(image, label_k)) over the labels; embeddings need not be normalised. */
export function clipLabelProbabilities(image: Float32Array, labels: readonly Float32Array[], scale = CLIP_LOGIT_SCALE): Float64Array {
  const i = l2Normalize(image);
  const logits = labels.map((label) => {
    const t = l2Normalize(label);
    let dot = 0;
    for (let d = 0; d < i.length; d++) dot += i[d]! * t[d]!;
    return scale * dot;
  });
  return softmaxInto(logits, new Float64Array(labels.length)) as Float64Array;
}

export async function runZeroShotCommand(o: ZeroShotOptions): Promise<ZeroShotResult> {
  const labels = parseLabelSet(o.labels);
  if (labels.length === 0) throw new Error('zero-shot: --labels needs at least one label ("a diagram, a dog, a cat")');
  const manifest = parseModelManifest(JSON.parse(readFileSync(o.manifestPath, 'utf8')), o.manifestPath);
  const chosen = resolveModelSet(manifest, o.modelSetId, o.manifestPath);
  if (!chosen.image) throw new Error(`zero-shot: model set "${chosen.set.id}" has no image encoder`);
  const decoded = decodeImage(new Uint8Array(readFileSync(o.image)), basename(o.image));
  if (decoded.kind !== 'rgb8')
    throw new Error(`${o.image}: expected a colour image, found ${decoded.kind === 'depth16' ? 'a 16-bit single-channel (depth) image' : 'a greyscale image'}`);
  const source = nodeModelSource(manifest, pathToFileURL(o.manifestPath));
  const imageEncoder = await ClipImageEncoder.load(source, chosen.image.id);
  const textEncoder = await ClipTextEncoder.load(source, chosen.text.id);
  const pixels = clipPixelValues([decoded], findModel(manifest, 'clip-image', chosen.image.id).imagePreprocess!);
  const imageEmbedding = await imageEncoder.encode(pixels, 1);
  const probabilities = clipLabelProbabilities(imageEmbedding, await textEncoder.encode(labels));
  return {
    image: o.image,
    modelSet: chosen.set.id,
    textModel: chosen.text.id,
    imageModel: chosen.image.id,
    dim: chosen.text.embeddingDim,
    labels: labels.map((label, k) => ({ label, probability: probabilities[k]! })),
  };
}

export async function zeroShotCli(args: ParsedArgs): Promise<number> {
  const labels = stringOption(args, 'labels');
  if (args.positional.length !== 1 || labels === undefined) throw new Error('zero-shot: give one image and --labels "a diagram, a dog, a cat"');
  const result = await runZeroShotCommand({
    image: args.positional[0]!,
    labels,
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: stringOption(args, 'manifest') ?? defaultManifestFile,
  });
  process.stdout.write(
    args.options.has('json')
      ? `${JSON.stringify(result)}\n`
      : result.labels.map((l) => `${l.probability.toFixed(4)}  ${l.label}`).join('\n') + `\n(${result.modelSet}: ${result.imageModel} + ${result.textModel})\n`,
  );
  return 0;
}
