import { describe, expect, it } from 'vitest';
import { windowPoints } from '../../src/core/models/pointWindows.ts';
import { mulberry32 } from '../../src/core/synth/prng.ts';
import { createOrtSession } from '../../src/infer/ortRuntime.ts';
import { windowSpecOf } from '../../src/infer/localModels.ts';
import { initStudentWeights, type StudentConfig } from './architecture.ts';
import { buildWindowedStudentOnnx } from './exportOnnx.ts';
import { forwardWindows, trainStudent, type TeacherScene } from './trainStudent.ts';

const CONFIG: StudentConfig = { window: 32, gridMetres: 0.02, hidden: 16, embedDim: 8, positionScale: 10 };

/**
 * A scene whose "teacher" feature is a fixed random projection of each point's colour plus its
 * height: learnable from the student's inputs, so a few steps must lower the cosine loss.
 */
function syntheticScene(seed: number, count: number): TeacherScene {
  const random = mulberry32(seed);
  const projection = Float32Array.from({ length: 4 * CONFIG.embedDim }, () => random() * 2 - 1);
  const positions = Float32Array.from({ length: count * 3 }, () => random() * 0.5);
  const colors = Uint8Array.from({ length: count * 3 }, () => Math.floor(random() * 256));
  const features = new Float32Array(count * CONFIG.embedDim);
  for (let i = 0; i < count; i++) {
    const input = [colors[i * 3]! / 255 - 0.5, colors[i * 3 + 1]! / 255 - 0.5, colors[i * 3 + 2]! / 255 - 0.5, positions[i * 3 + 2]! - 0.25];
    for (let d = 0; d < CONFIG.embedDim; d++)
      features[i * CONFIG.embedDim + d] = input.reduce((sum, x, k) => sum + x * projection[k * CONFIG.embedDim + d]!, 0);
  }
  return { name: `synthetic-${seed}`, count, positions, colors, features, dim: CONFIG.embedDim };
}

describe('windowed student: training and ONNX export', () => {
  it('a few training steps lower the cosine loss', async () => {
    const scenes = [syntheticScene(1, 1500), syntheticScene(2, 1200)];
    const { losses } = await trainStudent(scenes, CONFIG, { steps: 40, seed: 3, batchWindows: 8, learningRate: 0.01 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(first).toBeGreaterThan(0);
    expect(last).toBeLessThan(first * 0.8);
  });

  it('the exported ONNX reproduces the tfjs forward pass to 1e-4 (onnxruntime-web WASM)', async () => {
    const weights = initStudentWeights(CONFIG, 11);
    // Non-zero biases, so the export's bias wiring is exercised too.
    const random = mulberry32(5);
    for (const name of ['e1', 'e2', 'o', 'f1', 'f2'] as const) weights[name].values.forEach((_, i, a) => (a[i] = random() - 0.5));
    const scene = syntheticScene(7, 200);
    const windows = windowPoints(scene.positions, scene.colors, scene.count, { size: CONFIG.window, order: 'morton', grid: CONFIG.gridMetres });
    const expected = await forwardWindows(weights, CONFIG, windows.positions, windows.colors, windows.numWindows);
    const session = await createOrtSession(buildWindowedStudentOnnx(CONFIG, weights, 'test'), 'wasm');
    const dims = [windows.numWindows, CONFIG.window, 3];
    const out = await session.run({
      positions: { type: 'float32', data: windows.positions, dims },
      colors: { type: 'float32', data: windows.colors, dims },
    });
    await session.release();
    expect(out.features!.dims).toEqual([windows.numWindows, CONFIG.window, CONFIG.embedDim]);
    let maxDiff = 0;
    expected.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - out.features!.data[i]!))));
    expect(maxDiff).toBeLessThan(1e-4);
    // Rows are unit length (the L2 normalisation is part of the graph).
    const row0 = out.features!.data.subarray(0, CONFIG.embedDim);
    expect(Math.hypot(...row0)).toBeCloseTo(1, 5);
  });

  it('the exported file carries its window spec, so a dropped .onnx is usable without its manifest entry', () => {
    const bytes = buildWindowedStudentOnnx(CONFIG, initStudentWeights(CONFIG, 1), 'test');
    expect(windowSpecOf(bytes)).toEqual({ size: CONFIG.window, order: 'morton', grid: CONFIG.gridMetres });
    expect(windowSpecOf(new TextEncoder().encode('no spec here'))).toBeNull();
  });
});
