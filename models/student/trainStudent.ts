/**
 * Distillation of the windowed student (architecture.ts) onto teacher features with a cosine loss:
 * loss = 1 − mean over points of cos(student(p), teacher(p)). Each scene is windowed once with the
 * app's own pre-processing (pointWindows.ts); a step draws a seeded random batch of windows.
 */
import { windowPoints, type WindowedPoints } from '../../src/core/models/pointWindows.ts';
import { mulberry32 } from '../../src/core/synth/prng.ts';
import { fromVariables, initStudentWeights, studentForward, toVariables, type StudentConfig, type StudentWeights } from './architecture.ts';
import { tf, tfReady } from './tfjsSetup.ts';

/** One training scene: points with colours and the teacher's per-point features. */
export interface TeacherScene {
  readonly name: string;
  readonly count: number;
  /** xyz metres, 3·count. */
  readonly positions: Float32Array;
  /** rgb 0..255, 3·count. */
  readonly colors: Uint8Array;
  /** [count, dim] teacher features (normalised here, so any scale is fine). */
  readonly features: Float32Array;
  readonly dim: number;
}

export interface TrainOptions {
  readonly steps: number;
  readonly seed: number;
  /** Windows per step. */
  readonly batchWindows: number;
  readonly learningRate: number;
  readonly onStep?: (step: number, loss: number) => void;
}

export interface TrainResult {
  readonly weights: StudentWeights;
  /** Loss per step (before that step's update). */
  readonly losses: number[];
}

interface WindowedScene {
  readonly windows: WindowedPoints;
  /** Teacher rows per slot, [numWindows·W, dim], L2-normalised. */
  readonly targets: Float32Array;
  /** Loss weight per slot: 1/√(points sharing its teacher feature), 0 for padding and zero rows. */
  readonly weights: Float32Array;
  /** Mean slot weight per window: windows are drawn in proportion to it. */
  readonly windowWeights: Float32Array;
}

/**
 * The object-centric teacher gives every point of an object the same feature, so the floor and the
 * table outnumber a dice by ~100:1. Weighting each point by 1/√(count of its feature vector) and
 * drawing windows by their mean weight keeps small objects in the loss.
 */
function balanceWeights(
  targets: Float32Array,
  dim: number,
  count: number,
  slots: number,
  windowSize: number,
): { weights: Float32Array; windowWeights: Float32Array } {
  const key = (s: number) => Array.from(targets.subarray(s * dim, s * dim + dim), (v) => v.toFixed(3)).join(',');
  const counts = new Map<string, number>();
  for (let s = 0; s < count; s++) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  const weights = new Float32Array(slots);
  for (let s = 0; s < count; s++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += targets[s * dim + d]! ** 2;
    weights[s] = norm > 0 ? 1 / Math.sqrt(counts.get(key(s))!) : 0;
  }
  const windowWeights = new Float32Array(slots / windowSize);
  for (let w = 0; w < windowWeights.length; w++) {
    let sum = 0;
    for (let r = 0; r < windowSize; r++) sum += weights[w * windowSize + r]!;
    windowWeights[w] = sum / windowSize;
  }
  return { weights, windowWeights };
}

function windowScene(scene: TeacherScene, c: StudentConfig): WindowedScene {
  if (scene.dim !== c.embedDim) throw new Error(`${scene.name}: teacher features are ${scene.dim}-d, the student is ${c.embedDim}-d`);
  const windows = windowPoints(scene.positions, scene.colors, scene.count, { size: c.window, order: 'morton', grid: c.gridMetres });
  const D = c.embedDim;
  const targets = new Float32Array(windows.order.length * D);
  windows.order.forEach((i, s) => {
    let norm = 0;
    for (let d = 0; d < D; d++) norm += scene.features[i * D + d]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < D; d++) targets[s * D + d] = scene.features[i * D + d]! * inv;
  });
  return { windows, targets, ...balanceWeights(targets, D, scene.count, windows.order.length, c.window) };
}

