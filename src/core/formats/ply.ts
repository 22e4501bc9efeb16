/**
 * PLY point clouds: ascii, binary_little_endian and binary_big_endian.
 *
 * From the `vertex` element: x y z (required) → positions; red/green/blue (or r/g/b, or
 * diffuse_red/…) → colours (integer types as 0..255, uint16 as 0..65535, float/double as 0..1);
 * alpha and normals (nx ny nz) are dropped; EVERY other scalar vertex property becomes a per-point
 * feature channel, in header order (how users bring their own per-point CLIP features). Other
 * elements (faces, edges, …) are skipped, wherever they sit relative to the vertex element.
 *
 * `encodePly` writes the subset we read back: float xyz, optional uchar rgb, float scalars.
 */
import type { PointFeatures, PointSet } from '../capture/types.ts';

export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
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
    throw new Error(`${fileName}: unknown PLY property type '${name}' in header line "${line}" (expected char, uchar, short, ushort, int, uint, float, double or int8…float64)`);
  }
  return type;
}

function parseHeader(bytes: Uint8Array, fileName: string): PlyHeader {
  const startsWithPly = bytes.length >= 4 && bytes[0] === 0x70 && bytes[1] === 0x6c && bytes[2] === 0x79 && (bytes[3] === 0x0a || bytes[3] === 0x0d);
  if (!startsWithPly) {
    const head = latin1(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
    throw new Error(`${fileName}: not a PLY file (expected the first line "ply", found ${bytes.length === 0 ? 'an empty file' : `"${head}"`})`);
  }
  const dataOffset = findDataOffset(bytes);
  if (dataOffset < 0) throw new Error(`${fileName}: PLY header has no "end_header" line (file is ${bytes.length} bytes)`);
  const lines = latin1(bytes.subarray(0, dataOffset)).split(/\r\n|\r|\n/);

  let format: PlyFormat | undefined;
  const elements: PlyElement[] = [];
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    const keyword = words[0]!;
    if (keyword === 'end_header') break;
    if (keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'format') {
      const name = words[1] ?? '';
      if (name !== 'ascii' && name !== 'binary_little_endian' && name !== 'binary_big_endian') {
        throw new Error(`${fileName}: unknown PLY format '${name}' (expected ascii, binary_little_endian or binary_big_endian)`);
      }
      format = name;
    } else if (keyword === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isInteger(count) || count < 0) {
        throw new Error(`${fileName}: malformed PLY header line "${line}" (expected "element <name> <count>")`);
      }
      elements.push({ name: words[1]!, count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (!element) throw new Error(`${fileName}: PLY header line "${line}" declares a property before any element`);
      if (words[1] === 'list') {
        if (words.length !== 5) throw new Error(`${fileName}: malformed PLY header line "${line}" (expected "property list <count type> <item type> <name>")`);
        element.properties.push({
          kind: 'list',
          countType: parsePlyType(words[2]!, fileName, line),
          itemType: parsePlyType(words[3]!, fileName, line),
          name: words[4]!,
        });
      } else {
        if (words.length !== 3) throw new Error(`${fileName}: malformed PLY header line "${line}" (expected "property <type> <name>")`);
        element.properties.push({ kind: 'scalar', type: parsePlyType(words[1]!, fileName, line), name: words[2]! });
      }
    } else {
      throw new Error(`${fileName}: unexpected PLY header line "${line}" (expected format, element, property, comment, obj_info or end_header)`);
    }
  }
  if (!format) throw new Error(`${fileName}: PLY header has no "format" line`);
  return { format, elements, dataOffset };
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
      throw new Error(`${fileName}: the vertex element has a list property '${p.name}'; expected only scalar vertex properties (x, y, z, colours, features)`);
    }
    properties.push(p);
  }
  const indexOf = (name: string) => properties.findIndex((p) => p.name === name);
  const xyz = (['x', 'y', 'z'] as const).map(indexOf) as [number, number, number];
  const missing = ['x', 'y', 'z'].filter((_, k) => xyz[k]! < 0);
  if (missing.length > 0) {
    throw new Error(`${fileName}: the vertex element has no ${missing.join(', ')} propert${missing.length > 1 ? 'ies' : 'y'} (found: ${properties.map((p) => p.name).join(', ') || 'none'})`);
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

/** Element types a column can hold: the PLY types plus the 64-bit integers PCD allows. */
export type ColumnType = PlyScalarType | 'int64' | 'uint64';

/**
 * Reads one value per record for `count` records (stride bytes apart, starting at `start`) into
 * out[outOffset + i·outStride]. One loop per type keeps each loop monomorphic. For Uint8Array
 * outputs, values are multiplied by `scale`, rounded and clamped to 0..255 (colours). Shared with
 * the PCD reader.
 */
export function readColumn(
  view: DataView,
  start: number,
  stride: number,
  count: number,
  type: ColumnType,
  le: boolean,
  out: Float32Array | Uint8Array,
  outOffset: number,
  outStride: number,
  scale: number,
): void {
  if (out instanceof Uint8Array) {
    if (type === 'uint8' && scale === 1) {
      for (let i = 0, p = start, o = outOffset; i < count; i++, p += stride, o += outStride) out[o] = view.getUint8(p);
      return;
    }
    const tmp = new Float32Array(count);
    readColumn(view, start, stride, count, type, le, tmp, 0, 1, 1);
    for (let i = 0, o = outOffset; i < count; i++, o += outStride) {
      const v = Math.round(tmp[i]! * scale);
      out[o] = v > 255 ? 255 : v > 0 ? v : 0; // NaN → 0
    }
    return;
  }
  let p = start;
  let o = outOffset;
  switch (type) {
    case 'float32':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getFloat32(p, le);
      break;
    case 'float64':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getFloat64(p, le);
      break;
    case 'uint8':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getUint8(p);
      break;
    case 'int8':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getInt8(p);
      break;
    case 'uint16':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getUint16(p, le);
      break;
    case 'int16':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getInt16(p, le);
      break;
    case 'uint32':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getUint32(p, le);
      break;
    case 'int32':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = view.getInt32(p, le);
      break;
    case 'int64':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = Number(view.getBigInt64(p, le));
      break;
    case 'uint64':
      for (let i = 0; i < count; i++, p += stride, o += outStride) out[o] = Number(view.getBigUint64(p, le));
      break;
  }
}

function readScalar(view: DataView, offset: number, type: PlyScalarType, le: boolean): number {
  switch (type) {
    case 'int8':
      return view.getInt8(offset);
    case 'uint8':
      return view.getUint8(offset);
    case 'int16':
      return view.getInt16(offset, le);
    case 'uint16':
      return view.getUint16(offset, le);
    case 'int32':
      return view.getInt32(offset, le);
    case 'uint32':
      return view.getUint32(offset, le);
    case 'float32':
      return view.getFloat32(offset, le);
    case 'float64':
      return view.getFloat64(offset, le);
  }
}

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
      throw new Error(`${fileName}: truncated binary PLY: the header declares ${plural(element.count, `'${element.name}' element`)} of ${fixed} bytes, the data holds only ${held.toLocaleString('en')}`);
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
          if (length < 0) throw new Error(`${fileName}: corrupt binary PLY: '${element.name}' element ${r.toLocaleString('en')} has a list '${prop.name}' of length ${length}`);
          p += countSize + length * TYPE_SIZE[prop.itemType];
        }
      }
      if (p > end) {
        throw new Error(`${fileName}: truncated binary PLY: the header declares ${plural(element.count, `'${element.name}' element`)}, the data ends within element ${r.toLocaleString('en')} (an earlier element's count may be wrong)`);
      }
    }
  }
  return p;
}

