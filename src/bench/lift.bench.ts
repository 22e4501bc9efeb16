/**
 * Lift-stage throughput: `npx tsx src/bench/lift.bench.ts`.
 *
 * On a synthetic scene (a room: floor, back and side walls, a box and a sphere; depth noise,
 * holes and flying pixels at depth edges), 640×480 uint16 millimetre depth with colour:
 * - back-projection of one frame (backProjectDepth), against a naive peer in the same run: the
 *   same maths writing an Array of {x, y, z, r, g, b, view, pixel} objects;
 * - voxel down-sampling of 1,000,000 points (four fused views) at 1 cm, against a peer using a Map
 *   keyed by strings;
 * - statistical outlier removal (k = 20, 2σ) on 300,000 points (one view's points), with the
 *   O(N²) brute force at 5,000 points as the peer (same input to both).
 * Each figure is the median of 5 timed runs after 2 warm-up runs.
 */
import { cpus, loadavg } from 'node:os';
import { type RgbRaster, asCameraToWorld, asDepthScale, type CameraToWorld, type PinholeIntrinsics } from '../core/units.ts';
import { backProjectDepth } from '../core/lift/backProjectDepth.ts';
import { removeStatisticalOutliers } from '../core/lift/outlierFilter.ts';
import { concatPointClouds, type PointCloud } from '../core/lift/pointCloud.ts';
import { voxelDownsample } from '../core/lift/voxelDownsample.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { asWorldPoints } from '../core/units.ts';

const WARMUP = 2;
const RUNS = 5;
const W = 640;
const H = 480;
const K: PinholeIntrinsics = { width: W, height: H, fx: 525, fy: 525, cx: 319.5, cy: 239.5 };
const SCALE = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time (ms) of RUNS timed calls after WARMUP calls; keeps results alive via a sink. */
function time(fn: () => unknown, runs = RUNS, warmup = WARMUP): number {
  const samples: number[] = [];
  let sink = 0;
  for (let r = 0; r < warmup + runs; r++) {
    const start = performance.now();
    const result = fn();
    const ms = performance.now() - start;
    if (r >= warmup) samples.push(ms);
    sink += typeof result === 'object' && result !== null && 'length' in result ? (result as { length: number }).length : 1;
  }
  if (sink < 0) console.log(sink);
  return median(samples);
}

/** Camera-to-world for a camera at `eye` looking at `target` (world y up → camera y down). */
function lookAt(eye: number[], target: number[]): CameraToWorld {
  const f = target.map((t, i) => t - eye[i]!);
  const fn = Math.hypot(...f);
  const z = f.map((v) => v / fn);
  const up = [0, 1, 0];
  // x = z × up (camera right), y = z × x (camera down).
  const xr = [z[1]! * up[2]! - z[2]! * up[1]!, z[2]! * up[0]! - z[0]! * up[2]!, z[0]! * up[1]! - z[1]! * up[0]!];
  const xn = Math.hypot(...xr);
  const x = xr.map((v) => v / xn);
  const y = [z[1]! * x[2]! - z[2]! * x[1]!, z[2]! * x[0]! - z[0]! * x[2]!, z[0]! * x[1]! - z[1]! * x[0]!];
  return asCameraToWorld([x[0]!, y[0]!, z[0]!, eye[0]!, x[1]!, y[1]!, z[1]!, eye[1]!, x[2]!, y[2]!, z[2]!, eye[2]!, 0, 0, 0, 1]);
}

/**
 * Ray-casts the room from a pose: returns uint16 mm depth and colour. Room: floor y = 0, walls at
 * z = 4, x = ±2.5, ceiling y = 2.6; a box [−0.6, 0.2] × [0, 0.7] × [1.6, 2.4] and a sphere
 * (centre (0.9, 0.5, 2.2), radius 0.4). 1 % holes; 0.5 % flying pixels; noise ∝ depth².
 */
