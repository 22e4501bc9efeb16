import { describe, expect, it } from 'vitest';
import { npyToFloat32, parseNpy } from './npy.ts';

/** Element size and DataView writer per descriptor kind+size, for the test encoder. */
const WRITERS: Record<string, [number, (v: DataView, o: number, x: number, le: boolean) => void]> = {
  f4: [4, (v, o, x, le) => v.setFloat32(o, x, le)],
  f8: [8, (v, o, x, le) => v.setFloat64(o, x, le)],
  f2: [2, (v, o, _x, le) => v.setUint16(o, 0x3c00, le)],
  u1: [1, (v, o, x) => v.setUint8(o, x)],
  b1: [1, (v, o, x) => v.setUint8(o, x)],
  i1: [1, (v, o, x) => v.setInt8(o, x)],
  u2: [2, (v, o, x, le) => v.setUint16(o, x, le)],
  i2: [2, (v, o, x, le) => v.setInt16(o, x, le)],
  u4: [4, (v, o, x, le) => v.setUint32(o, x, le)],
  i4: [4, (v, o, x, le) => v.setInt32(o, x, le)],
  i8: [8, (v, o, x, le) => v.setBigInt64(o, BigInt(x), le)],
  u8: [8, (v, o, x, le) => v.setBigUint64(o, BigInt(x), le)],
};

interface NpyFixture {
  descr: string;
  shape: number[];
  /** Element values in FILE order (C order, or Fortran order when fortran is set). */
  values: number[];
  fortran?: boolean;
  version?: 1 | 2 | 3;
  /** Pad the header to 64 bytes as NumPy does (default) or leave it ragged. */
  pad?: boolean;
  /** Extra text inside the header dict (e.g. a unicode comment for version 3). */
  extra?: string;
}

/** A minimal .npy writer (the layout NumPy's format.py writes). */
function encodeNpy(f: NpyFixture): Uint8Array {
  const version = f.version ?? 1;
  const shape = f.shape.length === 1 ? `(${f.shape[0]},)` : `(${f.shape.join(', ')})`;
  let dict = `{'descr': '${f.descr}', 'fortran_order': ${f.fortran ? 'True' : 'False'}, 'shape': ${shape}, ${f.extra ?? ''}}`;
  const lengthBytes = version === 1 ? 2 : 4;
  const encoder = new TextEncoder();
  if (f.pad ?? true) {
    const unpadded = 8 + lengthBytes + encoder.encode(dict).length + 1;
    dict += ' '.repeat((64 - (unpadded % 64)) % 64);
  }
  dict += '\n';
  const headerText = encoder.encode(dict);
  const order = f.descr[0]!;
  const key = f.descr.slice(1);
  const [size, write] = WRITERS[key] ?? [1, () => undefined];
  const dataOffset = 8 + lengthBytes + headerText.length;
  const out = new Uint8Array(dataOffset + size * f.values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerText.length, true);
  else view.setUint32(8, headerText.length, true);
  out.set(headerText, 8 + lengthBytes);
  f.values.forEach((x, i) => write(view, dataOffset + i * size, x, order !== '>'));
  return out;
}

