/**
 * Lift-stage throughput: `npx tsx src/bench/lift.bench.ts`.
 *
 * On the synthetic room (syntheticRoom.ts), 640×480 uint16 millimetre depth with colour (statistical
 * outlier removal has its own bench, outliers.bench.ts):
 * - back-projection of one frame (backProjectDepth) against a plain one-pass typed-array loop;
 * - voxel down-sampling of 1,000,000 points (four fused views) at 1 cm against a plain typed-array
 *   hash of integer cell coordinates;
 * Peers' outputs are checked equal to ours before timing; cases alternate in rotating order and
 * the ratio is per round (see compare.ts).
 */
import { cpus, loadavg } from 'node:os';
import { asDepthScale } from '../core/units.ts';
import { backProjectDepth } from '../core/lift/backProjectDepth.ts';
import { concatPointClouds } from '../core/lift/pointCloud.ts';
import { voxelDownsample } from '../core/lift/voxelDownsample.ts';
import { assertSameOutput, compare } from './compare.ts';
import { plainBackProject, plainVoxelDownsample } from './liftPeers.ts';
import { H, K, lookAt, renderFrame, SCALE, takePoints, W } from './syntheticRoom.ts';

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
const million = takePoints(fused, 1_000_000);

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
