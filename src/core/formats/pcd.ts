/**
 * PCL's PCD point clouds: DATA ascii, binary (array of structures, little-endian) and
 * binary_compressed (uint32 compressed size, uint32 uncompressed size, then LZF data holding the
 * fields one after another: structure of arrays).
 *
 * x y z are required; packed `rgb` / `rgba` (a float32 or uint32 whose bits are 0x00RRGGBB /
 * 0xAARRGGBB) become colours; normals and curvature are dropped; every other field is kept as
 * feature channels (a field with COUNT k gives k channels named `name_0`…`name_{k-1}`). Points
 * with a non-finite coordinate (the holes of organised clouds) are dropped. VIEWPOINT is checked
 * but not applied: PCL and Open3D leave the points in the cloud's own frame.
 */
import type { PointFeatures, PointSet } from '../units.ts';
import { lzfDecompress } from './lzf.ts';
import { AsciiRecords, asciiNumber, readColumn, type ColumnType } from './plyColumns.ts';
import { FormatError } from './formatError.ts';

type PcdData = 'ascii' | 'binary' | 'binary_compressed';

interface PcdField {
  readonly name: string;
  readonly size: number;
  readonly type: 'F' | 'I' | 'U';
  readonly count: number;
  readonly column: ColumnType;
}

interface PcdHeader {
  readonly fields: PcdField[];
  readonly points: number;
  readonly data: PcdData;
  readonly dataOffset: number;
  /** Lines up to and including DATA (ascii error messages count file lines from 1). */
  readonly headerLines: number;
}

const DROPPED = new Set(['normal_x', 'normal_y', 'normal_z', 'curvature', '_']);
/** Values per point (all fields' COUNTs): far above any feature width (CLIP's 1024), far below a hang. */
export const MAX_PCD_CHANNELS = 8192;

const KEYWORDS = new Set(['VERSION', 'FIELDS', 'COLUMNS', 'SIZE', 'TYPE', 'COUNT', 'WIDTH', 'HEIGHT', 'VIEWPOINT', 'POINTS', 'DATA']);

