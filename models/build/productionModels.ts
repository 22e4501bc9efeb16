/**
 * FieldLens's production models: OpenAI CLIP ViT-B/32 in the standard ONNX export layout
 * (Xenova/clip-vit-base-patch32, an Optimum export of openai/clip-vit-base-patch32, MIT), pinned to
 * one immutable Hugging Face commit so the bytes behind every URL can never change under the hash.
 *
 * Provenance of the numbers: the sizes and sha256 values below were NOT computed here (the build
 * machine has no route to huggingface.co); each one was found, identical, in at least two
 * independent public files that pin the same Xenova revision or the same blob (the sha256 is the
 * Git LFS oid, i.e. the sha256 of the blob). Index ids of those files are noted per entry (the
 * reference-search ids the values were read from). `npm run models:verify` streams every URL and
 * checks the hash and size whenever the network is reachable.
 */
import { modelSetBytes, type ModelEntry, type ModelSet, type TensorSignature } from '../../src/core/models/manifest.ts';

export const CLIP_B32_REPO = 'Xenova/clip-vit-base-patch32';
/** An immutable commit of the repo, not a branch: `resolve/<commit>/…` always serves the same bytes. */
export const CLIP_B32_REVISION = 'd15189d7028b43f1d3e65039190477f6af591c2a';
const BASE = `https://huggingface.co/${CLIP_B32_REPO}/resolve/${CLIP_B32_REVISION}`;

export const CLIP_B32_SPACE = 'openai-clip-vit-b32';
export const CLIP_B32_EMBED_DIM = 512;
const LICENSE = 'MIT — OpenAI CLIP weights (openai/clip-vit-base-patch32), ONNX export by Xenova';

/** The standard export's signatures (HF CLIPTextModelWithProjection / CLIPVisionModelWithProjection). */
export const CLIP_TEXT_INPUTS: readonly TensorSignature[] = [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 77] }];
export const CLIP_TEXT_OUTPUTS: readonly TensorSignature[] = [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', CLIP_B32_EMBED_DIM] }];
export const CLIP_IMAGE_INPUTS: readonly TensorSignature[] = [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }];
export const CLIP_IMAGE_OUTPUTS: readonly TensorSignature[] = [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', CLIP_B32_EMBED_DIM] }];

export const PRODUCTION_MODELS: readonly ModelEntry[] = [
  {
    id: 'clip-vit-b32-text',
    kind: 'clip-text',
    // Found in public ids 70546601431 (pins this revision), 68372692825 (pins this revision), 70478715252, 55693874535.
    file: `${BASE}/onnx/text_model.onnx`,
    sha256: '3f6571f5bad13a97c469c1622e1cfc4d9aef78b79fdbfcff804ca357bfada8cc',
    bytes: 254_058_553,
    inputs: CLIP_TEXT_INPUTS,
    outputs: CLIP_TEXT_OUTPUTS,
    embeddingDim: CLIP_B32_EMBED_DIM,
    space: CLIP_B32_SPACE,
    license: LICENSE,
    description: 'CLIP ViT-B/32 text encoder (63M parameters), fp32; fp16 variant for WebGPU with shader-f16.',
    tokenizer: {
      // Found in public ids 59512594449 (pins this revision), 68372692825 (pins this revision), 61432710333, 66969284710.
      file: `${BASE}/tokenizer.json`,
      sha256: 'f7f3b7af117d467b58374797691a6438d3e6b9e9cef800dfd5dced7f697a90cd',
      bytes: 2_224_119,
      contextLength: 77,
      startId: 49406,
      endId: 49407,
    },
    variants: {
      // Found in public ids 59512594449 (pins this revision), 70546601431 (pins this revision), 60817547147, 59104141743.
      fp16: { file: `${BASE}/onnx/text_model_fp16.onnx`, sha256: 'df587ffbf248bf20d44fa6e16adc5ebc27ead691860e5333dbdaab5fd6bf3f6e', bytes: 127_339_794 },
    },
  },
  {
    id: 'clip-vit-b32-image',
    kind: 'clip-image',
    // Found in public ids 68372692825 (pins this revision), 70478715252 (pins this revision), 53075027976, 60344627770.
    file: `${BASE}/onnx/vision_model.onnx`,
    sha256: 'fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40',
    bytes: 351_685_709,
    inputs: CLIP_IMAGE_INPUTS,
    outputs: CLIP_IMAGE_OUTPUTS,
    embeddingDim: CLIP_B32_EMBED_DIM,
    space: CLIP_B32_SPACE,
    license: LICENSE,
    description: 'CLIP ViT-B/32 image encoder (88M parameters), fp32; fp16 variant for WebGPU with shader-f16. Teacher for 3D students.',
    // CLIPImageProcessor's settings for this checkpoint (preprocessor_config.json of the same revision).
    imagePreprocess: { size: 224, mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711], resample: 'bicubic' },
    variants: {
      // Found in public ids 59512594449 (pins this revision), 65901152525 (pins this revision), 70597151814, 71582474762.
      fp16: { file: `${BASE}/onnx/vision_model_fp16.onnx`, sha256: '35c4e0fb0aeee527dcde1693520b214a34424a786babd530f35366bad5844efd', bytes: 176_080_659 },
    },
  },
];

export const CLIP_B32_MODEL_SET = 'clip-vit-b32';

/** The pinned text and image towers as one set; no student in CLIP's space is trained yet. */
export function productionModelSet(): ModelSet {
  const [text, image] = PRODUCTION_MODELS as [ModelEntry, ModelEntry];
  return {
    id: CLIP_B32_MODEL_SET,
    label: 'OpenAI CLIP ViT-B/32 (download)',
    space: CLIP_B32_SPACE,
    text: text.id,
    image: image.id,
    totalBytes: modelSetBytes([text, image]),
  };
}
