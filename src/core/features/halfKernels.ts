/**
 * Fused fp16 kernels: the dot products of one binary16 row with every column of a text matrix
 * (core/query/textMatrixKernels.ts), decoding each half through the 65 536-entry table (256 KiB,
 * stays in L2) in the same sweep that multiplies it — no decoded row is ever written. The same
 * sweep sums the row's squares, so the cosines need no stored norms (the store holds the halves
 * only: 1 KiB per point at 512-d): this is the whole per-point work of every relevancy formula, and
 * a query reads the stored bytes once.
 *
 * Two halves are read per 32-bit load when the row is 4-byte aligned (an even dimension and an
 * aligned buffer, the common case); `halfDotsInto` falls back to 16-bit loads otherwise.
 * Measured against one plain pass over the stored bytes in src/bench/features.bench.ts.
 */
import type { TextMatrix } from '../query/textMatrixKernels.ts';
import type { PointCosines } from '../query/formulas.ts';
import { halfTable } from './float16.ts';
import type { HalfFeatures } from './featureStores.ts';

/**
 * `PointCosines` of an fp16 store: raw dots from the halves, scaled by the inverse norm of the row
 * summed in the same sweep. A zero row gives cosines 0, a non-finite one NaN, as the float32
 * kernels (formulas.ts `inverseNorms`) do.
 */
export function halfCosines(store: HalfFeatures): PointCosines {
  return (matrix, s) => {
    const dot = halfDotKernel(store, matrix);
    const columns = matrix.paddedCount;
    return (i) => {
      const squares = dot(i, s);
      const inv = squares > 0 ? 1 / Math.sqrt(squares) : squares === 0 ? 0 : NaN;
      for (let k = 0; k < columns; k++) s[k] = s[k]! * inv;
    };
  };
}

/** Writes the dots of row `point` into `out` and returns the sum of the row's squares. */
type RowDot = (point: number, out: Float64Array) => number;

/**
 * Raw dot products of row `point` with every column of `m`, into `out[0..m.paddedCount)`; returns
 * the row's sum of squares (from the first column block's sweep).
 */
export function halfDotKernel(store: HalfFeatures, m: TextMatrix): RowDot {
  const table = halfTable();
  const dim = store.dim;
  const halves = store.halves;
  const paired = dim % 2 === 0 && halves.byteOffset % 4 === 0;
  const words = paired ? new Uint32Array(halves.buffer, halves.byteOffset, halves.length >>> 1) : null;
  const kernels = m.blocks.map((block, b) => {
    const width = m.widths[b]!;
    const offset = m.offsets[b]!;
    if (words && width === 1) return (point: number, out: Float64Array) => pairDot1(words, (point * dim) >>> 1, dim >>> 1, table, block, out, offset);
    if (words && width === 4) return (point: number, out: Float64Array) => pairDot4(words, (point * dim) >>> 1, dim >>> 1, table, block, out, offset);
    if (words && width === 5)
      return twoRows(store.pointCount, (point, out, next) => pairDot5x2(words, (point * dim) >>> 1, dim >>> 1, table, block, out, next, offset), 5, offset);
    return (point: number, out: Float64Array) => dotN(halves, point * dim, dim, width, table, block, out, offset);
  });
  if (kernels.length === 1) return kernels[0]!;
  return (point, out) => {
    const squares = kernels[0]!(point, out);
    for (let k = 1; k < kernels.length; k++) kernels[k]!(point, out);
    return squares;
  };
}

/**
 * A kernel over two rows at once (each text value loaded once for both) behind the one-row
 * interface: points are asked for in order, so row i + 1's result is kept until it is asked for.
 */
function twoRows(count: number, pair: (point: number, out: Float64Array, next: Float64Array | null) => number, width: number, offset: number): RowDot {
  // kept[offset + width] holds the kept row's sum of squares.
  const kept = new Float64Array(offset + width + 1);
  let keptPoint = -1;
  return (point, out) => {
    if (point === keptPoint) {
      for (let c = offset; c < offset + width; c++) out[c] = kept[c]!;
      return kept[offset + width]!;
    }
    const hasNext = point + 1 < count;
    const squares = pair(point, out, hasNext ? kept : null);
    keptPoint = hasNext ? point + 1 : -1;
    return squares;
  };
}

// The kernels: word w holds halves 2j (low 16 bits, little endian) and 2j + 1 (high); text block
// values are [d][width]. One accumulator per column, and one (q) for the row's squares; the
// 1-column kernel keeps two per half of a word to hide the add latency. Each returns the squares.

