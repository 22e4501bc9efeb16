/**
 * The text matrix and the per-point kernels behind formulas.ts (and segmentation.ts): K text
 * embeddings packed as a [D, K] `TextMatrix` in column blocks, and one fixed-width mat-vec per point
 * against it (`pointSimilaritiesInto`: cosines, with the squared feature norm accumulated in the
 * first block's sweep; `pointDotsInto`: raw dots for callers holding cached inverse norms).
 *
 * Invariants: nothing is allocated per point (callers reuse `similarityScratch`); output slots
 * [count, paddedCount) are padding; a zero feature gives cosines 0, a non-finite one NaN.
 * The kernels below are deliberately hand-unrolled per block width (one accumulator per column,
 * several over d for narrow blocks) for speed — do not fold them into a generic loop; measured in
 * src/bench/relevancy.bench.ts.
 */

import { l2Normalize } from './relevancy.ts';

/**
 * K L2-normalised text embeddings packed as a [D, K] matrix, split into column blocks, each block
 * stored [D][width] so the kernel reads one feature value and `width` text values per step and
 * keeps one accumulator per column. The first block holds min(K, 5) columns and its sweep also
 * accumulates the squared feature norm (so 1 query + 4 canonical negatives is a single sweep);
 * the rest are blocks of 4, a last block of 3 being zero-padded to 4. Later sweeps re-read the
 * row from L1.
 */
export interface TextMatrix {
  readonly dim: number;
  /** Number of real (unpadded) columns. */
  readonly count: number;
  /** Column offset of each block in the output. */
  readonly offsets: readonly number[];
  readonly widths: readonly number[];
  readonly blocks: readonly Float64Array[];
  /** Total columns including padding: the size `pointSimilaritiesInto` writes. */
  readonly paddedCount: number;
}

const FIRST_BLOCK = 5;
const BLOCK = 4;

/** Packs `texts` (each [dim], normalised here; a zero vector stays zero) into a `TextMatrix`. */
export function buildTextMatrix(texts: readonly Float32Array[], dim: number): TextMatrix {
  if (texts.length === 0) throw new Error('relevancy: at least one text embedding is needed');
  for (const t of texts) {
    if (t.length !== dim) throw new Error(`relevancy: text embedding has ${t.length} dimensions, features have ${dim}`);
  }
  const normalised = texts.map((t) => l2Normalize(t));
  const offsets: number[] = [];
  const widths: number[] = [];
  const blocks: Float64Array[] = [];
  let start = 0;
  while (start < normalised.length) {
    const real = Math.min(normalised.length - start, start === 0 ? FIRST_BLOCK : BLOCK);
    const width = start > 0 && real === 3 ? 4 : real;
    const block = new Float64Array(dim * width);
    for (let c = 0; c < real; c++) {
      const t = normalised[start + c]!;
      for (let d = 0; d < dim; d++) block[d * width + c] = t[d]!;
    }
    offsets.push(start);
    widths.push(width);
    blocks.push(block);
    start += real;
  }
  const last = offsets.length - 1;
  return { dim, count: normalised.length, offsets, widths, blocks, paddedCount: offsets[last]! + widths[last]! };
}

/** Scratch for `pointSimilaritiesInto` sized for `m`. */
export function similarityScratch(m: TextMatrix): Float64Array {
  return new Float64Array(m.paddedCount);
}

/**
 * Cosines of point `point` to every column of `m`, written to `out[0..count)` (`out` must hold
 * `m.paddedCount` entries; see `similarityScratch`). Returns the point's squared feature norm.
 * A zero feature gives cosines 0 (a non-finite one NaN). The norm is accumulated in the same
 * sweep as the first block of dot products.
 */
export function pointSimilaritiesInto(features: Float32Array, point: number, m: TextMatrix, out: Float64Array): number {
  const dim = m.dim;
  const base = point * dim;
  const blocks = m.blocks;
  let sq: number;
  switch (m.widths[0]) {
    case 1:
      sq = normDot1(features, base, dim, blocks[0]!, out);
      break;
    case 2:
      sq = normDot2(features, base, dim, blocks[0]!, out);
      break;
    case 3:
      sq = normDot3(features, base, dim, blocks[0]!, out);
      break;
    case 4:
      sq = normDot4(features, base, dim, blocks[0]!, out);
      break;
    default:
      sq = normDot5(features, base, dim, blocks[0]!, out);
  }
  for (let b = 1; b < blocks.length; b++) {
    const w = m.widths[b]!;
    if (w === 4) dot4(features, base, dim, blocks[b]!, out, m.offsets[b]!);
    else if (w === 2) dot2(features, base, dim, blocks[b]!, out, m.offsets[b]!);
    else dot1(features, base, dim, blocks[b]!, out, m.offsets[b]!);
  }
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  const total = m.paddedCount;
  for (let k = 0; k < total; k++) out[k] = out[k]! * inv;
  return sq;
}

