/**
 * The windowed 3D student: points sorted along a Morton curve and cut into windows of W points
 * (src/core/models/pointWindows.ts), then per window
 *
 *   rel  = (xyz − mean over the window's xyz) · positionScale            [B, W, 3]  (metres → ~unit)
 *   h    = relu(relu([rel, rgb] · E1 + e1) · E2 + e2)                     [B, W, H]
 *   h    = h + softmax((h·Q)(h·K)ᵀ / √H) (h·V) · O + o                   one self-attention block
 *   f    = relu(h · F1 + f1) · F2 + f2                                   [B, W, D]
 *   out  = f / √(Σ f² + ε)                                               L2-normalised features
 *
 * Only MatMul, Add, Sub, Mul, Div, Relu, Softmax, Transpose, Concat, ReduceMean, ReduceSumSquare
 * and Sqrt: operators onnxruntime-web runs on WebGPU and WASM (no sparse convolution, no custom
 * ops). The same weights drive the tfjs forward pass (training) and the ONNX export.
 */
import { mulberry32 } from '../../src/core/synth/prng.ts';
import type { tf as Tf } from './tfjsSetup.ts';

export interface StudentConfig {
  /** Points per window (W). */
  readonly window: number;
  /** Morton grid voxel edge, metres. */
  readonly gridMetres: number;
  /** Hidden width (H). */
  readonly hidden: number;
  /** Output feature dimension (D): the embedding dimension of the CLIP space. */
  readonly embedDim: number;
  /** Multiplies window-centred xyz (metres) so a ~10 cm window spans about ±1. */
  readonly positionScale: number;
}

export const DEFAULT_STUDENT_CONFIG: StudentConfig = { window: 64, gridMetres: 0.01, hidden: 32, embedDim: 16, positionScale: 10 };

/** Added under the square root of the L2 normalisation so an all-zero row stays finite. */
export const NORM_EPSILON = 1e-12;

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type WeightName = 'E1' | 'e1' | 'E2' | 'e2' | 'Q' | 'K' | 'V' | 'O' | 'o' | 'F1' | 'f1' | 'F2' | 'f2';
export type StudentWeights = Record<WeightName, WeightTensor>;

export function weightShapes(c: StudentConfig): Record<WeightName, readonly number[]> {
  const H = c.hidden;
  return {
    E1: [6, H],
    e1: [H],
    E2: [H, H],
    e2: [H],
    Q: [H, H],
    K: [H, H],
    V: [H, H],
    O: [H, H],
    o: [H],
    F1: [H, H],
    f1: [H],
    F2: [H, c.embedDim],
    f2: [c.embedDim],
  };
}

/** Glorot-uniform matrices and zero biases from a seed (deterministic). */
export function initStudentWeights(c: StudentConfig, seed: number): StudentWeights {
  const random = mulberry32(seed);
  const shapes = weightShapes(c);
  const out = {} as Record<WeightName, WeightTensor>;
  for (const name of Object.keys(shapes) as WeightName[]) {
    const shape = shapes[name];
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (shape.length === 2) {
      const limit = Math.sqrt(6 / (shape[0]! + shape[1]!));
      for (let i = 0; i < size; i++) values[i] = (random() * 2 - 1) * limit;
    }
    out[name] = { shape, values };
  }
  return out;
}

export type StudentVariables = Record<WeightName, Tf.Variable>;

export function toVariables(tf: typeof Tf, w: StudentWeights): StudentVariables {
  const out = {} as Record<WeightName, Tf.Variable>;
  for (const name of Object.keys(w) as WeightName[]) out[name] = tf.variable(tf.tensor(w[name].values, [...w[name].shape]), true);
  return out;
}

export function fromVariables(v: StudentVariables): StudentWeights {
  const out = {} as Record<WeightName, WeightTensor>;
  for (const name of Object.keys(v) as WeightName[]) out[name] = { shape: v[name].shape, values: Float32Array.from(v[name].dataSync()) };
  return out;
}

/** [B, W, in] · [in, out] as one 2-D MatMul (tfjs's batched MatMul wants equal ranks). */
function dense(tf: typeof Tf, x: Tf.Tensor3D, weight: Tf.Tensor, bias?: Tf.Tensor): Tf.Tensor3D {
  const [b, w, n] = x.shape;
  const y = tf.matMul(tf.reshape(x, [b * w, n]), weight);
  return tf.reshape(bias ? tf.add(y, bias) : y, [b, w, weight.shape[1]!]);
}

/** Forward pass: positions [B, W, 3] metres, colours [B, W, 3] 0..1 → features [B, W, D]. */
export function studentForward(tf: typeof Tf, v: Record<WeightName, Tf.Tensor>, positions: Tf.Tensor3D, colors: Tf.Tensor3D, c: StudentConfig): Tf.Tensor3D {
  return tf.tidy(() => {
    const rel = tf.mul<Tf.Tensor3D>(tf.sub(positions, tf.mean(positions, 1, true)), c.positionScale);
    const x = tf.concat([rel, colors], 2);
    let h = tf.relu(dense(tf, x, v.E1, v.e1));
    h = tf.relu(dense(tf, h, v.E2, v.e2));
    const q = dense(tf, h, v.Q);
    const k = dense(tf, h, v.K);
    const val = dense(tf, h, v.V);
    const attention = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(c.hidden)));
    h = tf.add(h, dense(tf, tf.matMul(attention, val), v.O, v.o));
    const f = dense(tf, tf.relu(dense(tf, h, v.F1, v.f1)), v.F2, v.f2);
    return tf.div<Tf.Tensor3D>(f, tf.sqrt(tf.add(tf.sum(tf.square(f), 2, true), NORM_EPSILON)));
  });
}