function parseBinary(bytes: Uint8Array, header: PlyHeader, fileName: string): PointSet {
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
    throw new Error(`${fileName}: the header declares ${plural(count, 'vertex')} (${(count * stride).toLocaleString('en')} bytes of ${stride}-byte records), but the data holds only ${plural(held, 'vertex')} (${available.toLocaleString('en')} bytes)`);
  }
  // Later elements are not read, but a file too short for them is corrupt (often the vertex count
  // is wrong and the vertex records ran into the faces), so walk them to be sure they fit.
  let after = offset + count * stride;
  for (let e = vertexIndex + 1; e < header.elements.length; e++) {
    try {
      after = skipBinaryElement(view, after, header.elements[e]!, le, fileName);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the header declares ${plural(count, 'vertex')} — if that count is too large the vertex records ran into the following data`, { cause: err });
    }
  }

  const positions = new Float32Array(count * 3);
  for (let c = 0; c < 3; c++) {
    const k = layout.xyz[c]!;
    readColumn(view, offset + offsets[k]!, stride, count, layout.properties[k]!.type, le, positions, c, 3, 1);
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
  let features: PointFeatures | undefined;
  const dim = layout.features.length;
  if (dim > 0) {
    const values = new Float32Array(count * dim);
    layout.features.forEach((k, d) => readColumn(view, offset + offsets[k]!, stride, count, layout.properties[k]!.type, le, values, d, dim, 1));
    features = { dim, values, names: layout.features.map((k) => layout.properties[k]!.name) };
  }
  return { count, positions, ...(colors ? { colors } : {}), ...(features ? { features } : {}) };
}

// ---------------------------------------------------------------------------------------------
// ASCII

/**
 * One ascii number; accepts the nan / inf spellings C and NumPy write. Null when the token is not
 * a number. Shared with the PCD reader.
 */
export function asciiNumber(token: string): number | null {
  const v = Number(token);
  if (!Number.isNaN(v)) return v;
  if (/^[+-]?nan$/i.test(token)) return NaN;
  if (/^[+]?inf(inity)?$/i.test(token)) return Infinity;
  if (/^-inf(inity)?$/i.test(token)) return -Infinity;
  return null;
}

/** Whitespace-separated records, one per non-blank line. Shared with the PCD reader. */
export class AsciiRecords {
  private pos = 0;
  /** 1-based file line number of the record last returned. */
  line: number;

  /** `linesBefore`: how many file lines precede `text` (the header). */
  constructor(
    private readonly text: string,
    linesBefore: number,
  ) {
    this.line = linesBefore;
  }

  /** The next non-blank line's tokens, or null at the end of the text. */
  next(): string[] | null {
    const text = this.text;
    while (this.pos < text.length) {
      let end = text.indexOf('\n', this.pos);
      if (end < 0) end = text.length;
      const line = text.slice(this.pos, end).trim();
      this.pos = end + 1;
      this.line++;
      if (line !== '') return line.split(/\s+/);
    }
    return null;
  }
}

function parseAscii(bytes: Uint8Array, header: PlyHeader, fileName: string): PointSet {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(header.dataOffset));
  const headerLines = latin1(bytes.subarray(0, header.dataOffset)).split(/\r\n|\r|\n/).length - 1;
  const records = new AsciiRecords(text, headerLines);

  const vertexIndex = header.elements.findIndex((e) => e.name === 'vertex');
  for (let e = 0; e < vertexIndex; e++) {
    const element = header.elements[e]!;
    for (let r = 0; r < element.count; r++) {
      if (!records.next()) {
        throw new Error(`${fileName}: truncated ascii PLY: the header declares ${plural(element.count, `'${element.name}' element`)}, the data ends after ${r.toLocaleString('en')}`);
      }
    }
  }

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
  const values = dim > 0 ? new Float32Array(capacity * dim) : undefined;
  const rgbScale = layout.rgb ? layout.rgb.map((k) => colourScale(layout.properties[k]!.type)) : [];
  const row = new Float64Array(width);

  for (let i = 0; i < count; i++) {
    const tokens = records.next();
    if (!tokens) {
      throw new Error(`${fileName}: the header declares ${plural(count, 'vertex')}, but the data holds only ${plural(i, 'vertex')}`);
    }
    if (tokens.length !== width) {
      throw new Error(
        `${fileName}: line ${records.line} (vertex ${i.toLocaleString('en')}) has ${tokens.length} values, expected ${width} (${layout.properties.map((p) => p.name).join(' ')}); the header declares ${plural(count, 'vertex')}, the data holds ${plural(i, 'well-formed vertex line')} before this one`,
      );
    }
    for (let k = 0; k < width; k++) {
      const token = tokens[k]!;
      const v = asciiNumber(token);
      if (v === null) {
        throw new Error(`${fileName}: line ${records.line} (vertex ${i.toLocaleString('en')}): property ${layout.properties[k]!.name} is "${token}", not a number`);
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
  }
  const features: PointFeatures | undefined = values ? { dim, values, names: layout.features.map((k) => layout.properties[k]!.name) } : undefined;
  return { count, positions, ...(colors ? { colors } : {}), ...(features ? { features } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Parses a PLY file's vertex element into a PointSet. Errors name the file and the numbers. */
export function parsePly(bytes: Uint8Array, fileName: string): PointSet {
  const header = parseHeader(bytes, fileName);
  const vertices = header.elements.filter((e) => e.name === 'vertex');
  if (vertices.length === 0) {
    throw new Error(`${fileName}: PLY has no vertex element (found: ${header.elements.map((e) => e.name).join(', ') || 'no elements'})`);
  }
  if (vertices.length > 1) throw new Error(`${fileName}: PLY declares ${vertices.length} vertex elements; expected one`);
  return header.format === 'ascii' ? parseAscii(bytes, header, fileName) : parseBinary(bytes, header, fileName);
}

export interface PlyEncodeInput {
  /** xyz, length 3·N. */
  readonly positions: Float32Array;
  /** rgb 0..255, length 3·N. */
  readonly colors?: Uint8Array;
  /** Extra float properties, one value per point each. */
  readonly scalars?: readonly { readonly name: string; readonly values: Float32Array }[];
}

/** Shortest decimal that reads back as the same float32 (ascii output). */
function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  const plain = String(v);
  if (plain.length <= 9) return plain;
  for (let precision = 6; precision <= 9; precision++) {
    const candidate = Number(v.toPrecision(precision));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return plain;
}

/** Writes points as PLY (float x y z, uchar red green blue, float scalars) in ascii or binary LE. */
export function encodePly(points: PlyEncodeInput, format: 'ascii' | 'binary_little_endian'): Uint8Array {
  const { positions, colors } = points;
  const scalars = points.scalars ?? [];
  if (positions.length % 3 !== 0) throw new Error(`encodePly: positions length ${positions.length} is not a multiple of 3`);
  const count = positions.length / 3;
  if (colors && colors.length !== count * 3) throw new Error(`encodePly: colors length ${colors.length}, expected ${count * 3} (3 per point)`);
  const reserved = new Set(['x', 'y', 'z', ...(colors ? ['red', 'green', 'blue'] : [])]);
  for (const s of scalars) {
    if (!/^[^\s]+$/.test(s.name) || reserved.has(s.name)) throw new Error(`encodePly: invalid scalar property name "${s.name}"`);
    reserved.add(s.name);
    if (s.values.length !== count) throw new Error(`encodePly: scalar "${s.name}" has ${s.values.length} values, expected ${count}`);
  }
  const header = [
    'ply',
    `format ${format} 1.0`,
    'comment FieldLens',
    `element vertex ${count}`,
    'property float x',
    'property float y',
    'property float z',
    ...(colors ? ['property uchar red', 'property uchar green', 'property uchar blue'] : []),
    ...scalars.map((s) => `property float ${s.name}`),
    'end_header',
    '',
  ].join('\n');
  const headerBytes = new TextEncoder().encode(header);

  if (format === 'ascii') {
    const lines: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      let line = `${formatFloat32(positions[i * 3]!)} ${formatFloat32(positions[i * 3 + 1]!)} ${formatFloat32(positions[i * 3 + 2]!)}`;
      if (colors) line += ` ${colors[i * 3]} ${colors[i * 3 + 1]} ${colors[i * 3 + 2]}`;
      for (const s of scalars) line += ` ${formatFloat32(s.values[i]!)}`;
      lines[i] = line;
    }
    const body = new TextEncoder().encode(lines.length > 0 ? lines.join('\n') + '\n' : '');
    const out = new Uint8Array(headerBytes.length + body.length);
    out.set(headerBytes);
    out.set(body, headerBytes.length);
    return out;
  }

  const stride = 12 + (colors ? 3 : 0) + 4 * scalars.length;
  const out = new Uint8Array(headerBytes.length + stride * count);
  out.set(headerBytes);
  const view = new DataView(out.buffer);
  let p = headerBytes.length;
  for (let i = 0; i < count; i++) {
    view.setFloat32(p, positions[i * 3]!, true);
    view.setFloat32(p + 4, positions[i * 3 + 1]!, true);
    view.setFloat32(p + 8, positions[i * 3 + 2]!, true);
    p += 12;
    if (colors) {
      out[p] = colors[i * 3]!;
      out[p + 1] = colors[i * 3 + 1]!;
      out[p + 2] = colors[i * 3 + 2]!;
      p += 3;
    }
    for (const s of scalars) {
      view.setFloat32(p, s.values[i]!, true);
      p += 4;
    }
  }
  return out;
}
