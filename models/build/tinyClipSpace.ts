/**
 * The tiny "colour CLIP space" that FieldLens's CI and demo use instead of real CLIP weights: 11 colour
 * concepts with orthonormal directions in a 16-D space, a text encoder that maps colour words (and the
 * demo scene's object words) onto their concept direction, and a 3D student that maps a point's colour
 * onto the direction of the nearest colour prototype. All weights are seeded and deterministic; the JS
 * reference forward passes below are the ground truth the ONNX graphs (tinyModels.ts) are tested against.
 */
import { mixSeeds, mulberry32 } from '../../src/core/synth/prng.ts';
import { buildTinyTokenizer, type TinyTokenizerBuild } from './tinyTokenizer.ts';

export const TINY_SPACE_ID = 'fieldlens-tiny-colour-16';
export const TINY_EMBED_DIM = 16;
/** Width of the text encoder's token embeddings (before the text projection). */
export const TINY_TEXT_HIDDEN = 16;
export const TINY_CONTEXT_LENGTH = 77;
const WEIGHTS_SEED = 0xc011;

export interface ColourConcept {
  readonly name: string;
  /** Prototype colour, RGB in 0..1 (sRGB as stored in images, not linear). */
  readonly rgb: readonly [number, number, number];
  /** β_k: how much brightness (max channel) counts against this prototype; see the student notes. */
  readonly brightnessWeight: number;
}

/**
 * Hues get a small brightness weight, so shading (×0.4..1 in the demo) keeps their concept. White, grey
 * and black differ only in brightness: black is narrow and steep (only really dark surfaces, ≲ 0.16),
 * grey spans the broad middle (shadowed grey floor ≈ 0.23 stays grey, lit floor ≲ 0.56), white starts
 * near 0.59 (a lit white plate ≈ 0.9; only its shadowed rim falls into grey).
 * Prototypes sit near the demo scene's albedos (src/core/synth/tabletopScene.ts) under full light.
 */
const HUE = 0.3;
export const TINY_CONCEPTS: readonly ColourConcept[] = [
  { name: 'red', rgb: [0.8, 0.12, 0.12], brightnessWeight: HUE },
  { name: 'green', rgb: [0.16, 0.62, 0.25], brightnessWeight: HUE },
  { name: 'blue', rgb: [0.13, 0.3, 0.8], brightnessWeight: HUE },
  { name: 'yellow', rgb: [0.92, 0.78, 0.14], brightnessWeight: HUE },
  { name: 'white', rgb: [0.93, 0.93, 0.92], brightnessWeight: 0.5 },
  { name: 'brown', rgb: [0.5, 0.32, 0.17], brightnessWeight: HUE },
  { name: 'grey', rgb: [0.45, 0.45, 0.44], brightnessWeight: 1.2 },
  { name: 'black', rgb: [0.04, 0.04, 0.04], brightnessWeight: 3 },
  { name: 'orange', rgb: [0.95, 0.5, 0.08], brightnessWeight: HUE },
  { name: 'purple', rgb: [0.5, 0.18, 0.62], brightnessWeight: HUE },
  { name: 'pink', rgb: [0.96, 0.6, 0.75], brightnessWeight: HUE },
];

/** Colour names and synonyms → concept. */
const COLOUR_WORD_CONCEPT: Readonly<Record<string, string>> = {
  ...Object.fromEntries(TINY_CONCEPTS.map((c) => [c.name, c.name])),
  gray: 'grey',
};
/** The demo scene's objects → the colour they have there, so "mug" finds the red mug. */
const OBJECT_WORD_CONCEPT: Readonly<Record<string, string>> = {
  mug: 'red',
  cup: 'red',
  dice: 'yellow',
  die: 'yellow',
  cube: 'yellow',
  ball: 'blue',
  sphere: 'blue',
  box: 'green',
  plate: 'white',
  dish: 'white',
  table: 'brown',
  wood: 'brown',
  wooden: 'brown',
  floor: 'grey',
  ground: 'grey',
};
/** Words whose token embedding points at a concept. */
export const TINY_WORD_CONCEPT: Readonly<Record<string, string>> = { ...COLOUR_WORD_CONCEPT, ...OBJECT_WORD_CONCEPT };
/** Colour words outweigh object words, so "a blue mug" means blue, as the user asked for a colour. */
const COLOUR_WORD_NORM = 3;
const OBJECT_WORD_NORM = 2.5;
const OTHER_TOKEN_NORM = 0.15;
const POSITIONAL_SCALE = 0.01;

