/**
 * NumPy `.npy` reader (format versions 1.0, 2.0 and 3.0).
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, the header length (uint16 LE in 1.0,
 * uint32 LE in 2.0/3.0), a Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (N, 3), }` (latin-1 in 1.0/2.0, UTF-8 in 3.0), then the raw element bytes.
 *
 * The returned `data` is always in C (row-major) order and native (little-endian) byte order; it
 * views the input bytes without copying only when no byte swap, transpose or realignment is
 * needed, so the caller must not mutate the input afterwards.
 */
import { FormatError } from './formatError.ts';

import { decodeHalves } from '../features/float16.ts';

export type NpyDtype = 'float32' | 'float64' | 'float16' | 'uint8' | 'uint16' | 'int16' | 'int32' | 'uint32' | 'int64' | 'bool';

export type NpyData = Float32Array | Float64Array | Uint8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | BigInt64Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  /** C order, native byte order; `bool` is stored as 0/1 bytes, `float16` as its binary16 bits. */
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** descr kind+size (without the byte-order character) → our dtype. */
const DTYPES: Record<string, NpyDtype> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  u1: 'uint8',
  u2: 'uint16',
  i2: 'int16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  b1: 'bool',
};

/** Names for descriptors we recognise but do not support, so the error can say what was found. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  f16: 'float128',
  i1: 'int8',
  u8: 'uint64',
  c8: 'complex64',
  c16: 'complex128',
  U: 'unicode string',
  S: 'byte string',
  V: 'void / structured',
  M8: 'datetime64',
  m8: 'timedelta64',
};

const ITEM_SIZE: Record<NpyDtype, number> = {
  float16: 2,
  float32: 4,
  float64: 8,
  uint8: 1,
  uint16: 2,
  int16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  bool: 1,
};

export function isNpyBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && MAGIC.every((b, i) => bytes[i] === b);
}

interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly descr: string;
  readonly littleEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  readonly dataOffset: number;
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `bytes ${head}`;
}

function parseHeader(bytes: Uint8Array, fileName: string): NpyHeader {
  if (!isNpyBytes(bytes)) {
    throw new FormatError(`${fileName}: not a NumPy .npy file (expected the magic "\\x93NUMPY", found ${describeStart(bytes)})`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) {
    throw new FormatError(`${fileName}: unsupported .npy format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new FormatError(`${fileName}: truncated .npy header (file is ${bytes.length} bytes)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) {
    throw new FormatError(
      `${fileName}: truncated .npy header (header declares ${headerLength} bytes, the file holds ${bytes.length - headerStart} after the length field)`,
    );
  }
  const headerBytes = bytes.subarray(headerStart, dataOffset);
  const text = major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : latin1(headerBytes);

  const descrMatch = /['"]descr['"]\s*:\s*(?:'([^']*)'|"([^"]*)"|(\[))/.exec(text);
  if (!descrMatch) throw new FormatError(`${fileName}: .npy header has no 'descr' entry (header: ${text.trim()})`);
  if (descrMatch[3]) {
    throw new FormatError(`${fileName}: unsupported dtype: structured array (descr is a list of fields); expected a plain numeric array`);
  }
  const descr = descrMatch[1] ?? descrMatch[2] ?? '';
  const { dtype, littleEndian } = parseDescr(descr, fileName);

  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortranMatch) throw new FormatError(`${fileName}: .npy header has no 'fortran_order' entry (header: ${text.trim()})`);

  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw new FormatError(`${fileName}: .npy header has no 'shape' tuple (header: ${text.trim()})`);
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      if (!/^\d+$/.test(s)) throw new FormatError(`${fileName}: .npy shape entry "${s}" is not a non-negative integer (shape: (${shapeMatch[1]}))`);
      return Number(s);
    });

  return { dtype, descr, littleEndian, fortranOrder: fortranMatch[1] === 'True', shape, dataOffset };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function parseDescr(descr: string, fileName: string): { dtype: NpyDtype; littleEndian: boolean } {
  const m = /^([<>|=!]?)([a-zA-Z]+)(\d*)/.exec(descr);
  if (!m) throw new FormatError(`${fileName}: unsupported dtype '${descr}' (expected e.g. '<f4', '<u2', '|u1')`);
  const [, order, kind, size] = m as unknown as [string, string, string, string];
  if (kind === 'O') {
    throw new FormatError(
      `${fileName}: object arrays (dtype 'O') are not supported: they hold pickled Python objects, not numbers; save a numeric array instead`,
    );
  }
  const key = `${kind}${size}`;
  const dtype = DTYPES[key];
  if (!dtype) {
    const name = KNOWN_UNSUPPORTED[key] ?? KNOWN_UNSUPPORTED[kind] ?? 'unknown';
    throw new FormatError(`${fileName}: unsupported dtype ${name} ('${descr}'); supported: float32, float64, uint8, uint16, int16, int32, uint32, int64, bool`);
  }
  // '>' and '!' are big-endian; '<', '=' (native: every platform we run on is little-endian) and
  // '|' (not applicable, single byte) read as little-endian.
  return { dtype, littleEndian: !(order === '>' || order === '!') };
}

interface NpyDataConstructor {
  new (length: number): NpyData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NpyData;
}

const CONSTRUCTORS: Record<NpyDtype, NpyDataConstructor> = {
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
};

function allocate(dtype: NpyDtype, length: number): NpyData {
  return new CONSTRUCTORS[dtype](length);
}

/** The array's shape from the header alone (no data copied): for telling files apart. */
export function npyShape(bytes: Uint8Array, fileName: string): number[] {
  return parseHeader(bytes, fileName).shape;
}

