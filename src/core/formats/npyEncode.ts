/**
 * NumPy .npy writer (format v1.0, little-endian, C order) — the inverse of npy.ts's reader. Used
 * for mask export and, through src/testing/fixtureEncoders.ts, for test fixtures.
 */

export type NpyEncodable = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

/** `bool: true` writes a Uint8Array of 0/1 as NumPy `bool` ('|b1') instead of `uint8`. */
export function encodeNpy(data: NpyEncodable, shape: readonly number[], options: { readonly bool?: boolean } = {}): Uint8Array {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new Error(`encodeNpy: shape [${shape.join(', ')}] holds ${expected} values, the data has ${data.length}`);
  if (options.bool && !(data instanceof Uint8Array)) throw new Error('encodeNpy: bool arrays must be given as a Uint8Array of 0/1');
  const descr =
    data instanceof Float32Array
      ? '<f4'
      : data instanceof Float64Array
        ? '<f8'
        : data instanceof Int32Array
          ? '<i4'
          : data instanceof Uint16Array
            ? '<u2'
            : options.bool
              ? '|b1'
              : '|u1';
  const header = npyHeader(descr, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

/**
 * The header of a v1.0 C-order .npy of `descr` and `shape` (its length a multiple of 64, so the data
 * after it is aligned): for writers that fill the data in place, e.g. a large float16 ('<f2') array.
 */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + header length (2) + header + '\n', padded to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}
