/**
 * Stand-ins of the pinned CLIP ViT-B/32 towers (productionModels.ts): the same architecture,
 * operators, input/output names, dtypes and parameter counts as the Xenova/openai export, with
 * seeded random weights instead of trained ones. They exercise everything that depends on the
 * real models' size and shape — download, caching, memory, WASM/WebGPU kernels, 512-d features —
 * on machines that cannot download the real weights. Their embeddings mean nothing.
 *
 * Text tower (HF CLIPTextModelWithProjection): token + position embeddings, `layers` pre-LN
 * transformer blocks (width 512, 8 heads, causal mask, quick-GELU MLP ×4), final LayerNorm,
 * pooling at the end token (the argmax of input_ids, as HF CLIP), projection 512 → 512.
 * Vision tower (HF CLIPVisionModelWithProjection): 32×32 patch Conv (no bias), class token +
 * position embeddings, pre-LayerNorm, `layers` blocks (width 768, 12 heads, no mask), class-token
 * pooling, post-LayerNorm, projection 768 → 512. Weights are stored [in, out] for MatMul, as the
 * ONNX export does. fp16 builds keep the float32 signature: one Cast in, one Cast out.
 */
import { GraphBuilder, type DeclaredTensor, type ElemType, type ValueSpec } from './onnxGraph.ts';
import { CLIP_IMAGE_INPUTS, CLIP_IMAGE_OUTPUTS, CLIP_TEXT_INPUTS, CLIP_TEXT_OUTPUTS } from './productionModels.ts';

export const CLIP_VOCAB = 49408;
export const CLIP_CONTEXT = 77;
export const STANDIN_EMBED_DIM = 512;
export const FULL_LAYERS = 12;

interface TowerShape {
  readonly width: number;
  readonly heads: number;
  readonly layers: number;
}
export const TEXT_TOWER = { width: 512, heads: 8 } as const;
export const VISION_TOWER = { width: 768, heads: 12, patch: 32, image: 224 } as const;

export type Precision = 'fp32' | 'fp16';
const ONNX_FLOAT = 1;
const ONNX_FLOAT16 = 10;
const LAYER_NORM_EPSILON = 1e-5;
/** HF CLIP's quick GELU: x · sigmoid(1.702 x). */
const QUICK_GELU = 1.702;

/** How a declared tensor is initialised: the seeded generator uses this (see standins.ts). */
export interface WeightSpec extends DeclaredTensor {
  /** Uniform noise of this standard deviation around `centre`. */
  readonly std: number;
  readonly centre: number;
}

/** A graph whose weights are declared, not yet generated. */
export interface StandinGraph {
  readonly builder: GraphBuilder;
  readonly weights: readonly WeightSpec[];
  readonly name: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly doc: string;
}

const toValueSpecs = (sigs: typeof CLIP_TEXT_INPUTS): ValueSpec[] => sigs.map((s) => ({ name: s.name, type: s.dtype, shape: [...s.shape] }));

/** Shared by both towers: declares weights and adds the transformer blocks. */
class TowerBuilder {
  readonly g = new GraphBuilder();
  readonly weights: WeightSpec[] = [];
  readonly type: ElemType;
  constructor(readonly precision: Precision) {
    this.type = precision === 'fp16' ? 'float16' : 'float32';
  }

  weight(name: string, dims: readonly number[], std: number, centre = 0): string {
    const spec = { name, type: this.type, dims, std, centre };
    this.weights.push(spec);
    return this.g.declare(name, this.type, dims);
  }

  scalar(name: string, value: number): string {
    return this.g.constant(name, this.type, [1], [value]);
  }