/** Common prompt words that get their own token (and a small, meaning-free embedding). */
export const TINY_PROMPT_WORDS: readonly string[] = [
  'a',
  'an',
  'the',
  'photo',
  'photograph',
  'of',
  'in',
  'on',
  'at',
  'to',
  'with',
  'and',
  'is',
  'it',
  'my',
  'this',
  'that',
  'there',
  'some',
  'something',
  'home',
  'picture',
  'image',
  'object',
  'objects',
  'thing',
  'things',
  'stuff',
  'texture',
  'surface',
  'left',
  'right',
  'top',
  'side',
  'near',
  'next',
  'small',
  'big',
  'large',
  'dark',
  'light',
  'bright',
  'color',
  'colour',
  'colored',
  'coloured',
  'made',
  'scene',
  'room',
  'kitchen',
];
export const TINY_TOKENIZER_WORDS: readonly string[] = [...new Set([...Object.keys(TINY_WORD_CONCEPT), ...TINY_PROMPT_WORDS])];

let tokenizerCache: TinyTokenizerBuild | undefined;
export function tinyTokenizer(): TinyTokenizerBuild {
  tokenizerCache ??= buildTinyTokenizer(TINY_TOKENIZER_WORDS);
  return tokenizerCache;
}

// ---- Student colour model -------------------------------------------------------------------
// Shading scales a surface's RGB by roughly 0.4..1 in the demo, which in raw RGB would drag a red mug
// toward brown/black. So distances are taken in (chroma, brightness) rather than RGB:
//   v = max(r, g, b),  q = (rgb + ε) / (v + ε)        (chroma: invariant to scaling rgb when ε ≪ v)
//   d²_k = |q − q_k|² + β_k² (v − v_k)²,   s = softmax_k(−d²_k / σ²)
// ε pulls very dark colours toward grey chroma (their hue is noise). |q − q_k|² is expanded as
// |q̃|² − 2 q̃·q̃_k + |q̃_k|² with q̃ = q − ½ (all channels then lie in [−½, ½]), which keeps float32
// cancellation error well below the 1e-5 the ONNX-vs-reference tests allow.
export const CHROMA_EPSILON = 0.05;
export const CHROMA_CENTRE = 0.5;
export const SOFTMAX_SIGMA_SQUARED = 0.03;
const POSITION_WEIGHT_SCALE = 0.02;

export interface TinyWeights {
  /** [K, D] orthonormal rows: where concept k lives in the joint space. */
  readonly conceptDirections: Float32Array;
  /** [H, D] orthogonal text projection. */
  readonly textProjection: Float32Array;
  /** [V, H] token embeddings. */
  readonly tokenEmbeddings: Float32Array;
  /** [77, H] positional embeddings. */
  readonly positionalEmbeddings: Float32Array;
  /** Student: [3, K] = −2 q̃_kᵀ, the cross term of the expanded chroma distance. */
  readonly chromaCrossWeights: Float32Array;
  /** Student: [K] = |q̃_k|². */
  readonly chromaConstant: Float32Array;
  /** Student: [K] prototype brightness v_k and [K] weight β_k². */
  readonly brightnessCentres: Float32Array;
  readonly brightnessWeights: Float32Array;
  /** [3, D] small map from world position, so the student really depends on `positions`. */
  readonly positionWeights: Float32Array;
}

/** Uniform values in [−1, 1) from an independent stream per tensor. */
function uniformTensor(stream: number, size: number): Float64Array {
  const random = mulberry32(mixSeeds(WEIGHTS_SEED, stream));
  return Float64Array.from({ length: size }, () => 2 * random() - 1);
}

