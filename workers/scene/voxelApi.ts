/**
 * The voxel view's worker call (voxelProtocol.ts) over the session's current cloud: the pure
 * voxeliser (core/lift/displayVoxels.ts) runs here, off the page's main thread; its centres and
 * colours go back transferred.
 */
import * as Comlink from 'comlink';
import { displayVoxels, type AxisBox, type DisplayVoxels } from '../../src/core/lift/displayVoxels.ts';
import type { SceneSession } from './session.ts';
import type { VoxelWorkerApi } from './voxelProtocol.ts';

/** Voxels of `cloud` with the page's colours, transferred; refuses colours drawn for a cloud of another size. */
export function transferredVoxels(
  cloud: { readonly positions: Float32Array; readonly count: number } | null | undefined,
  colors: Uint8Array,
  pointCount: number,
  voxelSizeMetres: number,
  box: AxisBox | null,
): DisplayVoxels {
  if (!cloud) throw new Error('voxel view: no point cloud is loaded');
  if (cloud.count !== pointCount) throw new Error(`voxel view: the page drew ${pointCount} points, the scene worker holds ${cloud.count}`);
  const voxels = displayVoxels(cloud.positions, colors, cloud.count, voxelSizeMetres, box);
  return Comlink.transfer(voxels, [voxels.centres.buffer as ArrayBuffer, voxels.colors.buffer as ArrayBuffer]);
}

export function voxelApi(session: () => SceneSession): VoxelWorkerApi {
  return {
    displayVoxels: (colors, pointCount, voxelSizeMetres, box) =>
      new Promise((resolve) => resolve(transferredVoxels(session().scene?.loaded.cloud, colors, pointCount, voxelSizeMetres, box))),
  };
}