function columnType(type: string, size: number): ColumnType | undefined {
  if (type === 'F') return size === 4 ? 'float32' : size === 8 ? 'float64' : undefined;
  const bits = size * 8;
  if ((type === 'I' || type === 'U') && [8, 16, 32, 64].includes(bits)) return `${type === 'I' ? 'int' : 'uint'}${bits}` as ColumnType;
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

function parseHeader(bytes: Uint8Array, fileName: string): PcdHeader {
  const entries = new Map<string, string[]>();
  let pos = 0;
  let dataOffset = -1;
  let lineNo = 0;
  while (pos < bytes.length) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length;
    let line = '';
    for (let i = pos; i < end; i++) line += String.fromCharCode(bytes[i]!);
    pos = end + 1;
    lineNo++;
    line = line.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const key = words[0]!.toUpperCase();
    if (!KEYWORDS.has(key)) {
      if (entries.size === 0) {
        throw new FormatError(
          `${fileName}: not a PCD file (expected a header starting with "# .PCD", VERSION or FIELDS, found "${line.slice(0, 40).replace(/[^\x20-\x7e]/g, '.')}")`,
        );
      }
      throw new FormatError(`${fileName}: unexpected PCD header line ${lineNo}: "${line.slice(0, 80)}"`);
    }
    entries.set(key, words.slice(1));
    if (key === 'DATA') {
      dataOffset = Math.min(pos, bytes.length);
      break;
    }
  }
  if (entries.size === 0) throw new FormatError(`${fileName}: not a PCD file (${bytes.length === 0 ? 'the file is empty' : 'no header lines found'})`);
  if (dataOffset < 0) throw new FormatError(`${fileName}: PCD header has no DATA line`);

  const names = entries.get('FIELDS') ?? entries.get('COLUMNS');
  if (!names || names.length === 0) throw new FormatError(`${fileName}: PCD header has no FIELDS line`);
  const list = (key: string, fallback?: string): string[] => {
    const values = entries.get(key) ?? (fallback !== undefined ? names.map(() => fallback) : undefined);
    if (!values) throw new FormatError(`${fileName}: PCD header has no ${key} line`);
    if (values.length !== names.length) {
      throw new FormatError(`${fileName}: PCD header ${key} has ${values.length} entries, expected ${names.length} (one per field: ${names.join(' ')})`);
    }
    return values;
  };
  const data = entries.get('DATA')![0]?.toLowerCase();
  if (data !== 'ascii' && data !== 'binary' && data !== 'binary_compressed') {
    throw new FormatError(`${fileName}: unknown PCD DATA format "${entries.get('DATA')!.join(' ')}" (expected ascii, binary or binary_compressed)`);
  }
  // Old ascii files may omit SIZE and TYPE; every value is then a float.
  const sizes = list('SIZE', data === 'ascii' ? '4' : undefined);
  const types = list('TYPE', data === 'ascii' ? 'F' : undefined);
  const counts = list('COUNT', '1');
  const fields: PcdField[] = names.map((name, i) => {
    const size = Number(sizes[i]);
    const type = types[i]!.toUpperCase();
    const count = Number(counts[i]);
    const column = columnType(type, size);
    if (!column)
      throw new FormatError(`${fileName}: PCD field "${name}" has unsupported TYPE ${types[i]} with SIZE ${sizes[i]} (expected F 4/8, I or U 1/2/4/8)`);
    if (!Number.isInteger(count) || count < 1) throw new FormatError(`${fileName}: PCD field "${name}" has COUNT "${counts[i]}", expected a positive integer`);
    return { name, size, type: type as PcdField['type'], count, column };
  });
  const channels = fields.reduce((n, f) => n + f.count, 0);
  if (channels > MAX_PCD_CHANNELS) {
    throw new FormatError(
      `${fileName}: PCD header COUNTs add up to ${channels.toLocaleString('en')} values per point; expected at most ${MAX_PCD_CHANNELS.toLocaleString('en')} (COUNT ${counts.join(' ')})`,
    );
  }

  const integer = (key: string): number | undefined => {
    const v = entries.get(key);
    if (!v) return undefined;
    const n = Number(v[0]);
    if (v.length !== 1 || !Number.isInteger(n) || n < 0)
      throw new FormatError(`${fileName}: PCD header ${key} is "${v.join(' ')}", expected a non-negative integer`);
    return n;
  };
  const width = integer('WIDTH');
  const height = integer('HEIGHT') ?? 1;
  const declared = integer('POINTS');
  const points = declared ?? (width !== undefined ? width * height : undefined);
  if (points === undefined) throw new FormatError(`${fileName}: PCD header has neither POINTS nor WIDTH`);
  if (width !== undefined && declared !== undefined && width * height !== declared) {
    throw new FormatError(`${fileName}: PCD header WIDTH × HEIGHT = ${width} × ${height} = ${width * height} disagrees with POINTS ${declared}`);
  }
  const viewpoint = entries.get('VIEWPOINT');
  if (viewpoint && (viewpoint.length !== 7 || viewpoint.some((v) => !Number.isFinite(Number(v))))) {
    throw new FormatError(`${fileName}: PCD VIEWPOINT is "${viewpoint.join(' ')}", expected 7 numbers (tx ty tz qw qx qy qz)`);
  }
  return { fields, points, data, dataOffset, headerLines: lineNo };
}

/** Where each kept value goes. */
interface PcdLayout {
  readonly xyz: [PcdField, PcdField, PcdField];
  readonly rgb?: PcdField;
  /** Feature channels: (field, component) pairs in header order. */
  readonly features: { field: PcdField; component: number; name: string }[];
}

function layoutOf(fields: PcdField[], fileName: string): PcdLayout {
  const find = (name: string) => fields.find((f) => f.name === name);
  const xyz = (['x', 'y', 'z'] as const).map(find);
  const missing = ['x', 'y', 'z'].filter((_, k) => !xyz[k]);
  if (missing.length > 0) {
    throw new FormatError(
      `${fileName}: PCD has no ${missing.join(', ')} field${missing.length > 1 ? 's' : ''} (found: ${fields.map((f) => f.name).join(', ')})`,
    );
  }
  for (const f of xyz) if (f!.count !== 1) throw new FormatError(`${fileName}: PCD field "${f!.name}" has COUNT ${f!.count}, expected 1`);
  const rgb = find('rgb') ?? find('rgba');
  if (rgb && (rgb.size !== 4 || rgb.count !== 1)) {
    throw new FormatError(`${fileName}: PCD field "${rgb.name}" has SIZE ${rgb.size} COUNT ${rgb.count}, expected one packed 4-byte value`);
  }
  const features: PcdLayout['features'] = [];
  for (const field of fields) {
    if (xyz.includes(field) || field === rgb || DROPPED.has(field.name) || field.name === 'rgb' || field.name === 'rgba') continue;
    for (let k = 0; k < field.count; k++) features.push({ field, component: k, name: field.count === 1 ? field.name : `${field.name}_${k}` });
  }
  return { xyz: xyz as [PcdField, PcdField, PcdField], ...(rgb ? { rgb } : {}), features };
}

/** Byte position of (point 0, component k) of a field and the distance between points. */
interface Placement {
  start(field: PcdField, component: number): number;
  stride(field: PcdField): number;
}