function pairDot1(words: Uint32Array, first: number, pairs: number, table: Float32Array, t: Float64Array, out: Float64Array, o: number): number {
  let a0 = 0;
  let a1 = 0;
  let q0 = 0;
  let q1 = 0;
  for (let j = 0; j < pairs; j++) {
    const w = words[first + j]!;
    const x = table[w & 0xffff]!;
    const y = table[w >>> 16]!;
    a0 += x * t[2 * j]!;
    a1 += y * t[2 * j + 1]!;
    q0 += x * x;
    q1 += y * y;
  }
  out[o] = a0 + a1;
  return q0 + q1;
}

function pairDot4(words: Uint32Array, first: number, pairs: number, table: Float32Array, t: Float64Array, out: Float64Array, o: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let q = 0;
  for (let j = 0, k = 0; j < pairs; j++, k += 8) {
    const w = words[first + j]!;
    const x = table[w & 0xffff]!;
    const y = table[w >>> 16]!;
    a0 += x * t[k]! + y * t[k + 4]!;
    a1 += x * t[k + 1]! + y * t[k + 5]!;
    a2 += x * t[k + 2]! + y * t[k + 6]!;
    a3 += x * t[k + 3]! + y * t[k + 7]!;
    q += x * x + y * y;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
  return q;
}

function pairDot5(words: Uint32Array, first: number, pairs: number, table: Float32Array, t: Float64Array, out: Float64Array, o: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let q = 0;
  for (let j = 0, k = 0; j < pairs; j++, k += 10) {
    const w = words[first + j]!;
    const x = table[w & 0xffff]!;
    const y = table[w >>> 16]!;
    q += x * x + y * y;
    a0 += x * t[k]! + y * t[k + 5]!;
    a1 += x * t[k + 1]! + y * t[k + 6]!;
    a2 += x * t[k + 2]! + y * t[k + 7]!;
    a3 += x * t[k + 3]! + y * t[k + 8]!;
    a4 += x * t[k + 4]! + y * t[k + 9]!;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
  out[o + 4] = a4;
  return q;
}

function pairDot5x2(
  words: Uint32Array,
  first: number,
  pairs: number,
  table: Float32Array,
  t: Float64Array,
  out: Float64Array,
  next: Float64Array | null,
  o: number,
): number {
  if (!next) return pairDot5(words, first, pairs, table, t, out, o);
  let qa = 0;
  let qb = 0;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  const second = first + pairs;
  for (let j = 0, k = 0; j < pairs; j++, k += 10) {
    const w = words[first + j]!;
    const v = words[second + j]!;
    const x = table[w & 0xffff]!;
    const y = table[w >>> 16]!;
    const u = table[v & 0xffff]!;
    const z = table[v >>> 16]!;
    qa += x * x + y * y;
    qb += u * u + z * z;
    const t0 = t[k]!;
    const t5 = t[k + 5]!;
    a0 += x * t0 + y * t5;
    b0 += u * t0 + z * t5;
    const t1 = t[k + 1]!;
    const t6 = t[k + 6]!;
    a1 += x * t1 + y * t6;
    b1 += u * t1 + z * t6;
    const t2 = t[k + 2]!;
    const t7 = t[k + 7]!;
    a2 += x * t2 + y * t7;
    b2 += u * t2 + z * t7;
    const t3 = t[k + 3]!;
    const t8 = t[k + 8]!;
    a3 += x * t3 + y * t8;
    b3 += u * t3 + z * t8;
    const t4 = t[k + 4]!;
    const t9 = t[k + 9]!;
    a4 += x * t4 + y * t9;
    b4 += u * t4 + z * t9;
  }
  out[o] = a0;
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + 3] = a3;
  out[o + 4] = a4;
  next[o] = b0;
  next[o + 1] = b1;
  next[o + 2] = b2;
  next[o + 3] = b3;
  next[o + 4] = b4;
  next[o + 5] = qb;
  return qa;
}

/** Any block width, 16-bit loads: the general path (odd dimensions, unaligned buffers, widths 2 and 3). */
function dotN(halves: Uint16Array, base: number, dim: number, width: number, table: Float32Array, t: Float64Array, out: Float64Array, o: number): number {
  for (let c = 0; c < width; c++) out[o + c] = 0;
  let q = 0;
  for (let d = 0; d < dim; d++) {
    const x = table[halves[base + d]!]!;
    q += x * x;
    for (let c = 0; c < width; c++) out[o + c] = out[o + c]! + x * t[d * width + c]!;
  }
  return q;
}