/** Trains from `initStudentWeights(config, seed)`; deterministic for a given seed and data. */
export async function trainStudent(scenes: readonly TeacherScene[], c: StudentConfig, o: TrainOptions): Promise<TrainResult> {
  await tfReady();
  const windowed = scenes.map((s) => windowScene(s, c)).filter((s) => s.windows.numWindows > 0);
  const all = windowed.flatMap((s) => Array.from({ length: s.windows.numWindows }, (_, w) => ({ scene: s, w, weight: s.windowWeights[w]! })));
  if (all.length === 0) throw new Error('train: no points in the training scenes');
  // Cumulative window weights, for drawing windows in proportion to their weight.
  const cumulative = new Float64Array(all.length);
  all.forEach((entry, i) => (cumulative[i] = (i > 0 ? cumulative[i - 1]! : 0) + entry.weight));
  const total = cumulative[all.length - 1]!;
  if (!(total > 0)) throw new Error('train: every teacher feature is zero');
  const draw = () => {
    const target = random() * total;
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return all[lo]!;
  };
  const W = c.window;
  const D = c.embedDim;
  const random = mulberry32(o.seed ^ 0x5eed);
  const variables = toVariables(tf, initStudentWeights(c, o.seed));
  const optimizer = tf.train.adam(o.learningRate);
  const losses: number[] = [];
  for (let step = 0; step < o.steps; step++) {
    const B = Math.min(o.batchWindows, all.length);
    const pos = new Float32Array(B * W * 3);
    const col = new Float32Array(B * W * 3);
    const target = new Float32Array(B * W * D);
    const weight = new Float32Array(B * W);
    for (let b = 0; b < B; b++) {
      const { scene, w } = draw();
      weight.set(scene.weights.subarray(w * W, (w + 1) * W), b * W);
      pos.set(scene.windows.positions.subarray(w * W * 3, (w + 1) * W * 3), b * W * 3);
      col.set(scene.windows.colors.subarray(w * W * 3, (w + 1) * W * 3), b * W * 3);
      target.set(scene.targets.subarray(w * W * D, (w + 1) * W * D), b * W * D);
    }
    const p = tf.tensor3d(pos, [B, W, 3]);
    const k = tf.tensor3d(col, [B, W, 3]);
    const t = tf.tensor3d(target, [B, W, D]);
    let weightSum = 0;
    for (const x of weight) weightSum += x;
    // Weighted mean of (1 − cos) over the batch's points; weights sum to 1.
    const wt = tf.tensor2d(
      weight.map((x) => x / Math.max(weightSum, 1e-12)),
      [B, W],
    );
    const cost = optimizer.minimize(() => tf.sub<tf.Scalar>(1, tf.sum(tf.mul(tf.sum(tf.mul(studentForward(tf, variables, p, k, c), t), 2), wt))), true);
    tf.dispose([p, k, t, wt]);
    const loss = cost!.dataSync()[0]!;
    cost!.dispose();
    losses.push(loss);
    o.onStep?.(step, loss);
  }
  const weights = fromVariables(variables);
  optimizer.dispose();
  for (const v of Object.values(variables)) v.dispose();
  return { weights, losses };
}

/** The tfjs forward pass on already windowed inputs (tests compare the ONNX export to it). */
export async function forwardWindows(
  weights: StudentWeights,
  c: StudentConfig,
  positions: Float32Array,
  colors: Float32Array,
  numWindows: number,
): Promise<Float32Array> {
  await tfReady();
  const variables = toVariables(tf, weights);
  const out = tf.tidy(() =>
    studentForward(tf, variables, tf.tensor3d(positions, [numWindows, c.window, 3]), tf.tensor3d(colors, [numWindows, c.window, 3]), c),
  );
  const values = Float32Array.from(out.dataSync());
  out.dispose();
  for (const v of Object.values(variables)) v.dispose();
  return values;
}
