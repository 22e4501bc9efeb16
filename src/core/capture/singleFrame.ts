/**
 * One RGB-D frame from loose files: depth told from colour by content (16-bit single channel,
 * .npy depth, NYU PGM vs 8-bit colour), intrinsics from a dropped file, typed values or a preset.
 */
import { parseIntrinsicsFile } from '../formats/intrinsicsFiles.ts';
import { findIntrinsicsPreset, scaleIntrinsics } from './intrinsicsPresets.ts';
import { decodeImage, type DecodedImage } from '../formats/images.ts';
import { parseNetpbm } from '../formats/netpbm.ts';
import { isNpyBytes, npyShape } from '../formats/npy.ts';
import { checkMetricDepth } from '../formats/depthFormats.ts';
import { extensionOf } from '../formats/paths.ts';
import { IDENTITY_POSE, type PinholeIntrinsics } from '../units.ts';
import type { CaptureFile } from './captureFiles.ts';
import type { AssembleOptions, CaptureContent } from './captureTypes.ts';
import type { CaptureFormatEntry } from './captureRegistry.ts';
import { resolveDepthScale, typedToPinhole } from './captureSettings.ts';
import { checkDepthUnits, looksLikeTum, TUM_DEPTH_SCALE } from './depthUnitsCheck.ts';
import { checkColourRegistration, decodeColourFile, decodeDepthFile, isNetpbm } from './decodeRaster.ts';
import { FormatError } from '../formats/formatError.ts';

type Role = 'depth' | 'colour' | 'intrinsics' | 'grey8';

/**
 * Classifies a loose file by content (names only for text intrinsics). Decoded images are kept in
 * `decodedImages` so each file is decoded once.
 */
function roleOf(file: CaptureFile, decodedImages: Map<CaptureFile, DecodedImage>): Role | null {
  const { bytes, name } = file;
  const ext = extensionOf(name);
  if (isNpyBytes(bytes)) {
    const shape = npyShape(bytes, name);
    if (shape.length === 2 && shape[0] === 3 && shape[1] === 3) return 'intrinsics';
    if (shape.length === 3 && (shape[2] === 3 || shape[2] === 4)) return 'colour';
    if (shape.length === 2 || (shape.length === 3 && shape[2] === 1)) return 'depth';
    return null;
  }
  if (isNetpbm(bytes)) return parseNetpbm(bytes, name).kind === 'grey16' ? 'depth' : 'colour';
  if (ext === 'json' || ext === 'txt') return 'intrinsics';
  if (ext === 'png' || ext === 'jpg' || ext === 'jpeg') {
    const image = decodeImage(bytes, name);
    decodedImages.set(file, image);
    return image.kind === 'depth16' ? 'depth' : image.kind === 'rgb8' ? 'colour' : 'grey8';
  }
  return null;
}

