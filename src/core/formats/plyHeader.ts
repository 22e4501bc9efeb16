/**
 * PLY header parsing and the vertex element's layout (which property is a position, a colour or a
 * feature channel), shared by the binary and ascii readers in ply.ts. Header errors name the file,
 * the line and what was expected.
 */
import { FormatError } from './formatError.ts';
import type { PlyScalarType } from './plyColumns.ts';

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

export const TYPE_SIZE: Record<PlyScalarType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

export interface ScalarProperty {
  readonly kind: 'scalar';
  readonly name: string;
  readonly type: PlyScalarType;
}
export interface ListProperty {
  readonly kind: 'list';
  readonly name: string;
  readonly countType: PlyScalarType;
  readonly itemType: PlyScalarType;
}
export type PlyProperty = ScalarProperty | ListProperty;

export interface PlyElement {
  readonly name: string;
  readonly count: number;
  readonly properties: PlyProperty[];
}

export interface PlyHeader {
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

export function latin1(bytes: Uint8Array): string {
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

export function parseHeader(bytes: Uint8Array, fileName: string): PlyHeader {
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

export interface VertexLayout {
  readonly properties: ScalarProperty[];
  /** Property indices of x, y, z. */
  readonly xyz: [number, number, number];
  /** Property indices of the colour channels, when the file has colour. */
  readonly rgb?: [number, number, number];
  /** Property indices of the feature channels, in header order. */
  readonly features: number[];
}

export function vertexLayout(element: PlyElement, fileName: string): VertexLayout {
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
export function colourScale(type: PlyScalarType): number {
  if (type === 'float32' || type === 'float64') return 255;
  if (type === 'uint16') return 255 / 65535;
  return 1;
}