/** Gram–Schmidt on seeded random rows; `rows` ≤ `dim`. */
function orthonormalRows(stream: number, rows: number, dim: number): Float64Array {
  const m = uniformTensor(stream, rows * dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (m[i * dim + d] as number) * (m[j * dim + d] as number);
      for (let d = 0; d < dim; d++) m[i * dim + d] = (m[i * dim + d] as number) - dot * (m[j * dim + d] as number);
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (m[i * dim + d] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let d = 0; d < dim; d++) m[i * dim + d] = (m[i * dim + d] as number) / norm;
  }
  return m;
}

export function studentChroma(r: number, g: number, b: number): { q: [number, number, number]; v: number } {
  const v = Math.max(r, g, b);
  const den = v + CHROMA_EPSILON;
  return { q: [(r + CHROMA_EPSILON) / den, (g + CHROMA_EPSILON) / den, (b + CHROMA_EPSILON) / den], v };
}

function buildWeights(): TinyWeights {
  const K = TINY_CONCEPTS.length;
  const D = TINY_EMBED_DIM;
  const H = TINY_TEXT_HIDDEN;
  const directions = orthonormalRows(1, K, D);
  const projection = orthonormalRows(2, H, D);

  const { vocab } = tinyTokenizer();
  const V = vocab.size;
  const tokens = uniformTensor(3, V * H);
  for (let t = 0; t < V; t++) {
    const row = tokens.subarray(t * H, (t + 1) * H);
    const norm = Math.sqrt(row.reduce((acc, x) => acc + x * x, 0));
    for (let h = 0; h < H; h++) row[h] = ((row[h] as number) / norm) * OTHER_TOKEN_NORM;
  }
  for (const [word, concept] of Object.entries(TINY_WORD_CONCEPT)) {
    const id = vocab.get(word + '</w>');
    const k = TINY_CONCEPTS.findIndex((c) => c.name === concept);
    if (id === undefined || k < 0) throw new Error(`tiny CLIP: word ${word} has no token or concept`);
    const norm = word in OBJECT_WORD_CONCEPT ? OBJECT_WORD_NORM : COLOUR_WORD_NORM;
    // Pre-image under the orthogonal projection (P Pᵀ = I): embedding · P = norm · direction_k.
    for (let h = 0; h < H; h++) {
      let acc = 0;
      for (let d = 0; d < D; d++) acc += (directions[k * D + d] as number) * (projection[h * D + d] as number);
      tokens[id * H + h] = norm * acc;
    }
  }

  const chromaCrossWeights = new Float32Array(3 * K);
  const chromaConstant = new Float32Array(K);
  const brightnessCentres = new Float32Array(K);
  const brightnessWeights = new Float32Array(K);
  TINY_CONCEPTS.forEach((concept, k) => {
    const { q, v } = studentChroma(...concept.rgb);
    const centred = q.map((x) => x - CHROMA_CENTRE);
    centred.forEach((x, c) => (chromaCrossWeights[c * K + k] = -2 * x));
    chromaConstant[k] = centred.reduce((acc, x) => acc + x * x, 0);
    brightnessCentres[k] = v;
    brightnessWeights[k] = concept.brightnessWeight ** 2;
  });

  return {
    conceptDirections: Float32Array.from(directions),
    textProjection: Float32Array.from(projection),
    tokenEmbeddings: Float32Array.from(tokens),
    positionalEmbeddings: Float32Array.from(uniformTensor(4, TINY_CONTEXT_LENGTH * H), (x) => x * POSITIONAL_SCALE),
    chromaCrossWeights,
    chromaConstant,
    brightnessCentres,
    brightnessWeights,
    positionWeights: Float32Array.from(uniformTensor(5, 3 * D), (x) => x * POSITION_WEIGHT_SCALE),
  };
}

let weightsCache: TinyWeights | undefined;
export function tinyWeights(): TinyWeights {
  weightsCache ??= buildWeights();
  return weightsCache;
}