  layerNorm(x: string, prefix: string, width: number): string {
    const scale = this.weight(`${prefix}.weight`, [width], 0.02, 1);
    const bias = this.weight(`${prefix}.bias`, [width], 0.02);
    return this.g.node('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: LAYER_NORM_EPSILON });
  }

  linear(x: string, prefix: string, inputs: number, outputs: number, bias = true): string {
    const product = this.g.node('MatMul', [x, this.weight(`${prefix}.weight`, [inputs, outputs], 1 / Math.sqrt(inputs))]);
    return bias ? this.g.node('Add', [product, this.weight(`${prefix}.bias`, [outputs], 0.02)]) : product;
  }

  /** Pre-LN block: x + attn(LN(x)), then + mlp(LN(x)); `mask` [T, T] added to the scores (causal). */
  blocks(x: string, prefix: string, shape: TowerShape, mask?: string): string {
    const { width, heads } = shape;
    const headDim = width / heads;
    const g = this.g;
    const split = g.constant(`${prefix}.split_heads_shape`, 'int64', [4], [0, 0, heads, headDim]);
    const merge = g.constant(`${prefix}.merge_heads_shape`, 'int64', [3], [0, 0, width]);
    const scale = this.scalar(`${prefix}.attention_scale`, 1 / Math.sqrt(headDim));
    const geluScale = this.scalar(`${prefix}.quick_gelu_scale`, QUICK_GELU);
    let h = x;
    for (let l = 0; l < shape.layers; l++) {
      const p = `${prefix}.layers.${l}`;
      const normed = this.layerNorm(h, `${p}.layer_norm1`, width);
      const q = g.node('Mul', [this.linear(normed, `${p}.self_attn.q_proj`, width, width), scale]);
      const k = this.linear(normed, `${p}.self_attn.k_proj`, width, width);
      const v = this.linear(normed, `${p}.self_attn.v_proj`, width, width);
      const qh = g.node('Transpose', [g.node('Reshape', [q, split])], { perm: [0, 2, 1, 3] }); // [B, H, T, hd]
      const kh = g.node('Transpose', [g.node('Reshape', [k, split])], { perm: [0, 2, 3, 1] }); // [B, H, hd, T]
      const vh = g.node('Transpose', [g.node('Reshape', [v, split])], { perm: [0, 2, 1, 3] });
      let scores = g.node('MatMul', [qh, kh]); // [B, H, T, T]
      if (mask) scores = g.node('Add', [scores, mask]);
      const context = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), vh]);
      const merged = g.node('Reshape', [g.node('Transpose', [context], { perm: [0, 2, 1, 3] }), merge]);
      h = g.node('Add', [h, this.linear(merged, `${p}.self_attn.out_proj`, width, width)]);
      const normed2 = this.layerNorm(h, `${p}.layer_norm2`, width);
      const hidden = this.linear(normed2, `${p}.mlp.fc1`, width, 4 * width);
      const gelu = g.node('Mul', [hidden, g.node('Sigmoid', [g.node('Mul', [hidden, geluScale])])]);
      h = g.node('Add', [h, this.linear(gelu, `${p}.mlp.fc2`, 4 * width, width)]);
    }
    return h;
  }

  /** Output in float32 whatever the compute precision (the pinned signature). */
  output(x: string, name: string): void {
    if (this.precision === 'fp16') this.g.node('Cast', [x], { to: ONNX_FLOAT }, [name]);
    else this.g.node('Identity', [x], {}, [name]);
  }
}

export function standinTextGraph(layers: number, precision: Precision): StandinGraph {
  const t = new TowerBuilder(precision);
  const g = t.g;
  const { width } = TEXT_TOWER;
  const tokens = t.weight('text_model.embeddings.token_embedding.weight', [CLIP_VOCAB, width], 0.02);
  const positions = t.weight('text_model.embeddings.position_embedding.weight', [CLIP_CONTEXT, width], 0.01);
  // Causal mask: position i attends to 0..i (the lowest finite value elsewhere, as HF CLIP).
  const lowest = precision === 'fp16' ? -65504 : -3.4028234663852886e38;
  const mask = new Float32Array(CLIP_CONTEXT * CLIP_CONTEXT);
  for (let i = 0; i < CLIP_CONTEXT; i++) for (let j = i + 1; j < CLIP_CONTEXT; j++) mask[i * CLIP_CONTEXT + j] = lowest;
  const causal = g.constant('text_model.causal_attention_mask', t.type, [CLIP_CONTEXT, CLIP_CONTEXT], mask);

  const embedded = g.node('Add', [g.node('Gather', [tokens, 'input_ids'], { axis: 0 }), positions]); // [B, 77, 512]
  const encoded = t.blocks(embedded, 'text_model.encoder', { ...TEXT_TOWER, layers }, causal);
  const normed = t.layerNorm(encoded, 'text_model.final_layer_norm', width);
  // Pool at the end token: CLIP's end token has the highest id, so it is the argmax of input_ids.
  const positionIndex = g.constant(
    'text_model.position_index',
    'int64',
    [CLIP_CONTEXT],
    Array.from({ length: CLIP_CONTEXT }, (_, i) => i),
  );
  const endPosition = g.node('ArgMax', ['input_ids'], { axis: 1, keepdims: 1 }); // [B, 1]
  const oneHot = g.node('Cast', [g.node('Equal', [positionIndex, endPosition])], { to: precision === 'fp16' ? ONNX_FLOAT16 : ONNX_FLOAT }); // [B, 77]
  const axisOne = g.constant('text_model.axis_one', 'int64', [1], [1]);
  const pooledShape = g.constant('text_model.pooled_shape', 'int64', [2], [-1, width]);
  const pooled = g.node('Reshape', [g.node('MatMul', [g.node('Unsqueeze', [oneHot, axisOne]), normed]), pooledShape]); // [B, 512]
  t.output(t.linear(pooled, 'text_projection', width, STANDIN_EMBED_DIM, false), 'text_embeds');
  return {
    builder: g,
    weights: t.weights,
    name: 'fieldlens_standin_clip_text',
    inputs: toValueSpecs(CLIP_TEXT_INPUTS),
    outputs: toValueSpecs(CLIP_TEXT_OUTPUTS),
    doc: `FieldLens stand-in of the CLIP ViT-B/32 text tower (${layers} layers, ${precision}, seeded random weights: the embeddings mean nothing).`,
  };
}

