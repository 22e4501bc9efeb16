/**
 * PLY point clouds: ascii, binary_little_endian and binary_big_endian.
 *
 * From the `vertex` element: x y z (required) → positions; red/green/blue (or r/g/b, or
 * diffuse_red/…) → colours (integer types as 0..255, uint16 as 0..65535, float/double as 0..1);
 * alpha and normals (nx ny nz) are dropped; EVERY other scalar vertex property becomes a per-point
 * feature channel, in header order (how users bring their own per-point CLIP features; the capture
 * path asks for wide ones as binary16 halves, `PlyReadOptions`). Other
 * elements (faces, edges, …) are skipped, wherever they sit relative to the vertex element.
 *
 * The writer (`encodePly`: float xyz, optional uchar rgb, float scalars) is in plyEncode.ts; the
 * binary column and ascii record readers shared with pcd.ts are in plyColumns.ts.
 */
import { MIN_EMBEDDING_DIM, type PointFeatures, type PointSet } from '../units.ts';
import { ignoredElementsWarning, skipAsciiElement } from './plyElements.ts';
import { AsciiRecords, asciiNumber, readColumn, readFloat32Rows, readScalar, type PlyScalarType } from './plyColumns.ts';
import { FormatError } from './formatError.ts';
import { encodeHalves, float32ToFloat16Bits } from '../features/float16.ts';

/** Rows read per block when wide features are kept as halves (4096 × 512 floats = 8 MiB of scratch). */
const HALF_BLOCK_ROWS = 4096;

export type { PlyScalarType } from './plyColumns.ts';
export type PlyFormat = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

/** PLY type names (original and sized aliases) → canonical type. */
const TYPE_NAMES: Record<string, PlyScalarType> = {
  char: 'int8',
  uchar: 'uint8',
  short: 'int16',
  ushort: 'uint16',
  int: 'int32',
  uint: 'uint32',
  float: 'float32',
  double: 'float64',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float32',
  float64: 'float64',
};

const TYPE_SIZE: Record<PlyScalarType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

interface ScalarProperty {
  readonly kind: 'scalar';
  readonly name: string;
  readonly type: PlyScalarType;
}
interface ListProperty {
  readonly kind: 'list';
  readonly name: string;
  readonly countType: PlyScalarType;
  readonly itemType: PlyScalarType;
}
type PlyProperty = ScalarProperty | ListProperty;

interface PlyElement {
  readonly name: string;
  readonly count: number;
  readonly properties: PlyProperty[];
}

interface PlyHeader {
  readonly format: PlyFormat;
  readonly elements: PlyElement[];
  /** Byte offset of the first data byte (just after the `end_header` line). */
  readonly dataOffset: number;
  /** `comment` lines, text after the keyword (FieldLens keeps its result metadata there). */
  readonly comments: string[];
}

const COLOUR_GROUPS = [
  ['red', 'green', 'blue', 'alpha'],
  ['r', 'g', 'b', 'a'],
  ['diffuse_red', 'diffuse_green', 'diffuse_blue', 'diffuse_alpha'],
] as const;
const NORMAL_NAMES = new Set(['nx', 'ny', 'nz', 'normal_x', 'normal_y', 'normal_z']);

// ---------------------------------------------------------------------------------------------
// Header

const END_HEADER = Array.from('end_header', (c) => c.charCodeAt(0));

