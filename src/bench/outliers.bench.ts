/**
 * Statistical outlier removal at scale: `npm run bench:outliers` (or `npx tsx src/bench/outliers.bench.ts [points]`).
 *
 * On the synthetic room (syntheticRoom.ts) seen from 10 cameras and fused, 3,000,000 points by
 * default (k = 20, 2σ): removeStatisticalOutliers (the blocked column-grid search, knnSearch.ts) against the
 * per-query exact grid search run for every point with the same cell size (knnExact.ts: a heap per
 * query, box-pruned rings of cells, a coarse pyramid), the plain way to find exact k-NN on a grid.
 * Both outputs are checked equal first, and ours against the exact all-pairs k-NN at 5,000 points.
 * The goal is ≤ 3 s at 3,000,000 points; the CPU time of one run is printed beside the wall time,
 * since on a shared machine the wall time mostly measures the load.
 */
import { cpus } from 'node:os';
import { exactKnnMeanDistances } from '../core/lift/knnExact.ts';
import { chooseKnnCellSize, knnMeanDistances, removeStatisticalOutliers } from '../core/lift/outlierFilter.ts';
import { voxelDownsample } from '../core/lift/voxelDownsample.ts';
import { assertSameOutput, compare, loadNow } from './compare.ts';
import { roomCloud, takePoints } from './syntheticRoom.ts';

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

const n = Number(process.argv[2] ?? 3_000_000);
const views = Math.max(1, Math.ceil(n / 290_000));
const { cloud } = roomCloud(views);
if (cloud.count < n) throw new Error(`outliers bench: ${views} views gave ${cloud.count} points, fewer than ${n}`);
const input = takePoints(cloud, n);
const { positions } = input;
console.log(
  `outliers bench: synthetic room, ${views} views fused, ${n.toLocaleString('en')} points; node ${process.version}, ${cpus().length} CPUs, load ${loadNow().toFixed(2)}`,
);

const small = takePoints(voxelDownsample(cloud, 0.05).cloud, 5000);
const smallOurs = removeStatisticalOutliers(small.positions, small.count).removed;
const smallBrute = bruteForceOutliers(small.positions, small.count, 20, 2);
if (smallOurs !== smallBrute) throw new Error(`outlier removal: ${smallOurs} removed, the all-pairs reference removes ${smallBrute}`);

const cellSize = chooseKnnCellSize(positions, n, 10);
const yardstick = () => exactKnnMeanDistances(positions, n, 20, chooseKnnCellSize(positions, n, 10));
assertSameOutput('mean k-NN distances', knnMeanDistances(positions, n, 20, cellSize), exactKnnMeanDistances(positions, n, 20, cellSize), 1e-12);

const c0 = process.cpuUsage();
const t0 = performance.now();
const once = removeStatisticalOutliers(positions, n);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `one run: ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (${((cpuMs * 1e3) / n).toFixed(2)} µs/point), ${once.removed.toLocaleString('en')} removed; goal ≤ 3,000 ms at 3,000,000 points: ${cpuMs <= 3000 ? 'met' : 'not met'} in CPU time, ${wallMs <= 3000 ? 'met' : 'not met'} in wall time (load ${loadNow().toFixed(2)})`,
);
await compare(
  'outliers',
  `statistical outlier removal, ${n.toLocaleString('en')} points (k 20, 2σ)`,
  { name: 'removeStatisticalOutliers (blocked)', run: () => removeStatisticalOutliers(positions, n).keep },
  [{ name: 'per-query exact grid search', run: yardstick }],
  { rounds: 3, warmup: 0, note: `agrees with all-pairs k-NN at 5,000 points; one run ${cpuMs.toFixed(0)} ms CPU` },
);
