/**
 * One dropped RGB-D frame: tells depth from colour by content, finds the intrinsics (dropped JSON
 * or a preset, scaled to the depth resolution), and lifts every pixel with depth > 0 to a point.
 * All validation happens before anything is returned, so a failure leaves the caller's scene alone.
 */
import { decodeImage, type DecodedImage, type DepthImage16, type RgbImage } from '../parse/images.ts';
import { findIntrinsicsPreset, parseOpen3dIntrinsicsJson, scaleIntrinsics } from '../parse/intrinsics.ts';
import { backProjectDepth } from '../lift/backProjectDepth.ts';
import type { PointCloud } from '../lift/pointCloud.ts';
import { asDepthScale, IDENTITY_POSE, type PinholeIntrinsics } from '../units.ts';
import { bytesToText, extensionOf, type NamedBytes } from './droppedFiles.ts';

export interface RgbdFrameOptions {
  /** Depth units per metre; 1000 (millimetres) unless the user says otherwise. */
  readonly depthScale: number;
  /** Used when no intrinsics JSON is among the files. */
  readonly intrinsicsPresetId?: string | undefined;
}

export interface RgbdFrameReport {
  readonly detected: 'rgbd-frame' | 'depth-only-frame';
  readonly depthFile: string;
  readonly colorFile: string | null;
  readonly intrinsics: PinholeIntrinsics;
  readonly intrinsicsSource: string;
  readonly depthScale: number;
  readonly validDepthPixels: number;
}

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg']);

export function assembleRgbdFrame(files: readonly NamedBytes[], options: RgbdFrameOptions): { cloud: PointCloud; report: RgbdFrameReport } {
  if (files.length === 0) throw new Error('no files were dropped');
  const images: { name: string; image: DecodedImage }[] = [];
  let intrinsicsFromFile: { k: PinholeIntrinsics; name: string } | undefined;
  for (const file of files) {
    const ext = extensionOf(file.name);
    if (ext === 'json') {
      if (intrinsicsFromFile) throw new Error(`${file.name}: a second intrinsics file (already using ${intrinsicsFromFile.name}); drop one`);
      intrinsicsFromFile = { k: parseOpen3dIntrinsicsJson(bytesToText(file.bytes), file.name), name: file.name };
    } else if (IMAGE_EXTENSIONS.has(ext)) {
      images.push({ name: file.name, image: decodeImage(file.bytes, file.name) });
    } else {
      throw new Error(`${file.name}: unsupported file type ".${ext}" (expected a colour PNG/JPG, a 16-bit depth PNG and optionally an Open3D intrinsics .json)`);
    }
  }

  const depths = images.filter((i): i is { name: string; image: DepthImage16 } => i.image.kind === 'depth16');
  const colours = images.filter((i): i is { name: string; image: RgbImage } => i.image.kind === 'rgb8');
  const greys = images.filter((i) => i.image.kind === 'grey8');
  if (depths.length === 0) {
    const grey = greys[0];
    if (grey) {
      throw new Error(`${grey.name}: expected a 16-bit single-channel depth PNG, found an 8-bit greyscale PNG (8 bits cannot hold depth; save depth as uint16)`);
    }
    const names = images.map((i) => i.name).join(', ') || 'none';
    throw new Error(`no depth image among the dropped files: expected a 16-bit single-channel PNG, found colour image(s): ${names}`);
  }
  if (depths.length > 1) throw new Error(`${depths[1]!.name}: more than one depth image dropped (${depths.map((d) => d.name).join(', ')}); drop one frame at a time`);
  if (colours.length > 1) throw new Error(`${colours[1]!.name}: more than one colour image dropped (${colours.map((c) => c.name).join(', ')}); drop one frame at a time`);
  const depth = depths[0]!;
  const colour = colours[0] ?? (greys[0] ? { name: greys[0].name, image: greyToRgb(greys[0].image as Extract<DecodedImage, { kind: 'grey8' }>) } : undefined);
  if (colour && (colour.image.width !== depth.image.width || colour.image.height !== depth.image.height)) {
    throw new Error(
      `${colour.name}: colour is ${colour.image.width}×${colour.image.height} but depth ${depth.name} is ${depth.image.width}×${depth.image.height}; expected the same size (register colour to depth first)`,
    );
  }

  let intrinsics: PinholeIntrinsics;
  let intrinsicsSource: string;
  if (intrinsicsFromFile) {
    intrinsics = scaleIntrinsics(intrinsicsFromFile.k, depth.image.width, depth.image.height, intrinsicsFromFile.name);
    intrinsicsSource = intrinsicsFromFile.name;
  } else if (options.intrinsicsPresetId) {
    const preset = findIntrinsicsPreset(options.intrinsicsPresetId);
    intrinsics = scaleIntrinsics(preset.intrinsics, depth.image.width, depth.image.height, `preset ${preset.id}`);
    intrinsicsSource = `preset ${preset.id}`;
  } else {
    throw new Error(`${depth.name}: no camera intrinsics — expected an Open3D intrinsics .json among the dropped files, or a camera preset picked in the panel`);
  }

  const cloud = backProjectDepth(depth.image, {
    intrinsics,
    depthScale: asDepthScale(options.depthScale),
    cameraToWorld: IDENTITY_POSE,
    ...(colour ? { rgb: colour.image.rgb } : {}),
  });
  return {
    cloud,
    report: {
      detected: colour ? 'rgbd-frame' : 'depth-only-frame',
      depthFile: depth.name,
      colorFile: colour?.name ?? null,
      intrinsics,
      intrinsicsSource,
      depthScale: options.depthScale,
      validDepthPixels: cloud.count,
    },
  };
}

function greyToRgb(image: { width: number; height: number; grey: Uint8Array }): RgbImage {
  const rgb = new Uint8Array(image.grey.length * 3);
  for (let i = 0; i < image.grey.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.grey[i]!;
  return { kind: 'rgb8', width: image.width, height: image.height, rgb };
}
