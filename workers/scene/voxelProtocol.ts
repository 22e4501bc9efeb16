/**
 * The scene worker's voxel-view call: the page sends the current display colours (one copy per
 * request, transferred) and the worker voxelises its own copy of the cloud, so the main thread
 * never runs the 3 M-point voxel pass. Part of the one typed protocol (SceneWorkerApi extends it).
 */
import type { AxisBox, DisplayVoxels } from '../../src/core/lift/displayVoxels.ts';

export type { AxisBox, DisplayVoxels };

export interface VoxelWorkerApi {
  /**
   * One cube per occupied voxel of the current cloud (cells of `voxelSizeMetres` from the world
   * origin, optionally cropped by `box`), coloured with the mean of `colors` (3 display-colour bytes
   * per point, in the cloud's point order). `pointCount` is the cloud the page drew the colours for:
   * a cloud of another size is refused. Centres and colours come back transferred.
   */
  displayVoxels(colors: Uint8Array, pointCount: number, voxelSizeMetres: number, box: AxisBox | null): Promise<DisplayVoxels>;
}
