/**
 * Small dense symmetric eigen-solvers for pca.ts.
 *
 * - `symmetricEigen`: cyclic Jacobi on a full symmetric n×n matrix (exact; used directly for
 *   D ≤ 16 and for the b×b Rayleigh–Ritz matrices below).
 * - `topEigenSubspace`: top-k eigenpairs of a large symmetric D×D matrix by block subspace
 *   iteration with Rayleigh–Ritz (block of b = 2k + 4 vectors), see pca.ts's module doc.
 * - `fixSign`: the sign convention (largest-magnitude entry positive, first on ties).
 *
 * Invariants: inputs are row-major and not modified; eigenvalues are returned descending; the
 * start vectors come from a fixed-seed generator, so results are deterministic on every run and
 * engine. Pure arithmetic, no allocation beyond the returned arrays and per-call scratch.
 */

import { mulberry32 } from '../synth/prng.ts';

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as ROWS of an n×n row-major matrix, in the order of `values`, unit length. */
  readonly vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric n×n row-major matrix by the cyclic Jacobi method (rotations
 * until the off-diagonal mass is below 1e-30 of the total, at most 100 sweeps). `matrix` is not
 * modified. Vectors are NOT sign-normalised here.
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: ${matrix.length} entries for a ${n}×${n} matrix`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Pᵀ A P with P the rotation in the (p, q) plane: columns, then rows.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        // V ← V P (eigenvectors accumulate as columns of V).
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]! || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = a[col * n + col]!;
    for (let k = 0; k < n; k++) vectors[row * n + k] = v[k * n + col]!;
  });
  return { values, vectors };
}

/**
 * Flips `vector` (in place) so that its largest-magnitude entry is positive. Entries within a
 * relative 1e-9 of the largest magnitude count as tied (rounding must not decide), and the first
 * of them decides. Returns it.
 */
export function fixSign(vector: Float64Array | Float32Array): Float64Array | Float32Array {
  let maxAbs = 0;
  for (let i = 0; i < vector.length; i++) maxAbs = Math.max(maxAbs, Math.abs(vector[i]!));
  const cut = maxAbs * (1 - 1e-9);
  for (let i = 0; i < vector.length; i++) {
    if (Math.abs(vector[i]!) >= cut) {
      if (vector[i]! < 0) for (let k = 0; k < vector.length; k++) vector[k] = -vector[k]!;
      break;
    }
  }
  return vector;
}

// ---------------------------------------------------------------------------------------------
// Top-k eigenpairs by block subspace iteration
// ---------------------------------------------------------------------------------------------

/** Z = C·Q for C [D, D] and Q [D, b] row-major. */
function multiply(c: Float64Array, q: Float64Array, dim: number, b: number, z: Float64Array): void {
  z.fill(0);
  for (let i = 0; i < dim; i++) {
    const zi = i * b;
    const ci = i * dim;
    for (let d = 0; d < dim; d++) {
      const cid = c[ci + d]!;
      if (cid === 0) continue;
      const qd = d * b;
      for (let j = 0; j < b; j++) z[zi + j] = z[zi + j]! + cid * q[qd + j]!;
    }
  }
}

/**
 * Orthonormalises the b columns of Q [D, b] in place (modified Gram–Schmidt, twice). A column that
 * collapses (C of rank < b) is replaced by a fresh deterministic vector and orthogonalised again.
 */
function orthonormalise(q: Float64Array, dim: number, b: number, random: () => number): void {
  for (let j = 0; j < b; j++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      let before = 0;
      for (let d = 0; d < dim; d++) before += q[d * b + j]! ** 2;
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < j; k++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += q[d * b + j]! * q[d * b + k]!;
          for (let d = 0; d < dim; d++) q[d * b + j] = q[d * b + j]! - dot * q[d * b + k]!;
        }
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += q[d * b + j]! ** 2;
      if (norm > 1e-24 * Math.max(before, 1e-300) && norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let d = 0; d < dim; d++) q[d * b + j] = q[d * b + j]! * inv;
        break;
      }
      for (let d = 0; d < dim; d++) q[d * b + j] = random() - 0.5;
    }
  }
}

export interface TopEigen {
  readonly values: Float64Array;
  /** [k, D] rows. */
  readonly vectors: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Top-k eigenpairs of the symmetric D×D matrix `c` by block subspace iteration with Rayleigh–Ritz,
 * until every top-k Ritz pair has residual ≤ `tolerance` · λ₁ or `maxIterations` is reached.
 * Vectors are NOT sign-normalised here.
 */
export function topEigenSubspace(c: Float64Array, dim: number, k: number, maxIterations: number, tolerance: number): TopEigen {
  const b = Math.min(dim, 2 * k + 4);
  const random = mulberry32(0x0dd_ba11);
  const q = new Float64Array(dim * b);
  for (let i = 0; i < q.length; i++) q[i] = random() - 0.5;
  orthonormalise(q, dim, b, random);
  const z = new Float64Array(dim * b);
  const h = new Float64Array(b * b);
  const u = new Float64Array(dim * b);
  const cu = new Float64Array(dim * b);
  let values = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations;) {
    iterations++;
    multiply(c, q, dim, b, z);
    for (let i = 0; i < b; i++) {
      for (let j = i; j < b; j++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += q[d * b + i]! * z[d * b + j]!;
        h[i * b + j] = s;
        h[j * b + i] = s;
      }
    }
    // Symmetrise (Qᵀ C Q is symmetric up to rounding).
    for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) h[i * b + j] = h[j * b + i] = 0.5 * (h[i * b + j]! + h[j * b + i]!);
    const eig = symmetricEigen(h, b);
    // Ritz vectors U = Q·V and C·U = Z·V (V's columns are eig.vectors' rows).
    u.fill(0);
    cu.fill(0);
    for (let d = 0; d < dim; d++) {
      for (let j = 0; j < b; j++) {
        let su = 0;
        let sz = 0;
        for (let m = 0; m < b; m++) {
          const vm = eig.vectors[j * b + m]!;
          su += q[d * b + m]! * vm;
          sz += z[d * b + m]! * vm;
        }
        u[d * b + j] = su;
        cu[d * b + j] = sz;
      }
    }
    values = eig.values.slice(0, k);
    const scale = Math.max(Math.abs(eig.values[0]!), 1e-300);
    let worst = 0;
    for (let j = 0; j < k; j++) {
      let r = 0;
      for (let d = 0; d < dim; d++) r += (cu[d * b + j]! - eig.values[j]! * u[d * b + j]!) ** 2;
      worst = Math.max(worst, Math.sqrt(r) / scale);
    }
    if (worst <= tolerance || eig.values[0]! === 0) {
      converged = true;
      break;
    }
    q.set(cu);
    orthonormalise(q, dim, b, random);
  }
  const vectors = new Float64Array(k * dim);
  for (let j = 0; j < k; j++) for (let d = 0; d < dim; d++) vectors[j * dim + d] = u[d * b + j]!;
  return { values, vectors, iterations, converged };
}
