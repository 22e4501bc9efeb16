import { describe, expect, it } from 'vitest';
import { pcaProject, pcaToRgbGlobal, pcaToRgbPerChannel, stratifiedSample } from './pca.ts';
import { fixSign, symmetricEigen } from './symmetricEigen.ts';

const { sqrt } = Math;

/** Seeded uniform [0, 1) and standard normal (Box–Muller) streams for synthetic data. */
function streams(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const normal = () => sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Householder reflection H = I − 2wwᵀ/‖w‖²: an orthogonal matrix; column j is axis j. */
function householder(w: readonly number[]): number[][] {
  const n = w.length;
  const ww = w.reduce((s, x) => s + x * x, 0);
  return Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => (i === j ? 1 : 0) - (2 * w[i]! * w[j]!) / ww));
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Points c ± a_j·u_j (2 per axis): mean exactly c, sample covariance exactly
 * Σ_j 2·a_j²·u_j u_jᵀ / (N − 1) with N = 2·axes, so the eigenvalues are 2·a_j² / (N − 1).
 */
function crossData(center: readonly number[], axes: readonly (readonly number[])[], lengths: readonly number[]): Float32Array {
  const dim = center.length;
  const out = new Float32Array(lengths.length * 2 * dim);
  lengths.forEach((a, j) => {
    for (const [k, sign] of [
      [0, 1],
      [1, -1],
    ] as const) {
      for (let d = 0; d < dim; d++) out[(j * 2 + k) * dim + d] = center[d]! + sign * a * axes[j]![d]!;
    }
  });
  return out;
}

describe('symmetricEigen (Jacobi)', () => {
  it('decomposes a known 3×3 matrix', () => {
    // [[4, 1, 0], [1, 4, 0], [0, 0, 1]]: 5 on (1, 1, 0)/√2, 3 on (1, −1, 0)/√2, 1 on (0, 0, 1).
    const { values, vectors } = symmetricEigen(Float64Array.from([4, 1, 0, 1, 4, 0, 0, 0, 1]), 3);
    expect(Array.from(values).map((v) => +v.toFixed(12))).toEqual([5, 3, 1]);
    const expected = [
      [1 / sqrt(2), 1 / sqrt(2), 0],
      [1 / sqrt(2), -1 / sqrt(2), 0],
      [0, 0, 1],
    ];
    for (let j = 0; j < 3; j++) expect(Math.abs(dot(vectors.subarray(j * 3, j * 3 + 3), expected[j]!))).toBeCloseTo(1, 12);
  });
});

describe('fixSign', () => {
  it('makes the largest-magnitude entry positive; near-ties go to the first entry', () => {
    expect(Array.from(fixSign(Float64Array.from([0.1, -0.9, 0.3])))).toEqual([-0.1, 0.9, -0.3]);
    expect(Array.from(fixSign(Float64Array.from([-0.5, 0.5 + 1e-15, 0.5, -0.5])))).toEqual([0.5, -0.5 - 1e-15, -0.5, 0.5]);
  });
});

describe('pcaProject: exact decompositions', () => {
  it('recovers the axes, variances and projections of a 4-D cross (Jacobi path)', () => {
    // Orthonormal axes (rows of a 4×4 Hadamard matrix / 2), lengths 3, 2, 1, 0.5; N = 8.
    const u = [
      [0.5, 0.5, 0.5, 0.5],
      [0.5, -0.5, 0.5, -0.5],
      [0.5, 0.5, -0.5, -0.5],
      [0.5, -0.5, -0.5, 0.5],
    ];
    const a = [3, 2, 1, 0.5];
    const data = crossData([1, 2, 3, 4], u, a);
    const result = pcaProject(data, 4, { components: 3 });
    // Variances 2a²/(N − 1) = 18/7, 8/7, 2/7; total adds 0.5/7.
    expect(result.variances[0]).toBeCloseTo(18 / 7, 9);
    expect(result.variances[1]).toBeCloseTo(8 / 7, 9);
    expect(result.variances[2]).toBeCloseTo(2 / 7, 9);
    expect(result.totalVariance).toBeCloseTo((18 + 8 + 2 + 0.5) / 7, 9);
    expect(result.explainedVarianceRatio[0]).toBeCloseTo(18 / 28.5, 9);
    expect(Array.from(result.mean).map((v) => +v.toFixed(6))).toEqual([1, 2, 3, 4]);
    // Sign convention: all entries tie in magnitude → the first entry is positive: exactly u_j.
    for (let j = 0; j < 3; j++) {
      const axis = result.axes.subarray(j * 4, j * 4 + 4);
      for (let d = 0; d < 4; d++) expect(axis[d]).toBeCloseTo(u[j]![d]!, 6);
    }
    // Point c + a_j·u_j projects to a_j on axis j and 0 elsewhere; c − a_j·u_j to −a_j.
    for (let j = 0; j < 3; j++) {
      for (let c = 0; c < 3; c++) {
        expect(result.projected[j * 2 * 3 + c]).toBeCloseTo(c === j ? a[j]! : 0, 5);
        expect(result.projected[(j * 2 + 1) * 3 + c]).toBeCloseTo(c === j ? -a[j]! : 0, 5);
      }
    }
    expect(result.iterations).toBe(0);
  });

  it('recovers the axes of a 40-D cross with 6 spread axes (subspace iteration path)', () => {
    const dim = 40;
    const { uniform } = streams(7);
    const h = householder(Array.from({ length: dim }, () => uniform() - 0.5));
    const a = [5, 4, 3, 1, 0.5, 0.2];
    const axes = a.map((_, j) => h[j]!);
    const center = Array.from({ length: dim }, (_, d) => d * 0.01);
    const data = crossData(center, axes, a);
    const result = pcaProject(data, dim, { components: 3 });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeGreaterThan(0);
    const nMinus1 = 2 * a.length - 1;
    for (let j = 0; j < 3; j++) {
      expect(result.variances[j]! / ((2 * a[j]! ** 2) / nMinus1)).toBeCloseTo(1, 5);
      const axis = result.axes.subarray(j * dim, (j + 1) * dim);
      expect(Math.abs(dot(axis, axes[j]!))).toBeCloseTo(1, 6);
      // Sign convention holds.
      let best = 0;
      for (let d = 1; d < dim; d++) if (Math.abs(axis[d]!) > Math.abs(axis[best]!)) best = d;
      expect(axis[best]).toBeGreaterThan(0);
      // Projections are ±a_j on axis j, with the sign the convention gives u_j.
      const sign = Math.sign(dot(axis, axes[j]!));
      expect(result.projected[j * 2 * 3 + j]).toBeCloseTo(sign * a[j]!, 4);
    }
  });
});

