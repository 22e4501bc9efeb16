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
   *
   * The worker keeps the last colours with their `colorsKey`; a request with `colors` null reuses
   * them (a voxel-size drag sends no colours) and is refused with COLORS_NOT_KEPT when the worker
   * holds other ones (e.g. after a restart): the page then sends them again.
   */
  displayVoxels(colors: Uint8Array | null, colorsKey: string, pointCount: number, voxelSizeMetres: number, box: AxisBox | null): Promise<DisplayVoxels>;
}

/** The start of the refusal of a request without colours when the worker keeps none for its key. */
export const COLORS_NOT_KEPT = 'voxel view: the scene worker keeps no display colours for';
