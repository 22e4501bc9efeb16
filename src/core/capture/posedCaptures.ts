/**
 * Posed multi-view captures: the FieldLens scene.json, nerfstudio transforms.json, Open3D/Redwood
 * trajectory.log, TUM RGB-D sequences, ScanNet folders and multi-camera .npy rigs (SparseDFF /
 * Azure Kinect). Every pose is converted to camera-to-world in the OpenCV frame by its parser.
 */
import { checkMetricDepth } from '../formats/depthFormats.ts';
import { parseIntrinsicsFile } from '../formats/intrinsicsFiles.ts';
import { parseNerfstudioTransforms } from '../formats/nerfstudio.ts';
import { parseOpen3dTrajectoryLog, parseScanNetPose, parseTumGroundTruth } from '../formats/poses.ts';
import { parseSparseDffCalibration } from '../formats/rigCalibration.ts';
import { associateByTimestamp, parseRgbdMatch, parseTumFileList, poseForTimestamp } from '../formats/sequences.ts';
import { parseSceneDescription } from '../formats/sceneDescription.ts';
import { findIntrinsicsPreset, scaleIntrinsics } from './intrinsicsPresets.ts';
import { IDENTITY_POSE, type CameraToWorld, type PinholeIntrinsics, type RgbdView } from '../units.ts';
import { baseName, dirName } from '../formats/paths.ts';
import type { CaptureFile } from './captureFiles.ts';
import type { AssembleOptions, CaptureContent } from './captureTypes.ts';
import type { CaptureFormatEntry } from './captureRegistry.ts';
import { resolveDepthScale, typedToPinhole } from './captureSettings.ts';
import { checkDepthUnits, type DepthScaleWarning } from './depthUnitsCheck.ts';
import { checkColourRegistration, decodeColourFile, decodeDepthFile } from './decodeRaster.ts';
import { FormatError } from '../formats/formatError.ts';

const text = (file: CaptureFile) => new TextDecoder().decode(file.bytes);
const numericStem = (path: string) =>
  Number(
    baseName(path)
      .replace(/\.[^.]+$/, '')
      .replace(/^\D+/, ''),
  );