/** Index just past the `end_header` line's terminator, or -1 when there is none. */
function findDataOffset(bytes: Uint8Array): number {
  const n = bytes.length;
  const first = END_HEADER[0]!;
  for (let i = 0; i + END_HEADER.length <= n; i++) {
    if (bytes[i] !== first || (i > 0 && bytes[i - 1] !== 0x0a && bytes[i - 1] !== 0x0d)) continue;
    let match = true;
    for (let k = 1; k < END_HEADER.length; k++) {
      if (bytes[i + k] !== END_HEADER[k]) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    let j = i + END_HEADER.length;
    while (j < n && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
    if (j < n && bytes[j] === 0x0d) j++;
    if (j < n && bytes[j] === 0x0a) j++;
    return j;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function parsePlyType(name: string, fileName: string, line: string): PlyScalarType {
  const type = TYPE_NAMES[name];
  if (!type) {
    throw new FormatError(
      `${fileName}: unknown PLY property type '${name}' in header line "${line}" (expected char, uchar, short, ushort, int, uint, float, double or int8…float64)`,
    );
  }
  return type;
}

function parseHeader(bytes: Uint8Array, fileName: string): PlyHeader {
  const startsWithPly = bytes.length >= 4 && bytes[0] === 0x70 && bytes[1] === 0x6c && bytes[2] === 0x79 && (bytes[3] === 0x0a || bytes[3] === 0x0d);
  if (!startsWithPly) {
    const head = latin1(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
    throw new FormatError(`${fileName}: not a PLY file (expected the first line "ply", found ${bytes.length === 0 ? 'an empty file' : `"${head}"`})`);
  }
  const dataOffset = findDataOffset(bytes);
  if (dataOffset < 0) throw new FormatError(`${fileName}: PLY header has no "end_header" line (file is ${bytes.length} bytes)`);
  const lines = latin1(bytes.subarray(0, dataOffset)).split(/\r\n|\r|\n/);

  let format: PlyFormat | undefined;
  const elements: PlyElement[] = [];
  const comments: string[] = [];
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    const keyword = words[0]!;
    if (keyword === 'end_header') break;
    if (keyword === 'comment') comments.push(line.slice(keyword.length).trimStart());
    if (keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'format') {
      const name = words[1] ?? '';
      if (name !== 'ascii' && name !== 'binary_little_endian' && name !== 'binary_big_endian') {
        throw new FormatError(`${fileName}: unknown PLY format '${name}' (expected ascii, binary_little_endian or binary_big_endian)`);
      }
      format = name;
    } else if (keyword === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isInteger(count) || count < 0) {
        throw new FormatError(`${fileName}: malformed PLY header line "${line}" (expected "element <name> <count>")`);
      }
      elements.push({ name: words[1]!, count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (!element) throw new FormatError(`${fileName}: PLY header line "${line}" declares a property before any element`);
      if (words[1] === 'list') {
        if (words.length !== 5)
          throw new FormatError(`${fileName}: malformed PLY header line "${line}" (expected "property list <count type> <item type> <name>")`);
        element.properties.push({
          kind: 'list',
          countType: parsePlyType(words[2]!, fileName, line),
          itemType: parsePlyType(words[3]!, fileName, line),
          name: words[4]!,
        });
      } else {
        if (words.length !== 3) throw new FormatError(`${fileName}: malformed PLY header line "${line}" (expected "property <type> <name>")`);
        element.properties.push({ kind: 'scalar', type: parsePlyType(words[1]!, fileName, line), name: words[2]! });
      }
    } else {
      throw new FormatError(`${fileName}: unexpected PLY header line "${line}" (expected format, element, property, comment, obj_info or end_header)`);
    }
  }
  if (!format) throw new FormatError(`${fileName}: PLY header has no "format" line`);
  return { format, elements, dataOffset, comments };
}

// ---------------------------------------------------------------------------------------------
// Vertex layout: which property goes where

interface VertexLayout {
  readonly properties: ScalarProperty[];
  /** Property indices of x, y, z. */
  readonly xyz: [number, number, number];
  /** Property indices of the colour channels, when the file has colour. */
  readonly rgb?: [number, number, number];
  /** Property indices of the feature channels, in header order. */
  readonly features: number[];
}

function vertexLayout(element: PlyElement, fileName: string): VertexLayout {
  const properties: ScalarProperty[] = [];
  for (const p of element.properties) {
    if (p.kind === 'list') {
      throw new FormatError(
        `${fileName}: the vertex element has a list property '${p.name}'; expected only scalar vertex properties (x, y, z, colours, features)`,
      );
    }
    properties.push(p);
  }
  const indexOf = (name: string) => properties.findIndex((p) => p.name === name);
  const xyz = (['x', 'y', 'z'] as const).map(indexOf) as [number, number, number];
  const missing = ['x', 'y', 'z'].filter((_, k) => xyz[k]! < 0);
  if (missing.length > 0) {
    throw new FormatError(
      `${fileName}: the vertex element has no ${missing.join(', ')} propert${missing.length > 1 ? 'ies' : 'y'} (found: ${properties.map((p) => p.name).join(', ') || 'none'})`,
    );
  }
  let rgb: [number, number, number] | undefined;
  const skip = new Set<number>(xyz);
  for (const group of COLOUR_GROUPS) {
    const idx = [indexOf(group[0]), indexOf(group[1]), indexOf(group[2])] as [number, number, number];
    if (idx.every((i) => i >= 0)) {
      rgb = idx;
      for (const i of idx) skip.add(i);
      const alpha = indexOf(group[3]);
      if (alpha >= 0) skip.add(alpha);
      break;
    }
  }
  const features: number[] = [];
  properties.forEach((p, i) => {
    if (!skip.has(i) && !NORMAL_NAMES.has(p.name)) features.push(i);
  });
  return { properties, xyz, ...(rgb ? { rgb } : {}), features };
}

/** How a raw colour value maps to 0..255 for each property type. */
function colourScale(type: PlyScalarType): number {
  if (type === 'float32' || type === 'float64') return 255;
  if (type === 'uint16') return 255 / 65535;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Binary

/** Byte size of one record when the element has only scalar properties, else null. */
function fixedRecordSize(element: PlyElement): number | null {
  let size = 0;
  for (const p of element.properties) {
    if (p.kind === 'list') return null;
    size += TYPE_SIZE[p.type];
  }
  return size;
}

function plural(n: number, word: string): string {
  const many = word === 'vertex' ? 'vertices' : `${word}s`;
  return `${n.toLocaleString('en')} ${n === 1 ? word : many}`;
}

/** Walks past `element` starting at `offset`; throws when the data ends first. */
function skipBinaryElement(view: DataView, offset: number, element: PlyElement, le: boolean, fileName: string): number {
  const end = view.byteLength;
  const fixed = fixedRecordSize(element);
  if (fixed !== null) {
    const needed = fixed * element.count;
    if (offset + needed > end) {
      const held = fixed > 0 ? Math.floor((end - offset) / fixed) : 0;
      throw new FormatError(
        `${fileName}: truncated binary PLY: the header declares ${plural(element.count, `'${element.name}' element`)} of ${fixed} bytes, the data holds only ${held.toLocaleString('en')}`,
      );
    }
    return offset + needed;
  }
  let p = offset;
  for (let r = 0; r < element.count; r++) {
    for (const prop of element.properties) {
      if (prop.kind === 'scalar') {
        p += TYPE_SIZE[prop.type];
      } else {
        const countSize = TYPE_SIZE[prop.countType];
        if (p + countSize > end) {
          p = end + 1;
        } else {
          const length = readScalar(view, p, prop.countType, le);
          if (length < 0)
            throw new FormatError(
              `${fileName}: corrupt binary PLY: '${element.name}' element ${r.toLocaleString('en')} has a list '${prop.name}' of length ${length}`,
            );
          p += countSize + length * TYPE_SIZE[prop.itemType];
        }
      }
      if (p > end) {
        throw new FormatError(
          `${fileName}: truncated binary PLY: the header declares ${plural(element.count, `'${element.name}' element`)}, the data ends within element ${r.toLocaleString('en')} (an earlier element's count may be wrong)`,
        );
      }
    }
  }
  return p;
}

function parseBinary(bytes: Uint8Array, header: PlyHeader, fileName: string, halves: boolean): PointSet {
  const le = header.format === 'binary_little_endian';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vertexIndex = header.elements.findIndex((e) => e.name === 'vertex');
  let offset = header.dataOffset;
  for (let e = 0; e < vertexIndex; e++) offset = skipBinaryElement(view, offset, header.elements[e]!, le, fileName);

  const element = header.elements[vertexIndex]!;
  const layout = vertexLayout(element, fileName);
  const count = element.count;
  const offsets: number[] = [];
  let stride = 0;
  for (const p of layout.properties) {
    offsets.push(stride);
    stride += TYPE_SIZE[p.type];
  }
  const available = bytes.length - offset;
  if (count * stride > available) {
    const held = Math.floor(available / stride);
    throw new FormatError(
      `${fileName}: the header declares ${plural(count, 'vertex')} (${(count * stride).toLocaleString('en')} bytes of ${stride}-byte records), but the data holds only ${plural(held, 'vertex')} (${available.toLocaleString('en')} bytes)`,
    );
  }
  // Later elements are not read, but a file too short for them is corrupt (often the vertex count
  // is wrong and the vertex records ran into the faces), so walk them to be sure they fit.
  let after = offset + count * stride;
  for (let e = vertexIndex + 1; e < header.elements.length; e++) {
    try {
      after = skipBinaryElement(view, after, header.elements[e]!, le, fileName);
    } catch (err) {
      throw new FormatError(
        `${(err as Error).message}; the header declares ${plural(count, 'vertex')} — if that count is too large the vertex records ran into the following data`,
        { cause: err },
      );
    }
  }

  const positions = new Float32Array(count * 3);
  const dim = layout.features.length;
  const features32 = dim > 0 && layout.features.every((k) => layout.properties[k]!.type === 'float32');
  const wideHalves = halves && dim >= MIN_EMBEDDING_DIM;
  const values = dim > 0 && !wideHalves ? new Float32Array(count * dim) : undefined;
  const float32 = (ks: readonly number[]) => ks.every((k) => layout.properties[k]!.type === 'float32');
  if (float32(layout.xyz)) {
    // xyz and float32 features in the same single pass over the records.
    const groups = [{ columns: layout.xyz.map((k) => offsets[k]!), out: positions }];
    if (values && features32) groups.push({ columns: layout.features.map((k) => offsets[k]!), out: values });
    readFloat32Rows(bytes, offset, stride, count, le, groups);
  } else {
    for (let c = 0; c < 3; c++) {
      const k = layout.xyz[c]!;
      readColumn(view, offset + offsets[k]!, stride, count, layout.properties[k]!.type, le, positions, c, 3, 1);
    }
  }
  let colors: Uint8Array | undefined;
  if (layout.rgb) {
    colors = new Uint8Array(count * 3);
    for (let c = 0; c < 3; c++) {
      const k = layout.rgb[c]!;
      const type = layout.properties[k]!.type;
      readColumn(view, offset + offsets[k]!, stride, count, type, le, colors, c, 3, colourScale(type));
    }
  }
  const names = layout.features.map((k) => layout.properties[k]!.name);
  const featureColumns = layout.features.map((k) => offsets[k]!);
  const readRows = (first: number, n: number, out: Float32Array) => {
    const start = offset + first * stride;
    if (features32) readFloat32Rows(bytes, start, stride, n, le, [{ columns: featureColumns, out }]);
    else layout.features.forEach((k, d) => readColumn(view, start + offsets[k]!, stride, n, layout.properties[k]!.type, le, out, d, dim, 1));
  };
  const extra = bytes.length - after;
  const warnings = dataWarnings(fileName, header, extra > 0 ? `${extra.toLocaleString('en')} bytes` : null);
  if (wideHalves) {
    // Wide features go to halves a block of rows at a time: no float32 copy of the field exists.
    const out = new Uint16Array(count * dim);
    const scratch = new Float32Array(Math.min(HALF_BLOCK_ROWS, count) * dim);
    for (let first = 0; first < count; first += HALF_BLOCK_ROWS) {
      const n = Math.min(HALF_BLOCK_ROWS, count - first);
      readRows(first, n, scratch);
      encodeHalves(scratch.subarray(0, n * dim), out.subarray(first * dim, (first + n) * dim));
    }
    return { count, positions, ...(colors ? { colors } : {}), halfFeatures: { dim, halves: out, names }, ...(warnings.length ? { warnings } : {}) };
  }
  let features: PointFeatures | undefined;
  if (values) {
    // Float32 features were read in the xyz pass when xyz is float32 too.
    if (!features32 || !float32(layout.xyz)) readRows(0, count, values);
    features = { dim, values, names };
  }
  return { count, positions, ...(colors ? { colors } : {}), ...(features ? { features } : {}), ...(warnings.length ? { warnings } : {}) };
}

/**
 * Said, never silent: elements other than the vertices are ignored, and data past what the header
 * declares (`extra`, e.g. "12 lines") is ignored — a wrong count must not pass unnoticed.
 */
function dataWarnings(fileName: string, header: PlyHeader, extra: string | null): string[] {
  const ignored = ignoredElementsWarning(fileName, header.elements);
  return [
    ...(ignored ? [ignored] : []),
    ...(extra ? [`${fileName}: ${extra} after the elements the header declares were ignored (is the vertex count in the header right?)`] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// ASCII

function parseAscii(bytes: Uint8Array, header: PlyHeader, fileName: string, halves: boolean): PointSet {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(header.dataOffset));
  const headerLines = latin1(bytes.subarray(0, header.dataOffset)).split(/\r\n|\r|\n/).length - 1;
  const records = new AsciiRecords(text, headerLines);

  const vertexIndex = header.elements.findIndex((e) => e.name === 'vertex');
  for (let e = 0; e < vertexIndex; e++) skipAsciiElement(records, header.elements[e]!, fileName);

  const element = header.elements[vertexIndex]!;
  const layout = vertexLayout(element, fileName);
  const count = element.count;
  const width = layout.properties.length;
  const dim = layout.features.length;
  // A record takes at least two characters per value (a digit and a separator), so the text
  // cannot hold more than `capacity` of them: a header claiming more fails in the loop below
  // before writing past it, and an absurd count never reaches the allocator.
  const capacity = Math.min(count, Math.floor((text.length + 1) / (2 * width)));
  const positions = new Float32Array(capacity * 3);
  const colors = layout.rgb ? new Uint8Array(capacity * 3) : undefined;
  const wide = halves && dim >= MIN_EMBEDDING_DIM ? new Uint16Array(capacity * dim) : undefined;
  const values = dim > 0 && !wide ? new Float32Array(capacity * dim) : undefined;
  const rgbScale = layout.rgb ? layout.rgb.map((k) => colourScale(layout.properties[k]!.type)) : [];
  const row = new Float64Array(width);

  for (let i = 0; i < count; i++) {
    const tokens = records.next();
    if (!tokens) {
      throw new FormatError(`${fileName}: the header declares ${plural(count, 'vertex')}, but the data holds only ${plural(i, 'vertex')}`);
    }
    if (tokens.length !== width) {
      throw new FormatError(
        `${fileName}: line ${records.line} (vertex ${i.toLocaleString('en')}) has ${tokens.length} values, expected ${width} (${layout.properties.map((p) => p.name).join(' ')}); the header declares ${plural(count, 'vertex')}, the data holds ${plural(i, 'well-formed vertex line')} before this one`,
      );
    }
    for (let k = 0; k < width; k++) {
      const token = tokens[k]!;
      const v = asciiNumber(token);
      if (v === null) {
        throw new FormatError(
          `${fileName}: line ${records.line} (vertex ${i.toLocaleString('en')}): property ${layout.properties[k]!.name} is "${token}", not a number`,
        );
      }
      row[k] = v;
    }
    for (let c = 0; c < 3; c++) positions[i * 3 + c] = row[layout.xyz[c]!]!;
    if (colors && layout.rgb) {
      for (let c = 0; c < 3; c++) {
        const v = Math.round(row[layout.rgb[c]!]! * rgbScale[c]!);
        colors[i * 3 + c] = v > 255 ? 255 : v > 0 ? v : 0;
      }
    }
    if (values) for (let d = 0; d < dim; d++) values[i * dim + d] = row[layout.features[d]!]!;
    if (wide) for (let d = 0; d < dim; d++) wide[i * dim + d] = float32ToFloat16Bits(row[layout.features[d]!]!);
  }
  const names = layout.features.map((k) => layout.properties[k]!.name);
  const features: PointFeatures | undefined = values ? { dim, values, names } : undefined;
  // Later elements (faces) are not read, but their records must have the shape the header gives
  // them: a wrong vertex count shows up here, before vertex and face lines are taken for each other.
  const vertexNote = `; the header declares ${plural(count, 'vertex')} — if that count is wrong, vertex and later lines are mixed up`;
  for (let e = vertexIndex + 1; e < header.elements.length; e++) skipAsciiElement(records, header.elements[e]!, fileName, vertexNote);
  let extraLines = 0;
  while (records.next()) extraLines++;
  const warnings = dataWarnings(fileName, header, extraLines > 0 ? plural(extraLines, 'line') : null);
  return {
    count,
    positions,
    ...(colors ? { colors } : {}),
    ...(features ? { features } : {}),
    ...(wide ? { halfFeatures: { dim, halves: wide, names } } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Parses a PLY file's vertex element into a PointSet. Errors name the file and the numbers. */
export interface PlyReadOptions {
  /** Wide extra properties (≥ MIN_EMBEDDING_DIM, an embedding) become `halfFeatures` (binary16), not float32 `features`. */
  readonly wideFeaturesAsHalves?: boolean;
}

export function parsePly(bytes: Uint8Array, fileName: string, options: PlyReadOptions = {}): PointSet {
  const header = parseHeader(bytes, fileName);
  const vertices = header.elements.filter((e) => e.name === 'vertex');
  if (vertices.length === 0) {
    throw new FormatError(`${fileName}: PLY has no vertex element (found: ${header.elements.map((e) => e.name).join(', ') || 'no elements'})`);
  }
  if (vertices.length > 1) throw new FormatError(`${fileName}: PLY declares ${vertices.length} vertex elements; expected one`);
  const halves = options.wideFeaturesAsHalves ?? false;
  const points = header.format === 'ascii' ? parseAscii(bytes, header, fileName, halves) : parseBinary(bytes, header, fileName, halves);
  return header.comments.length > 0 ? { ...points, comments: header.comments } : points;
}
