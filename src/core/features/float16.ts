/**
 * IEEE 754 binary16 ("half") conversion for feature storage and fp16 model weights. Node 20 and
 * some browsers have no Float16Array, so halves are kept as their raw bits in a Uint16Array.
 *
 * Encoding rounds to nearest, ties to even (as a hardware conversion does); values beyond the
 * largest half (65504) round to ±Infinity once they reach 65520 (half-way to the next binade),
 * magnitudes below 2^-25 flush to ±0, NaN stays a (quiet) NaN. Decoding is exact (every half is a
 * float32) and goes through a 65 536-entry table, filled on first use (256 KiB).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Binary16 bits of `value` (first rounded to float32), round to nearest even. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal → ±0
    // Subnormal: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let out = m >>> shift;
    if (rest > half || (rest === half && (out & 1) === 1)) out++;
    return sign | out;
  }
  let out = sign | (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and can round up to Inf).
  if (rest > 0x1000 || (rest === 0x1000 && (out & 1) === 1)) out++;
  return out;
}

/** The value of binary16 bits `h` (exact). */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let table: Float32Array | null = null;

/** Every half's float32 value, indexed by its bits: the decode table of the fp16 kernels. */
export function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = float16BitsToFloat32(h);
  }
  return table;
}

/** Halves of `values` (round to nearest even), into `out` when given. */
export function encodeHalves(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  if (out.length !== values.length) throw new Error(`encodeHalves: output holds ${out.length} halves for ${values.length} values`);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return out;
}

/** float32 values of `halves[start, start + out.length)`. */
export function decodeHalves(halves: Uint16Array, out: Float32Array = new Float32Array(halves.length), start = 0): Float32Array {
  if (start + out.length > halves.length) throw new Error(`decodeHalves: ${out.length} values from offset ${start} of ${halves.length} halves`);
  const t = halfTable();
  for (let i = 0; i < out.length; i++) out[i] = t[halves[start + i]!]!;
  return out;
}
