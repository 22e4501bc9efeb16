/**
 * Window pre-processing of the windowed 3D student (see models/README.md): points are sorted along
 * a Morton (Z-order) curve over a voxel grid, so that consecutive points are near each other in
 * space, then cut into windows of `size` points; self-attention runs inside each window. The last
 * window is padded by repeating its last real point (padding rows are computed and thrown away).
 *
 * Pure: the app (Student3d), the training script and the tests share exactly this code, so a
 * student sees the same windows at training and at inference time.
 */

export interface WindowSpec {
  /** Points per window (W). */
  readonly size: number;
  readonly order: 'morton';
  /** Voxel edge of the Morton grid, metres. */
  readonly grid: number;
}

export interface WindowedPoints {
  readonly numWindows: number;
  readonly size: number;
  /** [numWindows, size, 3] xyz metres, world frame (as given). */
  readonly positions: Float32Array;
  /** [numWindows, size, 3] rgb 0..1. */
  readonly colors: Float32Array;
  /** Slot s (= window·size + row) holds original point order[s]; slots ≥ count repeat the last point. */
  readonly order: Uint32Array;
  readonly count: number;
}

/** Morton codes use 10 bits per axis (a 1024³ grid); coarser cells than that merge. */
const MORTON_BITS = 10;
const MORTON_MAX = (1 << MORTON_BITS) - 1;

/** Spreads the low 10 bits of v so that bit i lands on bit 3i. */
function spreadBits(v: number): number {
  let x = v & 0x3ff;
  x = (x | (x << 16)) & 0x030000ff;
  x = (x | (x << 8)) & 0x0300f00f;
  x = (x | (x << 4)) & 0x030c30c3;
  x = (x | (x << 2)) & 0x09249249;
  return x >>> 0;
}

/** Point indices sorted by the Morton code of their grid cell (ties keep input order: stable). */
export function mortonOrder(positions: Float32Array, count: number, grid: number): Uint32Array {
  if (!(grid > 0)) throw new Error(`mortonOrder: grid must be > 0 metres, found ${grid}`);
  const min = [Infinity, Infinity, Infinity];
  for (let i = 0; i < count; i++) for (let a = 0; a < 3; a++) min[a] = Math.min(min[a]!, positions[i * 3 + a]!);
  const codes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let code = 0;
    for (let a = 0; a < 3; a++) {
      const cell = Math.min(MORTON_MAX, Math.max(0, Math.floor((positions[i * 3 + a]! - min[a]!) / grid)));
      code |= spreadBits(cell) << a;
    }
    codes[i] = code >>> 0;
  }
  // code·2^23 + index is exact in a double (30 + 23 bits), so one typed numeric sort orders by code
  // and then by input index (ties keep input order) — ~10× faster than a comparator sort.
  if (count < 1 << 23) {
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) keys[i] = codes[i]! * 8388608 + i;
    keys.sort();
    return Uint32Array.from(keys, (k) => k % 8388608);
  }
  return Uint32Array.from(Array.from({ length: count }, (_, i) => i).sort((p, q) => codes[p]! - codes[q]! || p - q));
}

/** Sorts, pads and windows a cloud. `colors` are 8-bit (0..255) and come out as 0..1. */
export function windowPoints(positions: Float32Array, colors: Uint8Array, count: number, spec: WindowSpec): WindowedPoints {
  if (!Number.isInteger(spec.size) || spec.size <= 0) throw new Error(`windowPoints: window size must be a positive integer, found ${spec.size}`);
  if (count === 0) return { numWindows: 0, size: spec.size, positions: new Float32Array(0), colors: new Float32Array(0), order: new Uint32Array(0), count };
  const sorted = mortonOrder(positions, count, spec.grid);
  const numWindows = Math.ceil(count / spec.size);
  const slots = numWindows * spec.size;
  const order = new Uint32Array(slots);
  order.set(sorted);
  order.fill(sorted[count - 1]!, count);
  const outPositions = new Float32Array(slots * 3);
  const outColors = new Float32Array(slots * 3);
  for (let s = 0; s < slots; s++) {
    const i = order[s]!;
    for (let a = 0; a < 3; a++) {
      outPositions[s * 3 + a] = positions[i * 3 + a]!;
      outColors[s * 3 + a] = colors[i * 3 + a]! / 255;
    }
  }
  return { numWindows, size: spec.size, positions: outPositions, colors: outColors, order, count };
}

/**
 * Per-slot rows back to per-point rows [count, dim] in input order. `windowed` holds the rows of
 * slots [firstSlot, firstSlot + windowed.length / dim) (all of them by default), so a caller can
 * scatter one run's rows at a time into `out` (e.g. binary16 bits, never a whole float32 field).
 */
export function unwindowRows<Rows extends Float32Array | Uint16Array>(
  windowed: Rows,
  dim: number,
  windows: Pick<WindowedPoints, 'order' | 'count'>,
  out: Rows = new (windowed.constructor as new (length: number) => Rows)(windows.count * dim),
  firstSlot = 0,
): Rows {
  if (out.length !== windows.count * dim) throw new Error(`unwindowRows: output holds ${out.length} values, ${windows.count}×${dim} needed`);
  // Slots ≥ count are padding (repeats of a real point): only the real slots are written back.
  const last = Math.min(firstSlot + windowed.length / dim, windows.count);
  for (let s = firstSlot; s < last; s++) out.set(windowed.subarray((s - firstSlot) * dim, (s - firstSlot + 1) * dim), windows.order[s]! * dim);
  return out;
}
