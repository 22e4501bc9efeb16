/**
 * Lift-stage throughput: `npx tsx src/bench/lift.bench.ts`.
 *
 * On a synthetic scene (a room: floor, back and side walls, a box and a sphere; depth noise,
 * holes and flying pixels at depth edges), 640×480 uint16 millimetre depth with colour:
 * - back-projection of one frame (backProjectDepth) against a plain one-pass typed-array loop;
 * - voxel down-sampling of 1,000,000 points (four fused views) at 1 cm against a plain typed-array
 *   hash of integer cell coordinates;
 * - statistical outlier removal (k = 20, 2σ) on 300,000 points, checked against the exact
 *   all-pairs k-NN at 5,000 points (a reference for equal results, not a peer).
 * Peers' outputs are checked equal to ours before timing; cases alternate in rotating order and
 * the ratio is per round (see compare.ts).
 */
import { cpus, loadavg } from 'node:os';
import { type RgbRaster, asCameraToWorld, asDepthScale, type CameraToWorld, type PinholeIntrinsics } from '../core/units.ts';
import { backProjectDepth } from '../core/lift/backProjectDepth.ts';
import { removeStatisticalOutliers } from '../core/lift/outlierFilter.ts';
import { concatPointClouds, type PointCloud } from '../core/lift/pointCloud.ts';
import { voxelDownsample } from '../core/lift/voxelDownsample.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { asWorldPoints } from '../core/units.ts';
import { assertSameOutput, compare, loadNow, spread, timeRounds } from './compare.ts';
import { plainBackProject, plainVoxelDownsample } from './liftPeers.ts';

const W = 640;
const H = 480;
const K: PinholeIntrinsics = { width: W, height: H, fx: 525, fy: 525, cx: 319.5, cy: 239.5 };
const SCALE = 1000;

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

/** Exact reference for the outlier filter: k-NN by all pairs (k-buffer), then the same statistics. */
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

console.log(`lift bench: synthetic room, ${W}×${H} uint16 depth (mm) + colour, ${frames.length} views`);
console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0]!.toFixed(2)}`);

// 1. Back-projection against a plain one-pass loop (outputs checked equal first).
const f0 = frames[0]!;
const ours0 = lift(0);
const plain0 = plainBackProject(f0.depth, f0.color, K, SCALE, poses[0]!);
assertSameOutput('back-projection positions', ours0.positions, plain0.positions, 1e-5);
assertSameOutput('back-projection colours', ours0.colors, plain0.colors);
assertSameOutput('back-projection pixels', ours0.pixelIndex, plain0.pixelIndex);
await compare(
  'lift',
  `back-projection ${W}×${H} (${ours0.count.toLocaleString('en')} points)`,
  { name: 'backProjectDepth', run: () => lift(0) },
  [{ name: 'plain typed-array loop', run: () => plainBackProject(f0.depth, f0.color, K, SCALE, poses[0]!) }],
  { rounds: 15, warmup: 3 },
);

// 2. Voxel down-sampling against a plain typed-array hash (same means and representatives).
const oursVoxels = voxelDownsample(million, 0.01);
const plainVoxels = plainVoxelDownsample(million.positions, million.count, 0.01);
assertSameOutput('voxel representatives', oursVoxels.sourceIndex, plainVoxels.sourceIndex);
assertSameOutput('voxel means', oursVoxels.cloud.positions, plainVoxels.means, 1e-6);
await compare(
  'lift',
  `voxel down-sampling 1,000,000 points at 1 cm (→ ${oursVoxels.cloud.count.toLocaleString('en')} voxels)`,
  { name: 'voxelDownsample', run: () => voxelDownsample(million, 0.01) },
  [{ name: 'plain typed-array hash', run: () => plainVoxelDownsample(million.positions, million.count, 0.01) }],
  { rounds: 5 },
);

// 3. Statistical outlier removal: the exact all-pairs k-NN is a correctness reference (same
// removals), not a peer; the figure is time per point.
const smallOurs = removeStatisticalOutliers(small.positions, small.count).removed;
const smallBrute = bruteForceOutliers(small.positions, small.count, 20, 2);
if (smallOurs !== smallBrute) throw new Error(`outlier removal: ${smallOurs} removed, the all-pairs reference removes ${smallBrute}`);
const sorTimes = await timeRounds([{ name: 'sor', run: () => removeStatisticalOutliers(outlierInput.positions, outlierInput.count).keep }], 3);
const sorMs = spread(sorTimes[0]!);
console.log(
  `outlier removal, ${outlierInput.count.toLocaleString('en')} points (k 20, 2σ): ${sorMs.median.toFixed(0)} ms (min ${sorMs.min.toFixed(0)}, max ${sorMs.max.toFixed(0)}), ${((sorMs.median * 1e3) / outlierInput.count).toFixed(2)} µs/point; agrees with the all-pairs reference at 5,000 points (${smallOurs} removed); load ${loadNow().toFixed(2)}`,
);
