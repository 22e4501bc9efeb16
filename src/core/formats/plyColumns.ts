/**
 * Column readers shared by the PLY and PCD parsers: typed binary columns (`readColumn`, one
 * monomorphic loop per element type, strided records in, strided Float32/Uint8 out), single binary
 * scalars (`readScalar`), and ascii tokens / records (`asciiNumber`, `AsciiRecords`).
 *
 * Split out of ply.ts so that pcd.ts need not import the PLY parser. Invariants: readers never
 * allocate per value; colour outputs (Uint8Array) are scaled, rounded and clamped to 0..255 with NaN
 * → 0; ascii numbers accept the nan / inf spellings C and NumPy write.
 */

/** PLY scalar element types (canonical names). Re-exported by ply.ts. */
export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

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

/** One binary scalar of `type` at `offset`. */
export function readScalar(view: DataView, offset: number, type: PlyScalarType, le: boolean): number {
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

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float32 columns (byte offsets within a record) read row-major into `out[i·columns.length + d]`. */
export interface Float32RowGroup {
  readonly columns: readonly number[];
  readonly out: Float32Array;
}

/** Scratch for records read through an aligned copy (readFloat32Rows), bytes. */
const SCRATCH_BYTES = 1 << 20;

/** The aligned inner loop of readFloat32Rows: `rows` records of `strideWords` words from word 0. */
function copyWordRows(
  words: Float32Array,
  strideWords: number,
  rows: number,
  ca: Int32Array,
  cb: Int32Array,
  a: Float32Array,
  oa: number,
  b: Float32Array,
  ob: number,
): void {
  const wa = ca.length;
  const wb = cb.length;
  const contiguous = (c: Int32Array) => c.every((x, d) => x === c[0]! + d);
  if (contiguous(ca) && contiguous(cb)) {
    // The common layout (x y z, then the features in order): sequential reads, no offset table.
    const a0 = ca[0]!;
    const b0 = wb > 0 ? cb[0]! : 0;
    for (let i = 0, r = 0; i < rows; i++, r += strideWords) {
      for (let q = r + a0, end = q + wa; q < end; q++) a[oa++] = words[q]!;
      for (let q = r + b0, end = q + wb; q < end; q++) b[ob++] = words[q]!;
    }
    return;
  }
  for (let i = 0, r = 0; i < rows; i++, r += strideWords) {
    for (let d = 0; d < wa; d++) a[oa++] = words[r + ca[d]!]!;
    for (let d = 0; d < wb; d++) b[ob++] = words[r + cb[d]!]!;
  }
}

/**
 * Reads groups of float32 columns row-major (e.g. xyz into positions and the feature columns into
 * features) in ONE pass over the `stride`-byte records from `start`, so each record's cache lines
 * are touched once (a pass per column re-reads the whole file once per column). When the records
 * are 4-byte aligned and the file's byte order is the host's, an aligned Float32Array view reads
 * the values (records that are not aligned are first copied, a block at a time, into aligned
 * scratch); otherwise a DataView does.
 */
export function readFloat32Rows(bytes: Uint8Array, start: number, stride: number, count: number, le: boolean, groups: readonly Float32RowGroup[]): void {
  if (groups.length < 1 || groups.length > 2) throw new Error(`readFloat32Rows: takes one or two column groups, got ${groups.length}`);
  const first = bytes.byteOffset + start;
  const wordColumns = stride % 4 === 0 && groups.every((g) => g.columns.every((c) => c % 4 === 0));
  const aligned = le === HOST_LITTLE_ENDIAN && first % 4 === 0 && wordColumns;
  // Copied through an aligned scratch block: the host's byte order and word-multiple records, but
  // a start off a 4-byte boundary (a PLY header's length is arbitrary). A block copy is far cheaper
  // than a DataView read per value.
  const viaScratch = le === HOST_LITTLE_ENDIAN && first % 4 !== 0 && wordColumns;
  // Column offsets in words (aligned view) or bytes (DataView); an absent second group is empty.
  const inWords = aligned || viaScratch;
  const offsetsOf = (g: Float32RowGroup | undefined) => Int32Array.from(g?.columns ?? [], (c) => (inWords ? c / 4 : c));
  const ca = offsetsOf(groups[0]);
  const cb = offsetsOf(groups[1]);
  const a = groups[0]!.out;
  const b = groups[1]?.out ?? new Float32Array(0);
  const wa = ca.length;
  const wb = cb.length;
  if (aligned) {
    copyWordRows(new Float32Array(bytes.buffer, first, (count * stride) / 4), stride / 4, count, ca, cb, a, 0, b, 0);
    return;
  }
  if (viaScratch) {
    const rowsPerBlock = Math.max(1, Math.floor(SCRATCH_BYTES / stride));
    const scratch = new Uint8Array(Math.min(count, rowsPerBlock) * stride);
    const words = new Float32Array(scratch.buffer);
    for (let row = 0; row < count; row += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, count - row);
      const from = start + row * stride;
      scratch.set(bytes.subarray(from, from + rows * stride));
      copyWordRows(words, stride / 4, rows, ca, cb, a, row * wa, b, row * wb);
    }
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const contiguous = (c: Int32Array) => c.every((x, d) => x === c[0]! + 4 * d);
  if (contiguous(ca) && contiguous(cb)) {
    // The common layout (x y z, then the features in order): sequential reads, no offset table.
    const a0 = ca[0]!;
    const b0 = wb > 0 ? cb[0]! : 0;
    for (let i = 0, r = start, oa = 0, ob = 0; i < count; i++, r += stride) {
      for (let d = 0, q = r + a0; d < wa; d++, q += 4) a[oa++] = view.getFloat32(q, le);
      for (let d = 0, q = r + b0; d < wb; d++, q += 4) b[ob++] = view.getFloat32(q, le);
    }
    return;
  }
  for (let i = 0, r = start, oa = 0, ob = 0; i < count; i++, r += stride) {
    for (let d = 0; d < wa; d++) a[oa++] = view.getFloat32(r + ca[d]!, le);
    for (let d = 0; d < wb; d++) b[ob++] = view.getFloat32(r + cb[d]!, le);
  }
}

/**
 * The common coloured cloud (float32 x y z and uint8 r g b, nothing else read): positions and
 * colours in ONE pass over the `stride`-byte records from `start` (separate passes per column
 * would walk the file four times). `xyz` and `rgb` are byte offsets within a record.
 */
export function readXyzRgbRows(
  bytes: Uint8Array,
  start: number,
  stride: number,
  count: number,
  le: boolean,
  xyz: readonly number[],
  rgb: readonly number[],
  positions: Float32Array,
  colors: Uint8Array,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [x, y, z] = xyz as [number, number, number];
  const [r, g, b] = rgb as [number, number, number];
  for (let i = 0, p = start, o = 0; i < count; i++, p += stride, o += 3) {
    positions[o] = view.getFloat32(p + x, le);
    positions[o + 1] = view.getFloat32(p + y, le);
    positions[o + 2] = view.getFloat32(p + z, le);
    colors[o] = bytes[p + r]!;
    colors[o + 1] = bytes[p + g]!;
    colors[o + 2] = bytes[p + b]!;
  }
}