function unpackRgb(bits: number, colors: Uint8Array, i: number): void {
  colors[i * 3] = (bits >>> 16) & 0xff;
  colors[i * 3 + 1] = (bits >>> 8) & 0xff;
  colors[i * 3 + 2] = bits & 0xff;
}

function readBinary(view: DataView, points: number, layout: PcdLayout, place: Placement): PointSet {
  const positions = new Float32Array(points * 3);
  layout.xyz.forEach((f, c) => readColumn(view, place.start(f, 0), place.stride(f), points, f.column, true, positions, c, 3, 1));
  let colors: Uint8Array | undefined;
  if (layout.rgb) {
    colors = new Uint8Array(points * 3);
    const stride = place.stride(layout.rgb);
    // Read the raw bits (a float read would canonicalise NaN patterns such as 0xFF……).
    for (let i = 0, p = place.start(layout.rgb, 0); i < points; i++, p += stride) unpackRgb(view.getUint32(p, true), colors, i);
  }
  const dim = layout.features.length;
  let features: PointFeatures | undefined;
  if (dim > 0) {
    const values = new Float32Array(points * dim);
    layout.features.forEach(({ field, component }, d) =>
      readColumn(view, place.start(field, component), place.stride(field), points, field.column, true, values, d, dim, 1),
    );
    features = { dim, values, names: layout.features.map((f) => f.name) };
  }
  return { count: points, positions, ...(colors ? { colors } : {}), ...(features ? { features } : {}) };
}

function readAscii(bytes: Uint8Array, header: PcdHeader, layout: PcdLayout, fileName: string): PointSet {
  const { fields, points } = header;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(header.dataOffset));
  // Token index of each field's first component within a line.
  const first = new Map<PcdField, number>();
  let width = 0;
  for (const f of fields) {
    first.set(f, width);
    width += f.count;
  }
  // At least two characters per value: the text holds at most `capacity` points, so a larger
  // POINTS fails in the loop below before writing past it, and never reaches the allocator.
  const capacity = Math.min(points, Math.floor((text.length + 1) / (2 * width)));
  const positions = new Float32Array(capacity * 3);
  const colors = layout.rgb ? new Uint8Array(capacity * 3) : undefined;
  const dim = layout.features.length;
  const values = dim > 0 ? new Float32Array(capacity * dim) : undefined;
  const xyzAt = layout.xyz.map((f) => first.get(f)!);
  const rgbAt = layout.rgb ? first.get(layout.rgb)! : -1;
  const featureAt = layout.features.map(({ field, component }) => first.get(field)! + component);
  const bits = new DataView(new ArrayBuffer(4));
  const rgbIsFloat = layout.rgb?.type === 'F';
  const records = new AsciiRecords(text, header.headerLines);

  for (let i = 0; i < points; i++) {
    const tokens = records.next();
    if (!tokens) throw new FormatError(`${fileName}: the header declares ${plural(points, 'point')}, but the data holds only ${plural(i, 'point')}`);
    if (tokens.length !== width) {
      throw new FormatError(
        `${fileName}: line ${records.line} (point ${i.toLocaleString('en')}) has ${tokens.length} values, expected ${width} (${fields.map((f) => (f.count > 1 ? `${f.name}×${f.count}` : f.name)).join(' ')})`,
      );
    }
    const num = (t: number): number => {
      const token = tokens[t]!;
      const v = asciiNumber(token);
      if (v !== null) return v;
      const field = fields.find((f) => first.get(f)! <= t && t < first.get(f)! + f.count)!;
      throw new FormatError(`${fileName}: line ${records.line} (point ${i.toLocaleString('en')}): field ${field.name} is "${token}", not a number`);
    };
    for (let c = 0; c < 3; c++) positions[i * 3 + c] = num(xyzAt[c]!);
    if (colors) {
      const v = num(rgbAt);
      if (rgbIsFloat) bits.setFloat32(0, v, true);
      else bits.setUint32(0, v >>> 0, true);
      unpackRgb(bits.getUint32(0, true), colors, i);
    }
    if (values) for (let d = 0; d < dim; d++) values[i * dim + d] = num(featureAt[d]!);
  }
  const features: PointFeatures | undefined = values ? { dim, values, names: layout.features.map((f) => f.name) } : undefined;
  let extraLines = 0;
  while (records.next()) extraLines++;
  const warnings = extraLines > 0 ? [extraDataWarning(fileName, plural(extraLines, 'line'), points)] : [];
  return { count: points, positions, ...(colors ? { colors } : {}), ...(features ? { features } : {}), ...(warnings.length ? { warnings } : {}) };
}