describe('pcaProject: rotated anisotropic Gaussian', () => {
  function gaussian(n: number, seed: number) {
    // Standard deviations 3, 1, 0.3 along the columns of a rotation (Householder reflection).
    const rot = householder([1, 2, 2]); // w = (1, 2, 2): axes (7, −4, −4)/9, (−4, 1, −8)/9, (−4, −8, 1)/9
    const sd = [3, 1, 0.3];
    const { normal } = streams(seed);
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const z = sd.map((s) => s * normal());
      for (let d = 0; d < 3; d++) data[i * 3 + d] = 10 + z[0]! * rot[0]![d]! + z[1]! * rot[1]![d]! + z[2]! * rot[2]![d]!;
    }
    return { data, rot, variances: sd.map((s) => s * s) };
  }

  it('finds the principal axes and variances within sampling error', () => {
    const { data, rot, variances } = gaussian(20000, 3);
    const result = pcaProject(data, 3, { sampleLimit: 1e6 });
    expect(result.sampleCount).toBe(20000);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(dot(result.axes.subarray(j * 3, j * 3 + 3), rot[j]!))).toBeGreaterThan(0.999);
      expect(Math.abs(result.variances[j]! / variances[j]! - 1)).toBeLessThan(0.04);
    }
    // rot[0] = (7, −4, −4)/9: largest entry positive already, so axis 0 ≈ +rot[0].
    expect(dot(result.axes.subarray(0, 3), rot[0]!)).toBeGreaterThan(0.999);
  });

  it('uses a deterministic subsample when N exceeds the limit and still finds the axes', () => {
    const { data, rot } = gaussian(20000, 4);
    const first = pcaProject(data, 3, { sampleLimit: 2048 });
    const second = pcaProject(data, 3, { sampleLimit: 2048 });
    expect(first.sampleCount).toBe(2048);
    expect(Array.from(first.projected)).toEqual(Array.from(second.projected));
    expect(Math.abs(dot(first.axes.subarray(0, 3), rot[0]!))).toBeGreaterThan(0.998);
    const sample = stratifiedSample(20000, 2048);
    expect(new Set(sample).size).toBe(2048); // one per stratum: no repeats
    expect(Array.from(sample).every((v, i) => v >= Math.floor((i * 20000) / 2048) && v < Math.floor(((i + 1) * 20000) / 2048))).toBe(true);
  });

  it('has a fixed sign: the same axes for negated data, and projections negated', () => {
    const { data } = gaussian(3000, 5);
    const negated = data.map((v) => -v);
    const a = pcaProject(data, 3);
    const b = pcaProject(negated, 3);
    for (let i = 0; i < 9; i++) expect(b.axes[i]).toBeCloseTo(a.axes[i]!, 9);
    for (let i = 0; i < 30; i++) expect(b.projected[i]).toBeCloseTo(-a.projected[i]!, 4);
  });

  it('normaliseRows projects unit-normalised features', () => {
    const data = Float32Array.from([2, 0, 0, 0, 3, 0, 0, 0, 4, 5, 0, 0]);
    const unit = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const a = pcaProject(data, 3, { normaliseRows: true });
    const b = pcaProject(unit, 3);
    for (let i = 0; i < a.projected.length; i++) expect(a.projected[i]).toBeCloseTo(b.projected[i]!, 6);
  });
});

describe('PCA colours', () => {
  // Projections of 2 points: (−1, 0, 1) and (1, 3, −1).
  const projected = Float32Array.from([-1, 0, 1, 1, 3, -1]);

  it('global: one min–max over all three components (DROP-CLIP)', () => {
    // min −1, max 3: (v + 1)/4 · 255.
    const expected = [-1, 0, 1, 1, 3, -1].map((v) => Math.round(((v + 1) / 4) * 255));
    expect(Array.from(pcaToRgbGlobal(projected))).toEqual(expected);
    expect(Array.from(pcaToRgbGlobal(Float32Array.from([2, 2, 2])))).toEqual([128, 128, 128]);
  });

  it('per channel: min–max per component, × 0.8 + 0.2 (SparseDFF)', () => {
    const low = Math.round(0.2 * 255);
    expect(Array.from(pcaToRgbPerChannel(projected))).toEqual([low, low, 255, 255, 255, low]);
    expect(Array.from(pcaToRgbPerChannel(Float32Array.from([0, 5, 1, 1, 5, 2])))).toEqual([low, 153, low, 255, 153, 255]);
  });

  it('rejects arrays that are not [N, 3]', () => {
    expect(() => pcaToRgbGlobal(Float32Array.from([1, 2]))).toThrow(/\[N, 3\]/);
  });
});
