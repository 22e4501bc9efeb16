/**
 * Plain typed-array loops for the lift benchmark: the yardstick a careful programmer would write
 * for the same work, producing the same outputs as FieldLens's kernels (checked before timing).
 */
import type { CameraToWorld, PinholeIntrinsics, RgbRaster } from '../core/units.ts';

/** Back-projection in one pass into worst-case-sized arrays, trimmed by `subarray` (no copy). */
export function plainBackProject(
  depth: Uint16Array,
  color: RgbRaster,
  k: PinholeIntrinsics,
  scale: number,
  m: CameraToWorld,
): { count: number; positions: Float32Array; colors: Uint8Array; pixelIndex: Uint32Array } {
  const { width, height } = k;
  const positions = new Float32Array(width * height * 3);
  const colors = new Uint8Array(width * height * 3);
  const pixelIndex = new Uint32Array(width * height);
  const rgb = color.rgb;
  let n = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const pix = v * width + u;
      const raw = depth[pix]!;
      if (raw === 0) continue;
      const z = raw / scale;
      const x = ((u - k.cx) / k.fx) * z;
      const y = ((v - k.cy) / k.fy) * z;
      positions[n * 3] = m[0]! * x + m[1]! * y + m[2]! * z + m[3]!;
      positions[n * 3 + 1] = m[4]! * x + m[5]! * y + m[6]! * z + m[7]!;
      positions[n * 3 + 2] = m[8]! * x + m[9]! * y + m[10]! * z + m[11]!;
      colors[n * 3] = rgb[pix * 3]!;
      colors[n * 3 + 1] = rgb[pix * 3 + 1]!;
      colors[n * 3 + 2] = rgb[pix * 3 + 2]!;
      pixelIndex[n] = pix;
      n++;
    }
  }
  return { count: n, positions: positions.subarray(0, n * 3), colors: colors.subarray(0, n * 3), pixelIndex: pixelIndex.subarray(0, n) };
}

/**
 * Voxel means with an open-addressing hash of integer cell coordinates (Int32Array keys, linear
 * probing), cells numbered in first-occupied order, then the point nearest each mean: the same
 * outputs as voxelDownsample (mean positions, representatives).
 */
export function plainVoxelDownsample(positions: Float32Array, n: number, size: number): { count: number; means: Float64Array; sourceIndex: Uint32Array } {
  let capacity = 1;
  while (capacity < n * 2) capacity <<= 1;
  const mask = capacity - 1;
  const slotCell = new Int32Array(capacity).fill(-1);
  const keys = new Int32Array(capacity * 3);
  const cellOf = new Uint32Array(n);
  const sums = new Float64Array(n * 3);
  const counts = new Uint32Array(n);
  let cells = 0;
  for (let i = 0; i < n; i++) {
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    const ix = Math.floor(x / size);
    const iy = Math.floor(y / size);
    const iz = Math.floor(z / size);
    let slot = (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
    let c: number;
    for (;;) {
      c = slotCell[slot]!;
      if (c < 0) {
        c = cells++;
        slotCell[slot] = c;
        keys[slot * 3] = ix;
        keys[slot * 3 + 1] = iy;
        keys[slot * 3 + 2] = iz;
        break;
      }
      if (keys[slot * 3] === ix && keys[slot * 3 + 1] === iy && keys[slot * 3 + 2] === iz) break;
      slot = (slot + 1) & mask;
    }
    cellOf[i] = c;
    sums[c * 3]! += x;
    sums[c * 3 + 1]! += y;
    sums[c * 3 + 2]! += z;
    counts[c]!++;
  }
  for (let c = 0; c < cells; c++) {
    const w = 1 / counts[c]!;
    sums[c * 3]! *= w;
    sums[c * 3 + 1]! *= w;
    sums[c * 3 + 2]! *= w;
  }
  const best = new Float64Array(cells).fill(Infinity);
  const sourceIndex = new Uint32Array(cells);
  for (let i = 0; i < n; i++) {
    const c = cellOf[i]!;
    const dx = positions[i * 3]! - sums[c * 3]!;
    const dy = positions[i * 3 + 1]! - sums[c * 3 + 1]!;
    const dz = positions[i * 3 + 2]! - sums[c * 3 + 2]!;
    const d = dx * dx + dy * dy + dz * dz;
    if (d < best[c]!) {
      best[c] = d;
      sourceIndex[c] = i;
    }
  }
  return { count: cells, means: sums.subarray(0, cells * 3), sourceIndex };
}