export function standinVisionGraph(layers: number, precision: Precision): StandinGraph {
  const t = new TowerBuilder(precision);
  const g = t.g;
  const { width, patch, image } = VISION_TOWER;
  const grid = image / patch;
  const tokens = grid * grid + 1;
  const pixels = precision === 'fp16' ? g.node('Cast', ['pixel_values'], { to: ONNX_FLOAT16 }) : 'pixel_values';
  const kernel = t.weight('vision_model.embeddings.patch_embedding.weight', [width, 3, patch, patch], 1 / Math.sqrt(3 * patch * patch));
  const patches = g.node('Conv', [pixels, kernel], { kernel_shape: [patch, patch], strides: [patch, patch] }); // [B, 768, 7, 7]
  const flatShape = g.constant('vision_model.patch_flat_shape', 'int64', [3], [0, width, grid * grid]);
  const sequence = g.node('Transpose', [g.node('Reshape', [patches, flatShape])], { perm: [0, 2, 1] }); // [B, 49, 768]
  // The class token, broadcast to [B, 1, 768] with B read from the input's shape.
  const classEmbedding = t.weight('vision_model.embeddings.class_embedding', [width], 0.02);
  const batch = g.node('Slice', [
    g.node('Shape', ['pixel_values']),
    g.constant('vision_model.zero', 'int64', [1], [0]),
    g.constant('vision_model.one', 'int64', [1], [1]),
  ]);
  const classShape = g.node('Concat', [batch, g.constant('vision_model.class_tail_shape', 'int64', [2], [1, width])], { axis: 0 });
  const classTokens = g.node('Expand', [classEmbedding, classShape]);
  const positions = t.weight('vision_model.embeddings.position_embedding.weight', [tokens, width], 0.01);
  const embedded = g.node('Add', [g.node('Concat', [classTokens, sequence], { axis: 1 }), positions]); // [B, 50, 768]
  const encoded = t.blocks(t.layerNorm(embedded, 'vision_model.pre_layrnorm', width), 'vision_model.encoder', { ...VISION_TOWER, layers });
  const classIndex = g.constant('vision_model.class_index', 'int64', [], [0]);
  const pooled = t.layerNorm(g.node('Gather', [encoded, classIndex], { axis: 1 }), 'vision_model.post_layernorm', width); // [B, 768]
  t.output(t.linear(pooled, 'visual_projection', width, STANDIN_EMBED_DIM, false), 'image_embeds');
  return {
    builder: g,
    weights: t.weights,
    name: 'fieldlens_standin_clip_vision',
    inputs: toValueSpecs(CLIP_IMAGE_INPUTS),
    outputs: toValueSpecs(CLIP_IMAGE_OUTPUTS),
    doc: `FieldLens stand-in of the CLIP ViT-B/32 vision tower (${layers} layers, ${precision}, seeded random weights: the embeddings mean nothing).`,
  };
}
