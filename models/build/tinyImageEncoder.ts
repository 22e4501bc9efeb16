/**
 * The tiny CLIP image encoder: the real HF CLIPVisionModelWithProjection signature
 * (`pixel_values` float32 [batch, 3, 224, 224], CLIP-normalised → `image_embeds` float32 [batch, 16]),
 * hand-weighted into the tiny colour space of tinyClipSpace.ts.
 *
 * What it computes: undo the CLIP normalisation, treat near-white pixels as "not the object" (the
 * teacher whitens everything but the object, DROP-CLIP style), average the colour of the rest, and
 * map that mean colour through the student's colour model onto the concept directions the text
 * encoder uses. So a whitened crop of the yellow dice embeds next to "yellow dice", as a real CLIP
 * would place a photo of it next to the phrase.
 */
import { addColourConceptFeature, TINY_EMBED_DIM } from './tinyClipSpace.ts';
import { GraphBuilder, type ValueSpec } from './onnxGraph.ts';
import { addColourConceptGraph } from './tinyModels.ts';

export const TINY_IMAGE_SIZE = 224;
/** OpenAI CLIP's pre-processing constants (HF CLIPImageProcessor). */
export const CLIP_IMAGE_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_IMAGE_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];
/** A pixel whose darkest channel (0..1) reaches this is background (whitened, or white paper). */
export const WHITE_THRESHOLD = 0.97;
/** Keeps an all-white image finite: its mean colour is then black-ish, its embedding arbitrary. */
const COVERAGE_EPSILON = 1e-6;

export const IMAGE_INPUTS: readonly ValueSpec[] = [{ name: 'pixel_values', type: 'float32', shape: ['batch', 3, TINY_IMAGE_SIZE, TINY_IMAGE_SIZE] }];
export const IMAGE_OUTPUTS: readonly ValueSpec[] = [{ name: 'image_embeds', type: 'float32', shape: ['batch', TINY_EMBED_DIM] }];
const ONNX_FLOAT = 1;

export function buildTinyImageEncoder(): Uint8Array {
  const g = new GraphBuilder();
  const std = g.constant('clip_std', 'float32', [1, 3, 1, 1], CLIP_IMAGE_STD);
  const mean = g.constant('clip_mean', 'float32', [1, 3, 1, 1], CLIP_IMAGE_MEAN);
  const white = g.constant('white_threshold', 'float32', [1], [WHITE_THRESHOLD]);
  const epsilon = g.constant('coverage_epsilon', 'float32', [1], [COVERAGE_EPSILON]);

  const rgb = g.node('Add', [g.node('Mul', ['pixel_values', std]), mean]); // [B, 3, H, W], 0..1
  const darkest = g.node('ReduceMin', [rgb], { axes: [1], keepdims: 1 }); // [B, 1, H, W]
  const objectMask = g.node('Cast', [g.node('Less', [darkest, white])], { to: ONNX_FLOAT });
  const colourSum = g.node('ReduceMean', [g.node('Mul', [rgb, objectMask])], { axes: [2, 3], keepdims: 0 }); // [B, 3]
  const coverage = g.node('ReduceMean', [objectMask], { axes: [2, 3], keepdims: 0 }); // [B, 1]
  const meanColour = g.node('Div', [colourSum, g.node('Add', [coverage, epsilon])]);
  const features = addColourConceptGraph(g, meanColour);
  g.node('Identity', [features], {}, ['image_embeds']);
  return g.build('fieldlens_tiny_clip_image', IMAGE_INPUTS, IMAGE_OUTPUTS, 'FieldLens tiny colour-space CLIP image encoder (generated, not trained).');
}

/** Reference of the image graph in plain JS (float64 sums). */
export function tinyImageEncoderReference(pixelValues: Float32Array, batch: number): Float32Array {
  const S = TINY_IMAGE_SIZE;
  const plane = S * S;
  if (pixelValues.length !== batch * 3 * plane) throw new Error(`tinyImageEncoderReference: expected ${batch}×3×${S}×${S} values, got ${pixelValues.length}`);
  const std = CLIP_IMAGE_STD.map(Math.fround);
  const mean = CLIP_IMAGE_MEAN.map(Math.fround);
  const white = Math.fround(WHITE_THRESHOLD);
  const out = new Float32Array(batch * TINY_EMBED_DIM);
  const feature = new Float64Array(TINY_EMBED_DIM);
  for (let b = 0; b < batch; b++) {
    const base = b * 3 * plane;
    const sum = [0, 0, 0];
    let covered = 0;
    for (let p = 0; p < plane; p++) {
      const rgb = [0, 1, 2].map((c) => Math.fround(Math.fround((pixelValues[base + c * plane + p] as number) * std[c]!) + mean[c]!));
      if (Math.min(rgb[0]!, rgb[1]!, rgb[2]!) >= white) continue;
      covered++;
      for (let c = 0; c < 3; c++) sum[c]! += rgb[c]!;
    }
    const denominator = covered / plane + COVERAGE_EPSILON;
    feature.fill(0);
    addColourConceptFeature(sum[0]! / plane / denominator, sum[1]! / plane / denominator, sum[2]! / plane / denominator, feature, 0);
    out.set(feature, b * TINY_EMBED_DIM);
  }
  return out;
}