function fileIndex(files: readonly CaptureFile[]): (path: string, context: string) => CaptureFile {
  const byPath = new Map(files.map((f) => [f.name.replace(/^\.\//, ''), f]));
  return (path, context) => {
    const clean = path.replace(/^\.\//, '');
    const file = byPath.get(clean) ?? files.find((f) => f.name.endsWith(`/${clean}`));
    if (!file) throw new FormatError(`${context}: names ${path}, which is not among the dropped files`);
    return file;
  };
}

/** Keeps at most `max` items at a uniform stride; says so in `warnings`. */
function subsample<T>(items: readonly T[], max: number, what: string, warnings: string[]): T[] {
  if (items.length <= max) return [...items];
  const stride = items.length / max;
  warnings.push(`${what}: using ${max} of ${items.length} frames (every ${stride.toFixed(1)}th) — raise the frame limit to use more`);
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * stride)]!);
}

function fallbackIntrinsics(
  options: AssembleOptions,
  width: number,
  height: number,
  context: string,
  defaultPreset?: string,
): { k: PinholeIntrinsics; source: string } {
  if (options.intrinsics) return { k: typedToPinhole(options.intrinsics, width, height), source: 'typed values' };
  const presetId = options.intrinsicsPresetId || defaultPreset;
  if (presetId) {
    const preset = findIntrinsicsPreset(presetId);
    return { k: scaleIntrinsics(preset.intrinsics, width, height, `preset ${preset.id}`), source: `preset ${preset.id}` };
  }
  throw new FormatError(`${context}: no camera intrinsics — expected an intrinsics file in the capture, or a camera preset / typed values in the panel`);
}

interface FrameSpec {
  readonly name: string;
  readonly depth: CaptureFile;
  readonly color?: CaptureFile | undefined;
  readonly cameraToWorld: CameraToWorld;
  /**
   * Intrinsics, rescaled to the depth image; a function when they can only be read knowing the
   * image size (ScanNet's 4×4 text, a 3×3 .npy); the options' fallback when absent.
   */
  readonly intrinsics?: PinholeIntrinsics | ((size: { width: number; height: number }) => PinholeIntrinsics) | undefined;
}

interface BuiltViews {
  readonly views: RgbdView[];
  readonly intrinsicsSource: string;
  /** The first frame whose median depth is implausible for its depth scale, if any. */
  readonly depthScaleWarning?: DepthScaleWarning;
}

function buildViews(
  frames: readonly FrameSpec[],
  depthScale: number,
  options: AssembleOptions,
  warnings: string[],
  context: string,
  defaultPreset?: string,
): BuiltViews {
  let intrinsicsSource = 'the capture';
  let depthScaleWarning: DepthScaleWarning | null = null;
  const resampled: string[] = [];
  const views = frames.map((frame) => {
    const decoded = decodeDepthFile(frame.depth, depthScale, options.depthEncoding);
    const { depth } = decoded;
    depthScaleWarning ??= checkDepthUnits(frame.depth.name, depth.metres, decoded.depthScale);
    const { nanCount } = checkMetricDepth(depth, frame.depth.name);
    if (nanCount > 0) warnings.push(`${frame.depth.name}: ${nanCount.toLocaleString('en')} NaN depth pixels ignored`);
    let intrinsics = typeof frame.intrinsics === 'function' ? frame.intrinsics({ width: depth.width, height: depth.height }) : frame.intrinsics;
    if (!intrinsics) {
      const fallback = fallbackIntrinsics(options, depth.width, depth.height, context, defaultPreset);
      intrinsics = fallback.k;
      intrinsicsSource = fallback.source;
    } else {
      intrinsics = scaleIntrinsics(intrinsics, depth.width, depth.height, `${context} intrinsics`);
    }
    const color = frame.color ? decodeColourFile(frame.color) : undefined;
    if (color) checkColourRegistration(frame.color!.name, color, frame.depth.name, depth, resampled);
    return { name: frame.name, depth, ...(color ? { color } : {}), intrinsics, cameraToWorld: frame.cameraToWorld };
  });
  // One line for a sequence, not one per frame.
  if (resampled.length > 0) warnings.push(resampled.length === 1 ? resampled[0]! : `${resampled[0]!} (and ${resampled.length - 1} more frames)`);
  return { views, intrinsicsSource, ...(depthScaleWarning ? { depthScaleWarning } : {}) };
}

function assembleSceneJson(sceneFile: CaptureFile, files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const scene = parseSceneDescription(text(sceneFile), sceneFile.name);
  const find = fileIndex(files);
  const prefix = dirName(sceneFile.name);
  const at = (p: string) => find(prefix ? `${prefix}/${p}` : p, sceneFile.name);
  const warnings: string[] = [];
  const frames = scene.views.map((v) => ({ name: v.name, depth: at(v.depth), color: at(v.color), cameraToWorld: v.cameraToWorld, intrinsics: v.intrinsics }));
  const { views, ...depthCheck } = buildViews(frames, scene.depthScale, { ...options, depthEncoding: 'uint16' }, warnings, sceneFile.name);
  return {
    detected: `${scene.name}: ${views.length} posed views (FieldLens scene.json)`,
    warnings,
    views,
    ...depthCheck,
    ...(scene.worldUp ? { worldUp: scene.worldUp } : {}),
  };
}

function assembleNerfstudio(transformsFile: CaptureFile, files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const transforms = parseNerfstudioTransforms(text(transformsFile), transformsFile.name);
  const find = fileIndex(files);
  const prefix = dirName(transformsFile.name);
  const at = (p: string) => find(prefix ? `${prefix}/${p}` : p, transformsFile.name);
  const warnings: string[] = [];
  const withDepth = transforms.frames.filter((f) => f.depthPath);
  if (withDepth.length === 0)
    throw new FormatError(`${transformsFile.name}: no frame has a depth_file_path; FieldLens needs depth to lift a nerfstudio capture`);
  const frames = subsample(withDepth, options.maxFrames, transformsFile.name, warnings).map((f) => ({
    name: baseName(f.filePath),
    depth: at(f.depthPath!),
    color: at(f.filePath),
    cameraToWorld: f.cameraToWorld,
    intrinsics: f.intrinsics,
  }));
  const { views, ...depthCheck } = buildViews(frames, resolveDepthScale(options, 1000), options, warnings, transformsFile.name);
  return { detected: `nerfstudio transforms.json: ${views.length} posed RGB-D frames (OpenGL poses converted)`, warnings, views, ...depthCheck };
}

function assembleTrajectoryLog(trajectoryFile: CaptureFile, files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const poses = parseOpen3dTrajectoryLog(text(trajectoryFile), trajectoryFile.name);
  const warnings: string[] = [];
  const matchFile = files.find((f) => baseName(f.name) === 'rgbd.match');
  const find = fileIndex(files);
  let pairs: { depth: CaptureFile; color?: CaptureFile }[];
  if (matchFile) {
    pairs = parseRgbdMatch(text(matchFile), matchFile.name).map((m) => ({ depth: find(m.depth, matchFile.name), color: find(m.color, matchFile.name) }));
  } else {
    const depths = files.filter((f) => /(^|\/)depth\/[^/]+\.png$/i.test(f.name)).sort((a, b) => numericStem(a.name) - numericStem(b.name));
    const colours = files
      .filter((f) => /(^|\/)(color|colour|rgb|image)\/[^/]+\.(png|jpe?g)$/i.test(f.name))
      .sort((a, b) => numericStem(a.name) - numericStem(b.name));
    pairs = depths.map((depth, i) => ({ depth, ...(colours[i] ? { color: colours[i] } : {}) }));
  }
  if (pairs.length === 0) throw new FormatError(`${trajectoryFile.name}: found no depth/*.png frames beside the trajectory`);
  const posed = poses.filter((p) => p.frame < pairs.length);
  const unused = poses.length - posed.length;
  if (unused > 0)
    warnings.push(
      `${trajectoryFile.name}: ${unused} ${unused === 1 ? 'pose refers to a frame' : 'poses refer to frames'} that ${unused === 1 ? 'was' : 'were'} not dropped`,
    );
  if (posed.length === 0) throw new FormatError(`${trajectoryFile.name}: none of its ${poses.length} poses matches one of the ${pairs.length} dropped frames`);
  const intrinsicsFile = files.find((f) => /\.json$/i.test(f.name) && /intrinsic|camera/i.test(baseName(f.name)));
  const intrinsics = intrinsicsFile
    ? (size: { width: number; height: number }) => parseIntrinsicsFile(intrinsicsFile.bytes, intrinsicsFile.name, size)
    : undefined;
  const frames = subsample(posed, options.maxFrames, trajectoryFile.name, warnings).map((p) => ({
    name: baseName(pairs[p.frame]!.depth.name),
    depth: pairs[p.frame]!.depth,
    color: pairs[p.frame]!.color,
    cameraToWorld: p.cameraToWorld,
    intrinsics,
  }));
  const { views, intrinsicsSource, ...depthCheck } = buildViews(
    frames,
    resolveDepthScale(options, 1000),
    options,
    warnings,
    trajectoryFile.name,
    'primesense-640x480',
  );
  return {
    detected: `Open3D/Redwood sequence: ${views.length} frames posed by ${trajectoryFile.name}${matchFile ? ' (paired by rgbd.match)' : ''}, intrinsics from ${intrinsicsFile?.name ?? intrinsicsSource}`,
    warnings,
    views,
    ...depthCheck,
  };
}

function assembleTumSequence(files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const find = fileIndex(files);
  const named = (n: string) => files.find((f) => baseName(f.name) === n);
  const rgbList = named('rgb.txt')!;
  const depthList = named('depth.txt')!;
  const prefix = dirName(depthList.name);
  const gtFile = named('groundtruth.txt');
  if (!gtFile) throw new FormatError(`${depthList.name}: a TUM sequence needs groundtruth.txt for the camera poses (not among the dropped files)`);
  const warnings: string[] = [];
  const pairs = associateByTimestamp(parseTumFileList(text(depthList), depthList.name), parseTumFileList(text(rgbList), rgbList.name));
  const groundTruth = parseTumGroundTruth(text(gtFile), gtFile.name);
  const posed = pairs.flatMap((pair) => {
    const pose = poseForTimestamp(groundTruth, pair.a.timestamp, 0.02);
    return pose ? [{ pair, pose }] : [];
  });
  if (posed.length < pairs.length)
    warnings.push(`${gtFile.name}: ${pairs.length - posed.length} frames have no ground-truth pose within 20 ms and were skipped`);
  if (posed.length === 0) throw new FormatError(`${gtFile.name}: no depth frame has a ground-truth pose within 20 ms`);
  const at = (p: string) => find(prefix ? `${prefix}/${p}` : p, depthList.name);
  const frames = subsample(posed, options.maxFrames, depthList.name, warnings).map(({ pair, pose }) => ({
    name: baseName(pair.a.path),
    depth: at(pair.a.path),
    color: at(pair.b.path),
    cameraToWorld: pose,
  }));
  const { views, intrinsicsSource, ...depthCheck } = buildViews(
    frames,
    resolveDepthScale(options, 5000),
    options,
    warnings,
    depthList.name,
    'primesense-640x480',
  );
  return {
    detected: `TUM RGB-D sequence: ${views.length} frames associated by timestamp, intrinsics from ${intrinsicsSource}`,
    warnings,
    views,
    ...depthCheck,
  };
}

function assembleScanNet(files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const warnings: string[] = [];
  const byStem = (folder: RegExp) => new Map(files.filter((f) => folder.test(f.name)).map((f) => [numericStem(f.name), f]));
  const depths = byStem(/(^|\/)depth\/[^/]+\.png$/i);
  const colours = byStem(/(^|\/)color\/[^/]+\.(jpe?g|png)$/i);
  const poses = byStem(/(^|\/)pose\/[^/]+\.txt$/i);
  const intrinsicsFile =
    files.find((f) => /(^|\/)intrinsic\/intrinsic_depth\.txt$/.test(f.name)) ?? files.find((f) => /(^|\/)intrinsic\/intrinsic_color\.txt$/.test(f.name));
  const ids = [...depths.keys()].filter((id) => poses.has(id)).sort((a, b) => a - b);
  if (ids.length === 0) throw new FormatError('ScanNet folder: no frame has both depth/<i>.png and pose/<i>.txt');
  const frames: FrameSpec[] = [];
  for (const id of subsample(ids, options.maxFrames, 'ScanNet folder', warnings)) {
    const poseFile = poses.get(id)!;
    try {
      frames.push({ name: `frame ${id}`, depth: depths.get(id)!, color: colours.get(id), cameraToWorld: parseScanNetPose(text(poseFile), poseFile.name) });
    } catch (error) {
      warnings.push(`${(error as Error).message} — frame skipped`);
    }
  }
  if (frames.length === 0) throw new FormatError('ScanNet folder: every selected frame has an invalid pose');
  const intrinsics = intrinsicsFile
    ? (size: { width: number; height: number }) => parseIntrinsicsFile(intrinsicsFile.bytes, intrinsicsFile.name, size)
    : undefined;
  const specs = frames.map((f) => ({ ...f, intrinsics }));
  const { views, intrinsicsSource, ...depthCheck } = buildViews(specs, resolveDepthScale(options, 1000), options, warnings, 'ScanNet folder');
  return {
    detected: `ScanNet-style folder: ${views.length} posed frames, intrinsics from ${intrinsicsFile?.name ?? intrinsicsSource}`,
    warnings,
    views,
    ...depthCheck,
  };
}

/**
 * SparseDFF / Azure Kinect rigs: one folder per camera with depth.npy, colors.npy, intrinsic.npy;
 * extrinsics from a calibration.json (camN_to_cam0; world = cam0) or identity for a single camera.
 */
function assembleMultiCameraNpy(cameraFolders: readonly string[], files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const warnings: string[] = [];
  const inFolder = (folder: string, name: string) => files.find((f) => f.name === `${folder}/${name}`);
  const calibrationFile = files.find((f) => /calibration\.json$/i.test(baseName(f.name)));
  const calibration = calibrationFile ? parseSparseDffCalibration(text(calibrationFile), calibrationFile.name) : null;
  const folders = [...cameraFolders].sort();
  if (!calibration && folders.length > 1) {
    throw new FormatError(
      `${dirName(folders[0]!) || folders[0]}: ${folders.length} camera folders (${folders.join(', ')}) but no calibration.json with their extrinsics among the dropped files`,
    );
  }
  const calibratedNames = calibration ? Object.keys(calibration.cameras).sort() : [];
  const frames = folders.map((folder, i) => {
    const depth = inFolder(folder, 'depth.npy')!;
    const color = inFolder(folder, 'colors.npy') ?? inFolder(folder, 'color.npy');
    const intrinsicFile = inFolder(folder, 'intrinsic.npy');
    // Match a folder to its calibrated camera by name, else by sorted order (serial-number folders).
    const cameraName = calibration ? (calibration.cameras[baseName(folder)] ? baseName(folder) : calibratedNames[i]) : undefined;
    const calibrated = cameraName ? calibration!.cameras[cameraName] : undefined;
    if (calibration && !calibrated)
      throw new FormatError(`${calibrationFile!.name}: has no camera for folder ${folder} (cameras: ${calibratedNames.join(', ')})`);
    if (calibrated && cameraName !== baseName(folder)) warnings.push(`${folder} matched to calibration camera ${cameraName} by sorted order`);
    const intrinsics = intrinsicFile
      ? (size: { width: number; height: number }) => parseIntrinsicsFile(intrinsicFile.bytes, intrinsicFile.name, calibrated?.intrinsics ?? size)
      : calibrated?.intrinsics;
    return { name: baseName(folder), depth, color, cameraToWorld: calibrated?.cameraToWorld ?? IDENTITY_POSE, intrinsics };
  });
  const { views, intrinsicsSource, ...depthCheck } = buildViews(frames, resolveDepthScale(options, 1000), options, warnings, folders[0]!);
  return {
    detected: `multi-camera capture: ${views.length} cameras (${folders.join(', ')}), extrinsics from ${calibrationFile?.name ?? 'identity'}, intrinsics from ${frames.every((f) => f.intrinsics) ? 'the capture' : intrinsicsSource}`,
    warnings,
    views,
    ...depthCheck,
  };
}

const has = (files: readonly CaptureFile[], re: RegExp) => files.find((f) => re.test(f.name));
const sceneJsonOf = (files: readonly CaptureFile[]) =>
  files.find((f) => baseName(f.name) === 'scene.json' && new TextDecoder().decode(f.bytes.subarray(0, 200)).includes('fieldlens-scene@1'));
const cameraFoldersOf = (files: readonly CaptureFile[]) => [
  ...new Set(files.filter((f) => baseName(f.name) === 'depth.npy' && dirName(f.name) !== '').map((f) => dirName(f.name))),
];

export const sceneJsonCapture: CaptureFormatEntry = {
  id: 'fieldlens-scene',
  label: 'FieldLens scene.json (fieldlens-scene@1) with its colour and depth images',
  extensions: ['json', 'png', 'jpg', 'jpeg'],
  detect: (files) => sceneJsonOf(files) !== undefined,
  assemble: (files, options) => assembleSceneJson(sceneJsonOf(files)!, files, options),
};

export const nerfstudioCapture: CaptureFormatEntry = {
  id: 'nerfstudio',
  label: 'nerfstudio transforms.json with depth_file_path (OpenGL poses converted)',
  extensions: ['json', 'png', 'jpg', 'jpeg'],
  detect: (files) => has(files, /(^|\/)transforms\.json$/) !== undefined,
  assemble: (files, options) => assembleNerfstudio(has(files, /(^|\/)transforms\.json$/)!, files, options),
};

export const trajectoryLogCapture: CaptureFormatEntry = {
  id: 'open3d-trajectory',
  label: 'Open3D / Redwood: color/, depth/, trajectory.log (+ rgbd.match, intrinsics JSON)',
  extensions: ['log', 'match', 'json', 'png', 'jpg', 'jpeg'],
  detect: (files) => has(files, /(^|\/)trajectory\.log$/) !== undefined,
  assemble: (files, options) => assembleTrajectoryLog(has(files, /(^|\/)trajectory\.log$/)!, files, options),
};

export const tumSequenceCapture: CaptureFormatEntry = {
  id: 'tum-sequence',
  label: 'TUM RGB-D: rgb.txt, depth.txt, groundtruth.txt (nearest-timestamp association, scale 5000)',
  extensions: ['txt', 'png'],
  detect: (files) => has(files, /(^|\/)rgb\.txt$/) !== undefined && has(files, /(^|\/)depth\.txt$/) !== undefined,
  assemble: assembleTumSequence,
};

export const scanNetCapture: CaptureFormatEntry = {
  id: 'scannet',
  label: 'ScanNet-style folder: color/, depth/, pose/ (camera-to-world 4×4), intrinsic/',
  extensions: ['txt', 'png', 'jpg', 'jpeg'],
  detect: (files) => has(files, /(^|\/)pose\/[^/]+\.txt$/) !== undefined && has(files, /(^|\/)depth\/[^/]+$/) !== undefined,
  assemble: assembleScanNet,
};

export const multiCameraNpyCapture: CaptureFormatEntry = {
  id: 'multi-camera-npy',
  label: 'multi-camera rig (SparseDFF, Azure Kinect): one folder per camera with depth.npy, colors.npy, intrinsic.npy + calibration.json',
  extensions: ['npy', 'json'],
  detect: (files) => cameraFoldersOf(files).length > 0,
  assemble: (files, options) => assembleMultiCameraNpy(cameraFoldersOf(files), files, options),
};
