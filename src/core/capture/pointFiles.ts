/**
 * Ready-made point clouds: PLY, PCD, or `.npy` N×3 / N×6 (xyz [+ rgb]) with an optional N×D
 * features `.npy` (bring-your-own per-point features).
 */
import { parsePcd } from '../formats/pcd.ts';
import { parsePly } from '../formats/ply.ts';
import { isNpyBytes, npyShape, npyToFloat32, parseNpy, type NpyArray } from '../formats/npy.ts';
import { extensionOf } from '../formats/paths.ts';
import { decodeResultPly } from '../export/resultPly.ts';
import type { CaptureFile } from './captureFiles.ts';
import type { CaptureFormatEntry } from './captureRegistry.ts';
import type { CaptureContent } from './captureTypes.ts';
import { MIN_EMBEDDING_DIM, type PointFeatures, type PointSet } from '../units.ts';
import { encodeHalves } from '../features/float16.ts';
import { FormatError } from '../formats/formatError.ts';

/**
 * A registry entry for a single-file point-cloud format: detected by extension, parsed by `parse`.
 * A FieldLens result PLY carries its query result: it is taken out of the feature channels (so it
 * is not queried as features) and returned as `savedResult`.
 */
export function pointCloudFileFormat(format: {
  id: string;
  label: string;
  extension: string;
  parse: (bytes: Uint8Array, fileName: string) => PointSet;
}): CaptureFormatEntry {
  const claims = (file: CaptureFile) => extensionOf(file.name) === format.extension;
  return {
    id: format.id,
    label: format.label,
    extensions: [format.extension],
    pointCloudFile: true,
    detect: (files) => files.some(claims),
    assemble: (files) => {
      const file = files.find(claims)!;
      const { points: parsed, dropped } = dropNonFinitePoints(format.parse(file.bytes, file.name));
      if (parsed.count === 0) {
        throw new FormatError(
          `${file.name}: the point cloud holds no points${dropped > 0 ? ` with finite coordinates (${dropped.toLocaleString('en')} NaN or infinite)` : ''}`,
        );
      }
      const warnings = [
        ...(parsed.warnings ?? []),
        ...(dropped > 0 ? [`${file.name}: ${dropped.toLocaleString('en')} points with NaN or infinite coordinates were left out`] : []),
      ];
      const saved = decodeResultPly(parsed, file.name);
      const points: PointSet = saved ? withFeatures(parsed, saved.features) : parsed;
      const kept = points.halfFeatures ?? points.features;
      const featureNote = kept ? `, ${kept.dim} per-point feature channels kept` : '';
      const resultNote = saved ? ', with a saved FieldLens result' : '';
      return {
        detected: `${format.extension.toUpperCase()} point cloud ${file.name}: ${points.count.toLocaleString('en')} points${points.colors ? ' with colour' : ''}${featureNote}${resultNote}`,
        warnings,
        points,
        ...(saved ? { savedResult: saved.result } : {}),
      };
    },
  };
}

/**
 * Points with a NaN or infinite coordinate are left out (PCL marks invalid points of organised
 * clouds with NaN; a damaged file has them anywhere): bounds, voxels and outlier filters need
 * finite positions. Colours and features stay aligned.
 */
export function dropNonFinitePoints(points: PointSet): { points: PointSet; dropped: number } {
  const p = points.positions;
  const keep: number[] = [];
  for (let i = 0; i < points.count; i++) if (Number.isFinite(p[i * 3]!) && Number.isFinite(p[i * 3 + 1]!) && Number.isFinite(p[i * 3 + 2]!)) keep.push(i);
  if (keep.length === points.count) return { points, dropped: 0 };
  const pick = <T extends Float32Array | Uint16Array | Uint8Array>(values: T, width: number): T => {
    const out = new (values.constructor as new (length: number) => T)(keep.length * width);
    keep.forEach((i, j) => out.set(values.subarray(i * width, (i + 1) * width), j * width));
    return out;
  };
  const { colors, features, halfFeatures } = points;
  return {
    points: {
      ...points,
      count: keep.length,
      positions: pick(p, 3),
      ...(colors ? { colors: pick(colors, 3) } : {}),
      ...(features ? { features: { ...features, values: pick(features.values, features.dim) } } : {}),
      ...(halfFeatures ? { halfFeatures: { ...halfFeatures, halves: pick(halfFeatures.halves, halfFeatures.dim) } } : {}),
    },
    dropped: points.count - keep.length,
  };
}

function withFeatures(points: PointSet, features: PointFeatures | undefined): PointSet {
  const { count, positions, colors, comments, warnings } = points;
  return {
    count,
    positions,
    ...(colors ? { colors } : {}),
    ...(comments ? { comments } : {}),
    ...(warnings ? { warnings } : {}),
    ...(features ? { features } : {}),
  };
}

