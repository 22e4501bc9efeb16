/**
 * Writes a trained windowed student as ONNX (opset 17) with the repo's graph builder, op for op the
 * forward pass of architecture.ts, and the manifest entry that describes it (models/README.md).
 *
 *   positions float32 [windows, W, 3] (metres, world frame, Morton-windowed)
 *   colors    float32 [windows, W, 3] (rgb 0..1, same windows)
 *   → features float32 [windows, W, D] (L2-normalised)
 */
import { createHash } from 'node:crypto';
import type { ModelEntry } from '../../src/core/models/manifest.ts';
import { GraphBuilder, type ValueSpec } from '../build/onnxGraph.ts';
import { NORM_EPSILON, type StudentConfig, type StudentWeights, type WeightName } from './architecture.ts';

export function studentSignature(c: StudentConfig): { inputs: ValueSpec[]; outputs: ValueSpec[] } {
  return {
    inputs: [
      { name: 'positions', type: 'float32', shape: ['windows', c.window, 3] },
      { name: 'colors', type: 'float32', shape: ['windows', c.window, 3] },
    ],
    outputs: [{ name: 'features', type: 'float32', shape: ['windows', c.window, c.embedDim] }],
  };
}

/** Read back by src/infer/localModels.ts (windowSpecOf). */
export const windowDocString = (c: StudentConfig): string => `fieldlens-windows size=${c.window} order=morton grid=${c.gridMetres}`;

export function buildWindowedStudentOnnx(c: StudentConfig, w: StudentWeights, description: string): Uint8Array {
  const g = new GraphBuilder();
  const weight = (name: WeightName) => g.constant(name, 'float32', w[name].shape, w[name].values);
  const scalar = (name: string, value: number) => g.constant(name, 'float32', [1], [value]);
  const dense = (x: string, m: WeightName, b?: WeightName) => {
    const y = g.node('MatMul', [x, weight(m)]);
    return b ? g.node('Add', [y, weight(b)]) : y;
  };

  const centre = g.node('ReduceMean', ['positions'], { axes: [1], keepdims: 1 }); // [B, 1, 3]
  const rel = g.node('Mul', [g.node('Sub', ['positions', centre]), scalar('position_scale', c.positionScale)]);
  const x = g.node('Concat', [rel, 'colors'], { axis: 2 }); // [B, W, 6]
  let h = g.node('Relu', [dense(x, 'E1', 'e1')]);
  h = g.node('Relu', [dense(h, 'E2', 'e2')]);
  const q = dense(h, 'Q');
  const k = dense(h, 'K');
  const v = dense(h, 'V');
  const scores = g.node('Mul', [g.node('MatMul', [q, g.node('Transpose', [k], { perm: [0, 2, 1] })]), scalar('attention_scale', 1 / Math.sqrt(c.hidden))]);
  const attention = g.node('Softmax', [scores], { axis: -1 }); // [B, W, W]
  h = g.node('Add', [h, dense(g.node('MatMul', [attention, v]), 'O', 'o')]);
  const f = dense(g.node('Relu', [dense(h, 'F1', 'f1')]), 'F2', 'f2');
  const norm = g.node('Sqrt', [g.node('Add', [g.node('ReduceSumSquare', [f], { axes: [-1], keepdims: 1 }), scalar('norm_epsilon', NORM_EPSILON)])]);
  g.node('Div', [f, norm], {}, ['features']);
  const { inputs, outputs } = studentSignature(c);
  // The window spec travels in the doc string too, so a dropped .onnx is usable without its manifest entry.
  return g.build('fieldlens_windowed_student3d', inputs, outputs, `${description}\n${windowDocString(c)}`);
}

/** The manifest entry of an exported student; `file` is relative to models/manifest.json. */
export function studentManifestEntry(o: {
  id: string;
  file: string;
  bytes: Uint8Array;
  config: StudentConfig;
  space: string;
  description: string;
}): ModelEntry {
  const { inputs, outputs } = studentSignature(o.config);
  const signature = (specs: readonly ValueSpec[]) => specs.map((s) => ({ name: s.name, dtype: s.type, shape: [...s.shape] }));
  return {
    id: o.id,
    kind: 'student3d',
    file: o.file,
    sha256: createHash('sha256').update(o.bytes).digest('hex'),
    bytes: o.bytes.length,
    inputs: signature(inputs),
    outputs: signature(outputs),
    embeddingDim: o.config.embedDim,
    space: o.space,
    license: 'MIT — trained by models/student/train.ts',
    description: o.description,
    preprocess: { positions: 'world-metres', colors: 'rgb-0-1', windows: { size: o.config.window, order: 'morton', grid: o.config.gridMetres } },
  };
}
