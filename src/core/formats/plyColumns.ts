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