function renderFrame(pose: CameraToWorld, seed: number): { depth: Uint16Array; color: RgbRaster } {
  const r = mulberry32(seed);
  const m = pose;
  const depth = new Uint16Array(W * H);
  const rgb = new Uint8Array(W * H * 3);
  const o = [m[3]!, m[7]!, m[11]!];
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const cx = (u - K.cx) / K.fx;
      const cy = (v - K.cy) / K.fy;
      // World direction of the ray with camera z = 1.
      const d = [m[0]! * cx + m[1]! * cy + m[2]!, m[4]! * cx + m[5]! * cy + m[6]!, m[8]! * cx + m[9]! * cy + m[10]!];
      let best = Infinity;
      let colour = [0, 0, 0];
      const plane = (axis: number, at: number, c: number[]) => {
        const t = (at - o[axis]!) / d[axis]!;
        if (t > 0 && t < best) {
          best = t;
          colour = c;
        }
      };
      plane(1, 0, [120, 100, 80]);
      plane(1, 2.6, [230, 230, 230]);
      plane(2, 4, [200, 190, 170]);
      plane(0, 2.5, [180, 200, 180]);
      plane(0, -2.5, [180, 180, 210]);
      // Box: slab intersection.
      let tmin = 0;
      let tmax = Infinity;
      const lo = [-0.6, 0, 1.6];
      const hi = [0.2, 0.7, 2.4];
      for (let a = 0; a < 3; a++) {
        const t1 = (lo[a]! - o[a]!) / d[a]!;
        const t2 = (hi[a]! - o[a]!) / d[a]!;
        tmin = Math.max(tmin, Math.min(t1, t2));
        tmax = Math.min(tmax, Math.max(t1, t2));
      }
      if (tmin <= tmax && tmin > 0 && tmin < best) {
        best = tmin;
        colour = [200, 60, 40];
      }
      // Sphere.
      const oc = [o[0]! - 0.9, o[1]! - 0.5, o[2]! - 2.2];
      const a2 = d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!;
      const b = oc[0]! * d[0]! + oc[1]! * d[1]! + oc[2]! * d[2]!;
      const c = oc[0]! * oc[0]! + oc[1]! * oc[1]! + oc[2]! * oc[2]! - 0.16;
      const disc = b * b - a2 * c;
      if (disc >= 0) {
        const t = (-b - Math.sqrt(disc)) / a2;
        if (t > 0 && t < best) {
          best = t;
          colour = [40, 90, 200];
        }
      }
      // With camera z = 1 in the direction, t is the depth along the optical axis.
      let z = best;
      const roll = r();
      if (roll < 0.01 || !Number.isFinite(z)) z = 0;
      else if (roll < 0.015)
        z *= 0.5 + r(); // flying pixel
      else z += (r() - 0.5) * 0.004 * z * z;
      const i = v * W + u;
      depth[i] = Math.min(65535, Math.round(z * SCALE));
      rgb.set(colour, i * 3);
    }
  }
  return { depth, color: { width: W, height: H, rgb } };
}

/** The peer: the same back-projection written plainly, one object per point. */
interface NaivePoint {
  x: number;
  y: number;
  z: number;
  r: number;
  g: number;
  b: number;
  view: number;
  pixel: number;
}
function naiveBackProject(depth: Uint16Array, color: RgbRaster, pose: CameraToWorld, view: number): NaivePoint[] {
  const rows = [0, 1, 2].map((i) => [pose[i * 4]!, pose[i * 4 + 1]!, pose[i * 4 + 2]!, pose[i * 4 + 3]!]);
  const points: NaivePoint[] = [];
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const raw = depth[v * W + u]!;
      if (raw === 0) continue;
      const z = raw / SCALE;
      const cam = [((u - K.cx) * z) / K.fx, ((v - K.cy) * z) / K.fy, z];
      const world = rows.map((row) => row[0]! * cam[0]! + row[1]! * cam[1]! + row[2]! * cam[2]! + row[3]!);
      const c = (v * W + u) * 3;
      points.push({ x: world[0]!, y: world[1]!, z: world[2]!, r: color.rgb[c]!, g: color.rgb[c + 1]!, b: color.rgb[c + 2]!, view, pixel: v * W + u });
    }
  }
  return points;
}

/** The peer: voxel means with a Map keyed by "ix,iy,iz" strings. */
function naiveVoxelDownsample(cloud: PointCloud, size: number): number {
  const voxels = new Map<string, { x: number; y: number; z: number; r: number; g: number; b: number; n: number; best: number; bestD: number }>();
  const keys: string[] = new Array<string>(cloud.count);
  for (let i = 0; i < cloud.count; i++) {
    const x = cloud.positions[i * 3]!;
    const y = cloud.positions[i * 3 + 1]!;
    const z = cloud.positions[i * 3 + 2]!;
    const key = `${Math.floor(x / size)},${Math.floor(y / size)},${Math.floor(z / size)}`;
    keys[i] = key;
    const v = voxels.get(key);
    if (v) {
      v.x += x;
      v.y += y;
      v.z += z;
      v.r += cloud.colors[i * 3]!;
      v.g += cloud.colors[i * 3 + 1]!;
      v.b += cloud.colors[i * 3 + 2]!;
      v.n++;
    } else {
      voxels.set(key, { x, y, z, r: cloud.colors[i * 3]!, g: cloud.colors[i * 3 + 1]!, b: cloud.colors[i * 3 + 2]!, n: 1, best: i, bestD: Infinity });
    }
  }
  for (let i = 0; i < cloud.count; i++) {
    const v = voxels.get(keys[i]!)!;
    const d = (cloud.positions[i * 3]! - v.x / v.n) ** 2 + (cloud.positions[i * 3 + 1]! - v.y / v.n) ** 2 + (cloud.positions[i * 3 + 2]! - v.z / v.n) ** 2;
    if (d < v.bestD) {
      v.bestD = d;
      v.best = i;
    }
  }
  return voxels.size;
}