/** Reads `.npy` bytes. Errors name the file, the dtype and the sizes involved. */
export function parseNpy(bytes: Uint8Array, fileName: string, options: { readonly float16?: boolean } = {}): NpyArray {
  const header = parseHeader(bytes, fileName);
  const { dtype, shape, dataOffset } = header;
  // Halves are only read where a caller keeps them as such (per-point features); elsewhere they are refused.
  if (dtype === 'float16' && !options.float16) {
    throw new Error(
      `${fileName}: unsupported dtype float16 ('${header.descr}') here; supported: float32, float64, uint8, uint16, int16, int32, uint32, int64, bool (float16 only for per-point features beside a point cloud)`,
    );
  }
  const itemSize = ITEM_SIZE[dtype];
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * itemSize;
  const available = bytes.length - dataOffset;
  if (available < needed) {
    throw new FormatError(
      `${fileName}: data shorter than the shape says: shape (${shape.join(', ')}) of ${dtype} needs ${needed} bytes, the file holds ${available} after the header`,
    );
  }
  const raw = bytes.subarray(dataOffset, dataOffset + needed);

  let data: NpyData;
  const needsSwap = !header.littleEndian && itemSize > 1;
  const absoluteOffset = bytes.byteOffset + dataOffset;
  if (needsSwap) {
    data = allocate(dtype, count);
    const target = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < needed; i += itemSize) {
      for (let b = 0; b < itemSize; b++) target[i + b] = raw[i + itemSize - 1 - b]!;
    }
  } else if (absoluteOffset % itemSize !== 0) {
    // Typed arrays need element-aligned offsets: copy into a fresh (aligned) buffer.
    data = allocate(dtype, count);
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(raw);
  } else {
    data = new CONSTRUCTORS[dtype](bytes.buffer, absoluteOffset, count);
  }

  if (header.fortranOrder && shape.length > 1) data = fortranToC(data, shape, dtype);
  // NumPy writes bools as 0/1 bytes; normalise any other non-zero byte so consumers can rely on it.
  if (dtype === 'bool') {
    let clean = true;
    for (let i = 0; i < data.length && clean; i++) clean = (data[i] as number) <= 1;
    if (!clean) {
      const copy = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) copy[i] = (data[i] as number) ? 1 : 0;
      data = copy;
    }
  }
  return { dtype, shape: [...shape], data };
}

/** Reorders a column-major (Fortran) array of `shape` into row-major (C) order. */
function fortranToC(source: NpyData, shape: readonly number[], dtype: NpyDtype): NpyData {
  const out = allocate(dtype, source.length);
  const rank = shape.length;
  if (source.length === 0) return out;
  // Fortran strides: the first axis varies fastest.
  const fStride = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    fStride[k] = s;
    s *= shape[k]!;
  }
  const index = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const lastLen = shape[last]!;
  const lastStride = fStride[last]!;
  let base = 0; // Fortran offset of index with the last axis at 0
  const src = source as unknown as ArrayLike<number | bigint> & object;
  const dst = out as unknown as { [i: number]: number | bigint };
  for (let o = 0; o < out.length; o += lastLen) {
    for (let j = 0; j < lastLen; j++) dst[o + j] = src[base + j * lastStride]!;
    // Advance the C-order odometer over axes 0..last-1.
    for (let k = last - 1; k >= 0; k--) {
      index[k]!++;
      base += fStride[k]!;
      if (index[k]! < shape[k]!) break;
      base -= fStride[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * Any supported array as float32 (int64 through Number, bool as 0/1). Returns `array.data` itself
 * when it already is a Float32Array (no copy).
 */
export function npyToFloat32(array: NpyArray): Float32Array {
  const { data } = array;
  if (data instanceof Float32Array) return data;
  if (array.dtype === 'float16') return decodeHalves(data as Uint16Array);
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
  } else {
    out.set(data);
  }
  return out;
}