export const plyCapture = pointCloudFileFormat({
  id: 'ply',
  label: 'PLY point cloud (ascii / binary; extra vertex properties = per-point features)',
  extension: 'ply',
  parse: (bytes, name) => parsePly(bytes, name, { wideFeaturesAsHalves: true }),
});
export const pcdCapture = pointCloudFileFormat({ id: 'pcd', label: 'PCD point cloud (ascii / binary / binary_compressed)', extension: 'pcd', parse: parsePcd });

/** `.npy` files only, one of them N×3 / N×6 points (xyz [+ rgb]), optionally N×D features beside it. */
export const npyPointsCapture: CaptureFormatEntry = {
  id: 'npy-points',
  label: '.npy point cloud: N×3 / N×6 (xyz [+ rgb]) + an optional N×D features .npy',
  extensions: ['npy'],
  detect: (files) =>
    files.every((f) => isNpyBytes(f.bytes)) &&
    files.some((f) => {
      const shape = npyShape(f.bytes, f.name);
      return shape.length === 2 && (shape[1] === 3 || shape[1] === 6);
    }),
  assemble: (files) => assembleNpyPoints(parseNpyFiles(files)),
};

/** `.npy` point arrays: the one of shape N×3 / N×6 is the points; another N×D one is its features. */
function assembleNpyPoints(files: readonly { file: CaptureFile; array: NpyArray }[]): CaptureContent {
  const pointArrays = files.filter(({ file, array }) => array.shape.length === 2 && (array.shape[1] === 3 || array.shape[1] === 6) && !/feat/i.test(file.name));
  const byName = (re: RegExp) => files.find(({ file }) => re.test(file.name));
  const pointsEntry = byName(/(^|\/)(points?|xyz|pcd|cloud)[^/]*\.npy$/i) ?? pointArrays[0];
  if (!pointsEntry) {
    throw new FormatError(
      `${files[0]!.file.name}: expected point coordinates of shape [N, 3] or [N, 6] (xyz + rgb), found [${files[0]!.array.shape.join(', ')}]`,
    );
  }
  const { file, array } = pointsEntry;
  const [count, columns] = array.shape as [number, number];
  if (array.shape.length !== 2 || (columns !== 3 && columns !== 6)) {
    throw new FormatError(`${file.name}: expected point coordinates of shape [N, 3] or [N, 6], found [${array.shape.join(', ')}]`);
  }
  const values = npyToFloat32(array);
  const positions = new Float32Array(count * 3);
  let colors: Uint8Array | undefined;
  if (columns === 6) {
    colors = new Uint8Array(count * 3);
    let maxColour = 0;
    for (let i = 0; i < count; i++) for (let c = 3; c < 6; c++) maxColour = Math.max(maxColour, values[i * 6 + c]!);
    const scale = maxColour <= 1.0001 ? 255 : 1;
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < 3; c++) {
        positions[i * 3 + c] = values[i * 6 + c]!;
        colors[i * 3 + c] = Math.max(0, Math.min(255, Math.round(values[i * 6 + 3 + c]! * scale)));
      }
    }
  } else {
    positions.set(values);
  }
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i]!)) throw new FormatError(`${file.name}: point ${Math.floor(i / 3)} has a non-finite coordinate (${positions[i]})`);
  }
  const others = files.filter((f) => f !== pointsEntry);
  if (others.length > 1)
    throw new FormatError(
      `${others[1]!.file.name}: expected at most one features .npy beside ${file.name}, found ${others.map((o) => o.file.name).join(', ')}`,
    );
  let points: PointSet = { count, positions, ...(colors ? { colors } : {}) };
  let featureNote = '';
  const featureEntry = others[0];
  if (featureEntry) {
    const shape = featureEntry.array.shape;
    if (shape.length !== 2 || shape[0] !== count) {
      throw new FormatError(`${featureEntry.file.name}: expected per-point features of shape [${count}, D] to match ${file.name}, found [${shape.join(', ')}]`);
    }
    const dim = shape[1]!;
    const { dtype, data } = featureEntry.array;
    // Wide features (an embedding) are kept as halves: a float16 file as it is, others rounded once.
    const wide = (): Uint16Array =>
      dtype === 'float16' ? (data as Uint16Array) : encodeHalves(data instanceof BigInt64Array ? npyToFloat32(featureEntry.array) : data);
    points =
      dim >= MIN_EMBEDDING_DIM
        ? { ...points, halfFeatures: { dim, halves: wide(), names: [] } }
        : { ...points, features: { dim, values: npyToFloat32(featureEntry.array), names: [] } };
    featureNote = ` + ${shape[1]}-d features from ${featureEntry.file.name}`;
  }
  return {
    detected: `.npy point cloud ${file.name}: ${count.toLocaleString('en')} points${colors ? ' with colour' : ''}${featureNote}`,
    warnings: [],
    points,
  };
}

function parseNpyFiles(files: readonly CaptureFile[]): { file: CaptureFile; array: NpyArray }[] {
  return files.map((file) => ({ file, array: parseNpy(file.bytes, file.name, { float16: true }) }));
}