function assembleSingleFrame(files: readonly CaptureFile[], options: AssembleOptions): CaptureContent {
  const byRole = new Map<Role, CaptureFile[]>();
  const decodedImages = new Map<CaptureFile, DecodedImage>();
  for (const file of files) {
    const role = roleOf(file, decodedImages);
    if (!role) {
      throw new FormatError(
        `${file.name}: unsupported file (expected a colour PNG/JPG/PPM, a 16-bit depth PNG, a depth .npy or NYU .pgm, an intrinsics .json/.txt/.npy, or a point cloud .ply/.pcd/.npy)`,
      );
    }
    byRole.set(role, [...(byRole.get(role) ?? []), file]);
  }
  const depths = byRole.get('depth') ?? [];
  const greys = byRole.get('grey8') ?? [];
  const colours = [...(byRole.get('colour') ?? []), ...(depths.length > 0 ? greys : [])];
  if (depths.length === 0) {
    const grey = greys[0];
    if (grey)
      throw new FormatError(
        `${grey.name}: expected a 16-bit single-channel depth PNG, found an 8-bit greyscale PNG (8 bits cannot hold depth; save depth as uint16)`,
      );
    throw new FormatError(
      `no depth image among the dropped files: expected a 16-bit single-channel PNG (or depth .npy / NYU .pgm), found ${files.map((f) => f.name).join(', ')}`,
    );
  }
  if (depths.length > 1)
    throw new FormatError(
      `${depths[1]!.name}: more than one depth image (${depths.map((d) => d.name).join(', ')}); drop one frame, or a folder with poses for a sequence`,
    );
  if (colours.length > 1)
    throw new FormatError(
      `${colours[1]!.name}: more than one colour image (${colours.map((c) => c.name).join(', ')}); drop one frame, or a folder with poses for a sequence`,
    );
  const intrinsicsFiles = byRole.get('intrinsics') ?? [];
  if (intrinsicsFiles.length > 1)
    throw new FormatError(`${intrinsicsFiles[1]!.name}: a second intrinsics file (already have ${intrinsicsFiles[0]!.name}); drop one`);

  const depthFile = depths[0]!;
  // TUM frames keep their names (timestamps, "TUM_…"): on 'auto' they get TUM's 5000 units/m.
  const tum = options.depthScale === 'auto' && looksLikeTum(depthFile.name);
  const depthScale = resolveDepthScale(options, tum ? TUM_DEPTH_SCALE : 1000);
  const decodedDepth = decodeDepthFile(depthFile, depthScale, options.depthEncoding, decodedImages.get(depthFile));
  const { depth } = decodedDepth;
  const encoding = tum && decodedDepth.depthScale !== null ? `${decodedDepth.encoding}, TUM by its name` : decodedDepth.encoding;
  const depthScaleWarning = checkDepthUnits(depthFile.name, depth.metres, decodedDepth.depthScale);
  const { nanCount } = checkMetricDepth(depth, depthFile.name);
  const colourFile = colours[0];
  const color = colourFile ? decodeColourFile(colourFile, decodedImages.get(colourFile)) : undefined;
  const warnings: string[] = [];
  if (nanCount > 0) warnings.push(`${depthFile.name}: ${nanCount.toLocaleString('en')} NaN depth pixels ignored`);
  if (color) checkColourRegistration(colourFile!.name, color, depthFile.name, depth, warnings);

  let intrinsics: PinholeIntrinsics;
  let intrinsicsSource: string;
  const size = { width: depth.width, height: depth.height };
  const fromFile = intrinsicsFiles[0];
  // Typed values are an explicit correction by the user: they win over the capture's own file.
  if (options.intrinsics) {
    intrinsics = typedToPinhole(options.intrinsics, depth.width, depth.height);
    intrinsicsSource = fromFile ? `typed values (overriding ${fromFile.name})` : 'typed values';
  } else if (fromFile) {
    intrinsics = scaleIntrinsics(parseIntrinsicsFile(fromFile.bytes, fromFile.name, size), depth.width, depth.height, fromFile.name);
    intrinsicsSource = fromFile.name;
  } else if (options.intrinsicsPresetId) {
    const preset = findIntrinsicsPreset(options.intrinsicsPresetId);
    intrinsics = scaleIntrinsics(preset.intrinsics, depth.width, depth.height, `preset ${preset.id}`);
    intrinsicsSource = `preset ${preset.id}`;
  } else {
    throw new FormatError(
      `${depthFile.name}: no camera intrinsics — expected an intrinsics file (Open3D .json, ScanNet .txt, fx fy cx cy .txt, 3×3 .npy) among the dropped files, or a camera preset / typed values in the panel`,
    );
  }

  const colourPart = colourFile ? `${colourFile.name} + ` : '';
  return {
    detected: `RGB-D frame: ${colourPart}${depthFile.name} (${encoding}), intrinsics from ${intrinsicsSource}`,
    warnings,
    views: [{ name: depthFile.name, depth, ...(color ? { color } : {}), intrinsics, cameraToWorld: IDENTITY_POSE }],
    ...(depthScaleWarning ? { depthScaleWarning } : {}),
  };
}

/** The fallback, asked last: loose files as one frame; its assembler names each file it cannot place. */
export const singleFrameCapture: CaptureFormatEntry = {
  id: 'rgbd-frame',
  label: 'single RGB-D frame: colour PNG/JPG/PPM + depth (16-bit PNG, .npy, NYU .pgm, SUN PNG) + intrinsics (.json, .txt, 3×3 .npy) or a preset',
  extensions: ['png', 'jpg', 'jpeg', 'ppm', 'pgm', 'npy', 'json', 'txt'],
  detect: () => true,
  assemble: assembleSingleFrame,
};
