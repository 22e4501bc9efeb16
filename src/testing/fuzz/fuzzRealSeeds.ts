/**
 * Real files from the shared data folder (when present) as extra fuzz seeds: point clouds,
 * single frames of Redwood / TUM / NYU / SUN and the SparseDFF calibration. Read at run time,
 * never copied into the repo; when the folder is absent the suite says so and runs on the
 * generated seeds alone.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureFile } from '../../core/capture/captureFiles.ts';
import { realDataRoot } from '../realData.ts';

export interface RealSeeds {
  readonly ply: CaptureFile[];
  readonly pcd: CaptureFile[];
  readonly frames: CaptureFile[][];
  readonly rig: CaptureFile[][];
  readonly captures: CaptureFile[][];
  /** Why there are none, when there are none. */
  readonly skipped?: string;
}

/** Files over this size are left out: a mutated copy is made per case. */
const MAX_SEED_BYTES = 512 * 1024;

export function realSeeds(): RealSeeds {
  const root = realDataRoot();
  const empty = { ply: [], pcd: [], frames: [], rig: [], captures: [] };
  if (!root) return { ...empty, skipped: 'real-data seeds skipped: ../shared/data (or FIELDLENS_REAL_DATA) not found' };
  const rgbd = join(root, 'rgbd');
  const read = (relative: string, name = relative.slice(relative.lastIndexOf('/') + 1)): CaptureFile | null => {
    const path = join(rgbd, relative);
    if (!existsSync(path) || statSync(path).size > MAX_SEED_BYTES) return null;
    return { name, bytes: new Uint8Array(readFileSync(path)) };
  };
  const some = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);
  const ply = some(['pointclouds/knot.ply', 'pointclouds/bathtub_0154.ply', 'pointclouds/color.ply', 'sparsedff-rig/vis_pcd.ply'].map((p) => read(p)));
  const pcd = some(['pointclouds/fragment.pcd', 'pointclouds/cloud_bin_0.pcd'].map((p) => read(p)));
  const frame = (files: (CaptureFile | null)[]) => (files.every((f) => f) ? [files as CaptureFile[]] : []);
  const other = 'redwood-tum-nyu-sun/other_formats';
  const frames = [
    ...frame([
      read('redwood-tum-nyu-sun/color/00000.jpg', 'color.jpg'),
      read('redwood-tum-nyu-sun/depth/00000.png', 'depth.png'),
      read('camera_primesense.json'),
    ]),
    ...frame([read(`${other}/TUM_color.png`), read(`${other}/TUM_depth.png`), read('camera_primesense.json')]),
    ...frame([read(`${other}/NYU_color.ppm`), read(`${other}/NYU_depth.pgm`), read('camera_primesense.json')]),
    ...frame([read(`${other}/SUN_color.jpg`), read(`${other}/SUN_depth.png`), read('camera_primesense.json')]),
  ];
  const calibration = read('sparsedff-rig/calibration.json');
  const rig = calibration ? [[calibration]] : [];
  const captures = [...ply.map((f) => [f]), ...pcd.map((f) => [f]), ...frames];
  const found = ply.length + pcd.length + frames.length + rig.length;
  return { ply, pcd, frames, rig, captures, ...(found === 0 ? { skipped: `real-data seeds skipped: no seed files under ${rgbd}` } : {}) };
}