/**
 * Raw dot products f·t_k (no normalisation) of point `point` with every column of `m`, written to
 * `out[0..count)` (`out` holds `m.paddedCount`). For callers holding cached inverse norms (see
 * `inverseNorms`): the per-query pass then skips the norm accumulation.
 */
export function pointDotsInto(features: Float32Array, point: number, m: TextMatrix, out: Float64Array): void {
  const dim = m.dim;
  const base = point * dim;
  const blocks = m.blocks;
  for (let b = 0; b < blocks.length; b++) {
    const o = m.offsets[b]!;
    switch (m.widths[b]) {
      case 1:
        dot1(features, base, dim, blocks[b]!, out, o);
        break;
      case 2:
        dot2(features, base, dim, blocks[b]!, out, o);
        break;
      case 3:
        dot3(features, base, dim, blocks[b]!, out, o);
        break;
      case 4:
        dot4(features, base, dim, blocks[b]!, out, o);
        break;
      default:
        dot5(features, base, dim, blocks[b]!, out, o);
    }
  }
}

// The kernels: fixed-width, one accumulator per column (plus the norm), unrolled over d where
// there are too few columns to hide the add latency. Measured in src/bench/relevancy.bench.ts.

function normDot1(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array): number {
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const end = dim - (dim & 3);
  let d = 0;
  for (; d < end; d += 4) {
    const f0 = f[base + d]!;
    const f1 = f[base + d + 1]!;
    const f2 = f[base + d + 2]!;
    const f3 = f[base + d + 3]!;
    n0 += f0 * f0;
    n1 += f1 * f1;
    n2 += f2 * f2;
    n3 += f3 * f3;
    a0 += f0 * t[d]!;
    a1 += f1 * t[d + 1]!;
    a2 += f2 * t[d + 2]!;
    a3 += f3 * t[d + 3]!;
  }
  for (; d < dim; d++) {
    const x = f[base + d]!;
    n0 += x * x;
    a0 += x * t[d]!;
  }
  out[0] = a0 + a1 + a2 + a3;
  return n0 + n1 + n2 + n3;
}

function normDot2(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array): number {
  let n0 = 0;
  let n1 = 0;
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  const end = dim - (dim & 1);
  let d = 0;
  for (; d < end; d += 2) {
    const x = f[base + d]!;
    const y = f[base + d + 1]!;
    const j = d * 2;
    n0 += x * x;
    n1 += y * y;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    b0 += y * t[j + 2]!;
    b1 += y * t[j + 3]!;
  }
  if (d < dim) {
    const x = f[base + d]!;
    n0 += x * x;
    a0 += x * t[d * 2]!;
    a1 += x * t[d * 2 + 1]!;
  }
  out[0] = a0 + b0;
  out[1] = a1 + b1;
  return n0 + n1;
}

function normDot3(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array): number {
  let n = 0;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 3) {
    const x = f[base + d]!;
    n += x * x;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  return n;
}

function normDot4(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array): number {
  let n = 0;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 4) {
    const x = f[base + d]!;
    n += x * x;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
    a3 += x * t[j + 3]!;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  return n;
}

function normDot5(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array): number {
  let n = 0;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 5) {
    const x = f[base + d]!;
    n += x * x;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
    a3 += x * t[j + 3]!;
    a4 += x * t[j + 4]!;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = a4;
  return n;
}

function dot1(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array, o: number): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const end = dim - (dim & 3);
  let d = 0;
  for (; d < end; d += 4) {
    a0 += f[base + d]! * t[d]!;
    a1 += f[base + d + 1]! * t[d + 1]!;
    a2 += f[base + d + 2]! * t[d + 2]!;
    a3 += f[base + d + 3]! * t[d + 3]!;
  }
  for (; d < dim; d++) a0 += f[base + d]! * t[d]!;
  out[o] = a0 + a1 + a2 + a3;
}

function dot2(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array, o: number): void {
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  const end = dim - (dim & 1);
  let d = 0;
  for (; d < end; d += 2) {
    const x = f[base + d]!;
    const y = f[base + d + 1]!;
    const j = d * 2;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    b0 += y * t[j + 2]!;
    b1 += y * t[j + 3]!;
  }
  if (d < dim) {
    const x = f[base + d]!;
    a0 += x * t[d * 2]!;
    a1 += x * t[d * 2 + 1]!;
  }
  out[o] = a0 + b0;
  out[o + 1] = a1 + b1;
}

function dot4(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array, o: number): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 4) {
    const x = f[base + d]!;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
    a3 += x * t[j + 3]!;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
}

function dot3(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array, o: number): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 3) {
    const x = f[base + d]!;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
}

function dot5(f: Float32Array, base: number, dim: number, t: Float64Array, out: Float64Array, o: number): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  for (let d = 0, j = 0; d < dim; d++, j += 5) {
    const x = f[base + d]!;
    a0 += x * t[j]!;
    a1 += x * t[j + 1]!;
    a2 += x * t[j + 2]!;
    a3 += x * t[j + 3]!;
    a4 += x * t[j + 4]!;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
  out[o + 4] = a4;
}
