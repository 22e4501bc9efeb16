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
import { AsciiRecords, asciiNumber, readColumn, readFloat32Rows, readScalar, readXyzRgbRows } from './plyColumns.ts';
import { FormatError } from './formatError.ts';
import { encodeHalves, float32ToFloat16Bits } from '../features/float16.ts';

/** Rows read per block when wide features are kept as halves (4096 × 512 floats = 8 MiB of scratch). */
const HALF_BLOCK_ROWS = 4096;

export type { PlyScalarType } from './plyColumns.ts';
export type { PlyFormat } from './plyHeader.ts';
import { TYPE_SIZE, colourScale, latin1, parseHeader, vertexLayout, type PlyElement, type PlyHeader } from './plyHeader.ts';
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
  const rgb8 = layout.rgb?.every((k) => layout.properties[k]!.type === 'uint8') ?? false;
  let colors: Uint8Array | undefined;
  if (layout.rgb && rgb8 && dim === 0 && float32(layout.xyz)) {
    colors = new Uint8Array(count * 3);
    const at = (ks: readonly number[]) => ks.map((k) => offsets[k]!);
    readXyzRgbRows(bytes, offset, stride, count, le, at(layout.xyz), at(layout.rgb), positions, colors);
  } else if (float32(layout.xyz)) {
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
  if (layout.rgb && !colors) {
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
