/**
 * Format detection for dropped captures — by file names and folder layout where the format is a
 * layout (ScanNet, TUM, Open3D trajectories, nerfstudio, multi-camera folders), by content where it
 * is a single file (depth vs colour, point clouds). Each branch parses fully before returning, so
 * nothing half-built ever reaches the scene.
 */
import { baseName, dirName } from '../formats/paths.ts';
import type { CaptureFile } from './captureFiles.ts';
import type { AssembledCapture, CaptureOptions } from './captureTypes.ts';
import { isNpy } from './decodeRaster.ts';
import { assembleNpyPoints, assemblePointFile, isPointFile, parseNpyFiles } from './pointFiles.ts';
import { assembleMultiCameraNpy, assembleNerfstudio, assembleSceneJson, assembleScanNet, assembleTrajectoryLog, assembleTumSequence } from './posedCaptures.ts';
import { assembleSingleFrame } from './singleFrame.ts';

const has = (files: readonly CaptureFile[], re: RegExp) => files.find((f) => re.test(f.name));

export function assembleCapture(files: readonly CaptureFile[], options: CaptureOptions): AssembledCapture {
  if (files.length === 0) throw new Error('no files were dropped');

  const sceneJson = files.find((f) => baseName(f.name) === 'scene.json' && new TextDecoder().decode(f.bytes.subarray(0, 200)).includes('fieldlens-scene@1'));
  if (sceneJson) return assembleSceneJson(sceneJson, files, options);

  const transforms = has(files, /(^|\/)transforms\.json$/);
  if (transforms) return assembleNerfstudio(transforms, files, options);

  const trajectory = has(files, /(^|\/)trajectory\.log$/);
  if (trajectory) return assembleTrajectoryLog(trajectory, files, options);

  if (has(files, /(^|\/)rgb\.txt$/) && has(files, /(^|\/)depth\.txt$/)) return assembleTumSequence(files, options);

  if (has(files, /(^|\/)pose\/[^/]+\.txt$/) && has(files, /(^|\/)depth\/[^/]+$/)) return assembleScanNet(files, options);

  const cameraFolders = [...new Set(files.filter((f) => baseName(f.name) === 'depth.npy' && dirName(f.name) !== '').map((f) => dirName(f.name)))];
  if (cameraFolders.length > 0) return assembleMultiCameraNpy(cameraFolders, files, options);

  const pointFiles = files.filter(isPointFile);
  if (pointFiles.length > 1) throw new Error(`${pointFiles[1]!.name}: more than one point cloud dropped (${pointFiles.map((f) => f.name).join(', ')}); drop one at a time`);
  if (pointFiles.length === 1) {
    const others = files.filter((f) => f !== pointFiles[0]);
    if (others.length > 0) throw new Error(`${others[0]!.name}: dropped together with the point cloud ${pointFiles[0]!.name}; a point cloud is loaded on its own`);
    return assemblePointFile(pointFiles[0]!);
  }

  if (files.every((f) => isNpy(f.bytes))) {
    const arrays = parseNpyFiles(files);
    if (arrays.some(({ array }) => array.shape.length === 2 && (array.shape[1] === 3 || array.shape[1] === 6))) return assembleNpyPoints(arrays);
  }

  return assembleSingleFrame(files, options);
}
