/**
 * The voxel view's cubes, computed in the scene worker (workers/scene/voxelApi.ts) so that the
 * page's main thread never runs the per-point voxel pass. The cubes live in drawBuffers.voxels
 * (sole writer: this slice); the store holds only which request they answer (`voxels`).
 *
 * Coalescing: at most one request is in the worker; newer requests replace the one waiting, so a
 * voxel-size drag computes the size in flight and then only the latest one. A result whose key is
 * no longer the latest wanted is dropped, and the cubes shown stay until the wanted ones arrive.
 */
import { sceneWorker, isQuietError } from '../../../workers/scene/client.ts';
import { COLORS_NOT_KEPT } from '../../../workers/scene/voxelProtocol.ts';
import { transfer } from 'comlink';
import type { AxisBox } from '../../core/lift/displayVoxels.ts';
import { drawBuffers } from './drawBuffers.ts';
import { reportError } from './jobsSlice.ts';
import { useFieldLens } from './store.ts';

/** What the voxel view wants drawn; `key` names all of it (the viewport builds it). */
export interface VoxelRequest {
  readonly key: string;
  readonly sceneVersion: number;
  /** The page's display colours (3 bytes per point); copied when the request is sent. */
  readonly colors: Uint8Array;
  /** Names the colours (drawKey): the worker keeps the last ones sent, so unchanged colours are not sent again. */
  readonly colorsKey: string;
  readonly pointCount: number;
  readonly voxelSizeMetres: number;
  readonly box: AxisBox | null;
}

export interface VoxelSlice {
  /** The request drawBuffers.voxels answers (failed: the worker refused it; no cubes), or null. */
  voxels: { readonly key: string; readonly sceneVersion: number; readonly count: number; readonly failed: boolean } | null;
}

export function createVoxelSlice(): VoxelSlice {
  return { voxels: null };
}

let inFlight = false;
let waiting: VoxelRequest | null = null;
let latestKey = '';
/** The colours the worker keeps (sent last). */
let keptColorsKey: string | null = null;

/** Asks the worker for the voxels of `request` (coalesced; see the file comment). */
export function requestDisplayVoxels(request: VoxelRequest): void {
  latestKey = request.key;
  waiting = request;
  if (!inFlight) void sendWaiting();
}

async function sendWaiting(): Promise<void> {
  inFlight = true;
  try {
    while (waiting) {
      const request = waiting;
      waiting = null;
      try {
        const voxels = await voxelsOf(request);
        if (request.key !== latestKey) continue;
        drawBuffers.voxels = { ...voxels, sceneVersion: request.sceneVersion };
        useFieldLens.setState({ voxels: { key: request.key, sceneVersion: request.sceneVersion, count: voxels.count, failed: false } });
      } catch (error) {
        if (request.key !== latestKey || isQuietError(error)) continue;
        drawBuffers.voxels = null;
        useFieldLens.setState({ voxels: { key: request.key, sceneVersion: request.sceneVersion, count: 0, failed: true } });
        reportError(error);
      }
    }
  } finally {
    inFlight = false;
  }
}

/** The worker's voxels for `request`, sending the colours only when the worker keeps other ones. */
async function voxelsOf(request: VoxelRequest) {
  const send = async (withColors: boolean) => {
    // A copy: the page's colour cache is rewritten in place when the colours change.
    const colors = withColors ? request.colors.slice(0, request.pointCount * 3) : null;
    if (withColors) keptColorsKey = null;
    const args = [colors && transfer(colors, [colors.buffer]), request.colorsKey, request.pointCount, request.voxelSizeMetres, request.box] as const;
    const voxels = await sceneWorker.call('displayVoxels', [...args]);
    keptColorsKey = request.colorsKey;
    return voxels;
  };
  if (keptColorsKey !== request.colorsKey) return send(true);
  try {
    return await send(false);
  } catch (error) {
    // A restarted worker keeps no colours: send them.
    if (error instanceof Error && error.message.startsWith(COLORS_NOT_KEPT)) return send(true);
    throw error;
  }
}