/** Data past the declared points is ignored, and said so: a wrong POINTS must not pass silently. */
function extraDataWarning(fileName: string, extra: string, points: number): string {
  return `${fileName}: ${extra} after the ${plural(points, 'point')} the header declares were ignored (is POINTS right?)`;
}

/** Drops points with a non-finite coordinate (organised clouds mark holes with NaN). */
function dropInvalid(set: PointSet): PointSet {
  const { positions, colors, features } = set;
  const dim = features?.dim ?? 0;
  let kept = 0;
  for (let i = 0; i < set.count; i++) {
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) continue;
    if (kept !== i) {
      positions.copyWithin(kept * 3, i * 3, i * 3 + 3);
      colors?.copyWithin(kept * 3, i * 3, i * 3 + 3);
      features?.values.copyWithin(kept * dim, i * dim, i * dim + dim);
    }
    kept++;
  }
  if (kept === set.count) return set;
  return {
    ...set,
    count: kept,
    positions: positions.slice(0, kept * 3),
    ...(colors ? { colors: colors.slice(0, kept * 3) } : {}),
    ...(features ? { features: { ...features, values: features.values.slice(0, kept * dim) } } : {}),
  };
}

/** Parses a PCD file into a PointSet. Errors name the file and the numbers involved. */
export function parsePcd(bytes: Uint8Array, fileName: string): PointSet {
  const header = parseHeader(bytes, fileName);
  const layout = layoutOf(header.fields, fileName);
  const { fields, points } = header;
  if (header.data === 'ascii') return dropInvalid(readAscii(bytes, header, layout, fileName));

  const pointSize = fields.reduce((s, f) => s + f.size * f.count, 0);
  const available = bytes.length - header.dataOffset;
  if (header.data === 'binary') {
    if (points * pointSize > available) {
      throw new FormatError(
        `${fileName}: the header declares ${plural(points, 'point')} (${(points * pointSize).toLocaleString('en')} bytes of ${pointSize}-byte points), but the data holds only ${plural(Math.floor(available / pointSize), 'point')} (${available.toLocaleString('en')} bytes)`,
      );
    }
    const offsets = new Map<PcdField, number>();
    let o = 0;
    for (const f of fields) {
      offsets.set(f, o);
      o += f.size * f.count;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, points * pointSize);
    const set = dropInvalid(readBinary(view, points, layout, { start: (f, k) => offsets.get(f)! + k * f.size, stride: () => pointSize }));
    const extra = available - points * pointSize;
    return extra > 0 ? { ...set, warnings: [extraDataWarning(fileName, `${extra.toLocaleString('en')} bytes`, points)] } : set;
  }

  // binary_compressed
  if (available < 8) throw new FormatError(`${fileName}: truncated binary_compressed PCD: expected 8 bytes of sizes after the header, found ${available}`);
  const sizes = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, 8);
  const compressedSize = sizes.getUint32(0, true);
  const uncompressedSize = sizes.getUint32(4, true);
  if (uncompressedSize !== points * pointSize) {
    throw new FormatError(
      `${fileName}: binary_compressed PCD says it unpacks to ${uncompressedSize.toLocaleString('en')} bytes, but the header declares ${plural(points, 'point')} of ${pointSize} bytes = ${(points * pointSize).toLocaleString('en')}`,
    );
  }
  if (compressedSize > available - 8) {
    throw new FormatError(
      `${fileName}: truncated binary_compressed PCD: ${compressedSize.toLocaleString('en')} compressed bytes declared, the file holds ${(available - 8).toLocaleString('en')}`,
    );
  }
  // An LZF back-reference of 3 bytes yields at most 264: a larger claim is corrupt, not data.
  if (uncompressedSize > compressedSize * 88) {
    throw new FormatError(
      `${fileName}: corrupt binary_compressed PCD: ${compressedSize.toLocaleString('en')} compressed bytes cannot unpack to the ${uncompressedSize.toLocaleString('en')} declared`,
    );
  }
  const start = header.dataOffset + 8;
  let raw: Uint8Array;
  try {
    raw = lzfDecompress(bytes.subarray(start, start + compressedSize), uncompressedSize);
  } catch (err) {
    throw new FormatError(`${fileName}: corrupt binary_compressed PCD data: ${(err as Error).message}`, { cause: err });
  }
  // Structure of arrays: each field's values for all points, one field after another.
  const blocks = new Map<PcdField, number>();
  let o = 0;
  for (const f of fields) {
    blocks.set(f, o);
    o += f.size * f.count * points;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return dropInvalid(readBinary(view, points, layout, { start: (f, k) => blocks.get(f)! + k * f.size, stride: (f) => f.size * f.count }));
}