/** The peer for the outlier filter: exact k-NN by all pairs (k-buffer), then the same statistics. */
function bruteForceOutliers(positions: Float32Array, n: number, k: number, ratio: number): number {
  const mean = new Float64Array(n);
  const nearest = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d2 =
        (positions[j * 3]! - positions[i * 3]!) ** 2 +
        (positions[j * 3 + 1]! - positions[i * 3 + 1]!) ** 2 +
        (positions[j * 3 + 2]! - positions[i * 3 + 2]!) ** 2;
      if (m === k && d2 >= nearest[k - 1]!) continue;
      let t = m < k ? m++ : k - 1;
      while (t > 0 && nearest[t - 1]! > d2) {
        nearest[t] = nearest[t - 1]!;
        t--;
      }
      nearest[t] = d2;
    }
    let s = 0;
    for (let t = 0; t < k; t++) s += Math.sqrt(nearest[t]!);
    mean[i] = s / k;
  }
  const mu = mean.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(mean.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1));
  return mean.filter((d) => d > mu + ratio * sd).length;
}

// ---------------------------------------------------------------------------------------------

const poses = [
  lookAt([0, 1.4, -0.4], [0, 0.8, 3]),
  lookAt([-1.8, 1.6, 0.2], [0.4, 0.4, 2.4]),
  lookAt([1.9, 1.2, 0.3], [-0.2, 0.6, 2.6]),
  lookAt([0.3, 2.2, 0.8], [0.2, 0, 2.6]),
];
const frames = poses.map((p, i) => renderFrame(p, 101 + i));
const depthScale = asDepthScale(SCALE);
const lift = (i: number) =>
  backProjectDepth(
    { width: W, height: H, units: frames[i]!.depth },
    { intrinsics: K, depthScale, cameraToWorld: poses[i]!, color: frames[i]!.color, viewIndex: i },
  );

const fused = concatPointClouds(frames.map((_, i) => lift(i)));
const take = (c: PointCloud, n: number): PointCloud => ({
  count: n,
  positions: asWorldPoints(c.positions.slice(0, n * 3)),
  colors: c.colors.slice(0, n * 3),
  viewIndex: c.viewIndex.slice(0, n),
  pixelIndex: c.pixelIndex.slice(0, n),
});
const million = take(fused, 1_000_000);
const outlierInput = take(fused, 300_000);
const small = take(voxelDownsample(fused, 0.05).cloud, 5000);

console.log(`lift bench: synthetic room, ${W}×${H} uint16 depth (mm) + colour, ${frames.length} views; median of ${RUNS} after ${WARMUP} warm-up`);
console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const row = (name: string, ms: number, extra = '') => console.log(`${name.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms  ${extra}`);

// 1. Back-projection.
const frame0Points = lift(0).count;
const fast = time(() => lift(0));
const naive = time(() => naiveBackProject(frames[0]!.depth, frames[0]!.color, poses[0]!, 0));
row('back-projection, backProjectDepth', fast, `${frame0Points.toLocaleString('en')} points, ${((frame0Points / fast) * 1e-3).toFixed(1)} M points/s`);
row('back-projection, naive Array of objects (peer)', naive, `ratio ${(naive / fast).toFixed(1)}× slower than backProjectDepth`);

// 2. Voxel down-sampling.
let voxels = 0;
const voxel = time(() => {
  const r = voxelDownsample(million, 0.01);
  voxels = r.cloud.count;
  return r.sourceIndex;
});
const naiveVoxel = time(() => naiveVoxelDownsample(million, 0.01), 3, 1);
row('voxel down-sampling 1,000,000 points at 1 cm', voxel, `→ ${voxels.toLocaleString('en')} voxels`);
row('voxel down-sampling, Map with string keys (peer)', naiveVoxel, `ratio ${(naiveVoxel / voxel).toFixed(1)}× slower (median of 3 after 1)`);

// 3. Statistical outlier removal.
let removed = 0;
const sor = time(() => {
  const r = removeStatisticalOutliers(outlierInput.positions, outlierInput.count);
  removed = r.removed;
  return r.keep;
});
row('outlier removal, 300,000 points (k 20, 2σ)', sor, `${removed.toLocaleString('en')} removed, ${((sor * 1e3) / outlierInput.count).toFixed(2)} µs/point`);
let smallRemoved = 0;
const sorSmall = time(() => {
  const r = removeStatisticalOutliers(small.positions, small.count);
  smallRemoved = r.removed;
  return r.keep;
});
const brute = time(() => bruteForceOutliers(small.positions, small.count, 20, 2), 3, 1);
const bruteRemoved = bruteForceOutliers(small.positions, small.count, 20, 2);
row('outlier removal, 5,000 points', sorSmall, `${smallRemoved} removed`);
row(
  'outlier removal, 5,000 points, brute force O(N²) (peer)',
  brute,
  `${bruteRemoved} removed, ratio ${(brute / sorSmall).toFixed(0)}× slower (median of 3 after 1)`,
);