/** Reference of the text graph: mean of (token + position) embeddings over positions 0..end token, projected. */
export function tinyTextEncoderReference(inputIds: BigInt64Array, batch: number): Float32Array {
  const { tokenEmbeddings, positionalEmbeddings, textProjection } = tinyWeights();
  const L = TINY_CONTEXT_LENGTH;
  const H = TINY_TEXT_HIDDEN;
  const D = TINY_EMBED_DIM;
  if (inputIds.length !== batch * L) throw new Error(`tinyTextEncoderReference: expected ${batch}×${L} ids, got ${inputIds.length}`);
  const out = new Float32Array(batch * D);
  for (let b = 0; b < batch; b++) {
    const ids = inputIds.subarray(b * L, (b + 1) * L);
    let end = 0; // ArgMax: first index of the largest id (the end token, the highest id in the vocab)
    for (let i = 1; i < L; i++) if ((ids[i] as bigint) > (ids[end] as bigint)) end = i;
    const pooled = new Float64Array(H);
    for (let i = 0; i <= end; i++) {
      const id = Number(ids[i]);
      for (let h = 0; h < H; h++) pooled[h] = (pooled[h] as number) + (tokenEmbeddings[id * H + h] as number) + (positionalEmbeddings[i * H + h] as number);
    }
    for (let d = 0; d < D; d++) {
      let acc = 0;
      for (let h = 0; h < H; h++) acc += ((pooled[h] as number) / (end + 1)) * (textProjection[h * D + d] as number);
      out[b * D + d] = acc;
    }
  }
  return out;
}

/**
 * The colour part of the student graph for one RGB colour (0..1): soft nearest colour prototype →
 * concept directions, added into `out[offset .. offset + D)`. Shared by the student and the image
 * encoder references, as their graphs share it (see tinyModels.ts).
 */
export function addColourConceptFeature(r: number, g: number, b: number, out: Float32Array | Float64Array, offset: number): void {
  const w = tinyWeights();
  const K = TINY_CONCEPTS.length;
  const D = TINY_EMBED_DIM;
  const logits = new Float64Array(K);
  // The graph's scalar constants are float32; use the same values.
  const eps = Math.fround(CHROMA_EPSILON);
  const centre = Math.fround(CHROMA_CENTRE);
  const scale = Math.fround(-1 / SOFTMAX_SIGMA_SQUARED);
  const v = Math.max(r, g, b);
  const q = [r, g, b].map((c) => (c + eps) / (v + eps) - centre);
  const q2 = q.reduce((acc, x) => acc + x * x, 0);
  let maxLogit = -Infinity;
  for (let k = 0; k < K; k++) {
    const dv = v - (w.brightnessCentres[k] as number);
    let d2 = q2 + (w.chromaConstant[k] as number) + (w.brightnessWeights[k] as number) * dv * dv;
    for (let c = 0; c < 3; c++) d2 += (q[c] as number) * (w.chromaCrossWeights[c * K + k] as number);
    logits[k] = d2 * scale;
    maxLogit = Math.max(maxLogit, logits[k] as number);
  }
  let total = 0;
  for (let k = 0; k < K; k++) total += logits[k] = Math.exp((logits[k] as number) - maxLogit);
  for (let d = 0; d < D; d++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += ((logits[k] as number) / total) * (w.conceptDirections[k * D + d] as number);
    out[offset + d] = (out[offset + d] as number) + acc;
  }
}

/** Reference of the student graph: soft nearest colour prototype → concept directions, plus a small positional term. */
export function tinyStudentReference(positions: Float32Array, colors: Float32Array): Float32Array {
  const w = tinyWeights();
  const D = TINY_EMBED_DIM;
  const n = colors.length / 3;
  if (!Number.isInteger(n) || positions.length !== colors.length) throw new Error('tinyStudentReference: positions and colors must both be [N, 3]');
  const out = new Float32Array(n * D);
  const feature = new Float64Array(D);
  for (let p = 0; p < n; p++) {
    feature.fill(0);
    addColourConceptFeature(colors[p * 3] as number, colors[p * 3 + 1] as number, colors[p * 3 + 2] as number, feature, 0);
    for (let d = 0; d < D; d++) {
      let acc = feature[d] as number;
      for (let c = 0; c < 3; c++) acc += (positions[p * 3 + c] as number) * (w.positionWeights[c * D + d] as number);
      out[p * D + d] = acc;
    }
  }
  return out;
}
