/**
 * The voxel view's worker call (voxelProtocol.ts) over the session's current cloud: the pure
 * voxeliser (core/lift/displayVoxels.ts) runs here, off the page's main thread; its centres and
 * colours go back transferred. The last display colours sent are kept (with their key), so a
 * voxel-size drag sends none.
 */
import * as Comlink from 'comlink';
import { displayVoxels } from '../../src/core/lift/displayVoxels.ts';
import type { SceneSession } from './session.ts';
import { COLORS_NOT_KEPT, type VoxelWorkerApi } from './voxelProtocol.ts';

interface VoxelCloud {
  readonly positions: Float32Array;
  readonly count: number;
}

/** The bench build's synthetic cloud, voxelised instead of the session's while set (faultHooks.ts; never set in production). */
export const syntheticVoxelCloud: { current: ((pointCount: number) => VoxelCloud | null) | null } = { current: null };

export function voxelApi(session: () => SceneSession): VoxelWorkerApi {
  let kept: { key: string; colors: Uint8Array } | null = null;
  return {
    displayVoxels: (colors, colorsKey, pointCount, voxelSizeMetres, box) =>
      new Promise((resolve) => {
        const cloud = syntheticVoxelCloud.current?.(pointCount) ?? session().scene?.loaded.cloud;
        if (!cloud) throw new Error('voxel view: no point cloud is loaded');
        if (cloud.count !== pointCount) throw new Error(`voxel view: the page drew ${pointCount} points, the scene worker holds ${cloud.count}`);
        if (colors) kept = { key: colorsKey, colors };
        else if (kept?.key !== colorsKey) throw new Error(`${COLORS_NOT_KEPT} ${colorsKey}`);
        const voxels = displayVoxels(cloud.positions, kept.colors, cloud.count, voxelSizeMetres, box);
        resolve(Comlink.transfer(voxels, [voxels.centres.buffer as ArrayBuffer, voxels.colors.buffer as ArrayBuffer]));
      }),
  };
}