describe('parseNpy', () => {
  it('reads a little-endian float32 matrix in C order (version 1.0)', () => {
    const bytes = encodeNpy({ descr: '<f4', shape: [2, 3], values: [1, 2, 3, 4.5, -5, 6] });
    const array = parseNpy(bytes, 'a.npy');
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([2, 3]);
    expect(array.data).toBeInstanceOf(Float32Array);
    expect(Array.from(array.data as Float32Array)).toEqual([1, 2, 3, 4.5, -5, 6]);
  });

  const cases: [string, string, number[], new (n: number) => ArrayLike<unknown>][] = [
    ['f4', 'float32', [0.5, -1.25, 3e10, 0], Float32Array],
    ['f8', 'float64', [0.1, -1e-300, 12345.678, Math.PI], Float64Array],
    ['u1', 'uint8', [0, 1, 128, 255], Uint8Array],
    ['u2', 'uint16', [0, 1, 256, 65535], Uint16Array],
    ['i2', 'int16', [-32768, -1, 258, 32767], Int16Array],
    ['i4', 'int32', [-2147483648, -1, 65536 + 7, 2147483647], Int32Array],
    ['u4', 'uint32', [0, 1, 0x01020304, 4294967295], Uint32Array],
    ['i8', 'int64', [-(2 ** 40), -1, 0x0102030405, 2 ** 52], BigInt64Array],
    ['b1', 'bool', [0, 1, 1, 0], Uint8Array],
  ];
  for (const [key, dtype, values, Type] of cases) {
    for (const order of ['<', '>'] as const) {
      const descr = key === 'u1' || key === 'b1' ? `|${key}` : `${order}${key}`;
      it(`reads ${descr} (${dtype}, ${order === '<' ? 'little' : 'big'}-endian)`, () => {
        const array = parseNpy(encodeNpy({ descr, shape: [4], values }), 'v.npy');
        expect(array.dtype).toBe(dtype);
        expect(array.shape).toEqual([4]);
        expect(array.data).toBeInstanceOf(Type);
        const got = Array.from(array.data as ArrayLike<number | bigint>, Number);
        expect(got).toEqual(key === 'f4' ? values.map(Math.fround) : values);
      });
    }
  }

  it('reads format versions 2.0 and 3.0 (uint32 header length; UTF-8 header in 3.0)', () => {
    const v2 = parseNpy(encodeNpy({ descr: '<u2', shape: [3], values: [7, 8, 9], version: 2 }), 'v2.npy');
    expect(Array.from(v2.data as Uint16Array)).toEqual([7, 8, 9]);
    const v3 = parseNpy(encodeNpy({ descr: '<i4', shape: [1, 2], values: [-3, 4], version: 3, extra: "'note': 'größe', " }), 'v3.npy');
    expect(v3.shape).toEqual([1, 2]);
    expect(Array.from(v3.data as Int32Array)).toEqual([-3, 4]);
  });

  it('converts fortran_order=True arrays to C order (2-d and 3-d)', () => {
    // A 2×3 matrix [[1 2 3] [4 5 6]] stored column by column.
    const m = parseNpy(encodeNpy({ descr: '<f8', shape: [2, 3], values: [1, 4, 2, 5, 3, 6], fortran: true }), 'f.npy');
    expect(Array.from(m.data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6]);
    // 2×3×4 with value = 100·i + 10·j + k, stored with the first axis varying fastest.
    const [I, J, K] = [2, 3, 4];
    const fortran: number[] = [];
    for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) for (let i = 0; i < I; i++) fortran.push(100 * i + 10 * j + k);
    const c: number[] = [];
    for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) for (let k = 0; k < K; k++) c.push(100 * i + 10 * j + k);
    const t = parseNpy(encodeNpy({ descr: '>i2', shape: [I, J, K], values: fortran, fortran: true }), 't.npy');
    expect(t.shape).toEqual([2, 3, 4]);
    expect(Array.from(t.data as Int16Array)).toEqual(c);
    // 1-d Fortran is the same as C.
    expect(Array.from(parseNpy(encodeNpy({ descr: '<u1', shape: [3], values: [1, 2, 3], fortran: true }), 'o.npy').data as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('copies data at an offset that is not a multiple of the element size', () => {
    // Ragged header: data starts at byte 8 + 2 + len(header), not a multiple of 8.
    const ragged = encodeNpy({ descr: '<f8', shape: [2], values: [1.5, -2.5], pad: false });
    const dataOffset = ragged.length - 16;
    expect(dataOffset % 8).not.toBe(0);
    expect(Array.from(parseNpy(ragged, 'r.npy').data as Float64Array)).toEqual([1.5, -2.5]);
    // Padded header, but the file itself sits at an odd offset inside a larger buffer.
    const padded = encodeNpy({ descr: '<f4', shape: [3], values: [1, 2, 3] });
    const host = new Uint8Array(padded.length + 1);
    host.set(padded, 1);
    const array = parseNpy(host.subarray(1), 'odd.npy');
    expect(Array.from(array.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('views aligned little-endian data without copying', () => {
    const bytes = encodeNpy({ descr: '<f4', shape: [2], values: [1, 2] });
    const array = parseNpy(bytes, 'v.npy');
    expect(array.data.buffer).toBe(bytes.buffer);
  });

  it('reads shape () as one element and shape (0, 3) as none', () => {
    const scalar = parseNpy(encodeNpy({ descr: '<f8', shape: [], values: [42] }), 's.npy');
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data as Float64Array)).toEqual([42]);
    const empty = parseNpy(encodeNpy({ descr: '<f4', shape: [0, 3], values: [] }), 'e.npy');
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.data.length).toBe(0);
  });

  it('rejects a wrong magic, naming the file and the bytes found', () => {
    expect(() => parseNpy(new TextEncoder().encode('PK\x03\x04 not numpy'), 'depth.npy')).toThrow(
      /^depth\.npy: not a NumPy \.npy file .*found bytes 50 4b 03 04/,
    );
    expect(() => parseNpy(new Uint8Array(0), 'empty.npy')).toThrow(/empty\.npy: .*an empty file/);
  });

  it('names unsupported dtypes', () => {
    expect(() => parseNpy(encodeNpy({ descr: '<f2', shape: [1], values: [1] }), 'h.npy')).toThrow(/h\.npy: unsupported dtype float16 \('<f2'\)/);
    expect(() => parseNpy(encodeNpy({ descr: '|i1', shape: [1], values: [1] }), 'b.npy')).toThrow(/unsupported dtype int8 \('\|i1'\)/);
    expect(() => parseNpy(encodeNpy({ descr: '<u8', shape: [1], values: [1] }), 'u.npy')).toThrow(/unsupported dtype uint64/);
    expect(() => parseNpy(encodeNpy({ descr: '<U5', shape: [1], values: [] }), 's.npy')).toThrow(/unsupported dtype unicode string \('<U5'\)/);
  });

  it('rejects object and structured arrays', () => {
    expect(() => parseNpy(encodeNpy({ descr: '|O', shape: [2], values: [] }), 'o.npy')).toThrow(/o\.npy: object arrays .*not supported/);
    const dict = new TextEncoder().encode("{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }\n");
    const structured = new Uint8Array(10 + dict.length + 8);
    structured.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
    structured.set(dict, 10);
    expect(() => parseNpy(structured, 'st.npy')).toThrow(/st\.npy: unsupported dtype: structured array/);
  });

  it('rejects data shorter than the shape says, with both sizes', () => {
    const bytes = encodeNpy({ descr: '<f4', shape: [4, 3], values: new Array<number>(12).fill(1) });
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 5), 'cut.npy')).toThrow(
      /cut\.npy: data shorter than the shape says: shape \(4, 3\) of float32 needs 48 bytes, the file holds 43/,
    );
  });
});

describe('npyToFloat32', () => {
  it('converts every dtype and passes float32 through', () => {
    const f = parseNpy(encodeNpy({ descr: '<f4', shape: [2], values: [1, 2] }), 'f.npy');
    expect(npyToFloat32(f)).toBe(f.data);
    const i8 = parseNpy(encodeNpy({ descr: '>i8', shape: [3], values: [-5, 0, 2 ** 33] }), 'i.npy');
    expect(Array.from(npyToFloat32(i8))).toEqual([-5, 0, 2 ** 33]);
    const b = parseNpy(encodeNpy({ descr: '|b1', shape: [3], values: [1, 0, 7] }), 'b.npy');
    expect(Array.from(npyToFloat32(b))).toEqual([1, 0, 1]);
    const u2 = parseNpy(encodeNpy({ descr: '<u2', shape: [2], values: [65535, 3] }), 'u.npy');
    expect(Array.from(npyToFloat32(u2))).toEqual([65535, 3]);
    const d = parseNpy(encodeNpy({ descr: '<f8', shape: [1], values: [0.1] }), 'd.npy');
    expect(npyToFloat32(d)[0]).toBe(Math.fround(0.1));
  });
});
