import { describe, expect, it } from 'vitest';
import { readFloat32Rows, readXyzRgbRows } from './plyColumns.ts';

// Reference: each value read on its own with DataView at record start + column offset.
function reference(bytes: Uint8Array, start: number, stride: number, count: number, columns: number[], le: boolean): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) for (const c of columns) out.push(view.getFloat32(start + i * stride + c, le));
  return out;
}

describe('readFloat32Rows', () => {
  const count = 50;
  const random = (() => {
    let s = 7;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 200 - 100;
  })();
  // Records of 2 bytes + 18 floats + 1 byte (stride 75) or of 18 floats (stride 72), at several
  // byte offsets so both the aligned-view path and the DataView path run.
  const cases = [
    { stride: 72, lead: 0, start: 0 },
    { stride: 72, lead: 0, start: 8 },
    { stride: 75, lead: 2, start: 3 },
    { stride: 72, lead: 0, start: 5 },
  ];
  for (const { stride, lead, start } of cases) {
    for (const le of [true, false]) {
      it(`reads xyz and contiguous / scattered feature groups row-major (stride ${stride}, start ${start}, ${le ? 'little' : 'big'} endian)`, () => {
        const bytes = new Uint8Array(start + count * stride + 4).subarray(0);
        const view = new DataView(bytes.buffer);
        for (let i = 0; i < count; i++) for (let k = 0; k < 18; k++) view.setFloat32(start + i * stride + lead + 4 * k, random(), le);
        const xyz = [0, 4, 8].map((c) => c + lead);
        const contiguous = Array.from({ length: 15 }, (_, d) => lead + 12 + 4 * d);
        const scattered = [lead + 68, lead + 12, lead + 40];
        for (const features of [contiguous, scattered]) {
          const positions = new Float32Array(count * 3);
          const values = new Float32Array(count * features.length);
          readFloat32Rows(bytes, start, stride, count, le, [
            { columns: xyz, out: positions },
            { columns: features, out: values },
          ]);
          expect(Array.from(positions)).toEqual(reference(bytes, start, stride, count, xyz, le));
          expect(Array.from(values)).toEqual(reference(bytes, start, stride, count, features, le));
        }
        const only = new Float32Array(count * 3);
        readFloat32Rows(bytes, start, stride, count, le, [{ columns: xyz, out: only }]);
        expect(Array.from(only)).toEqual(reference(bytes, start, stride, count, xyz, le));
      });
    }
  }

  it('reads records off a 4-byte boundary across several aligned scratch blocks (1 MiB each) exactly', () => {
    const rows = 40_000; // 72-byte records: about 2.7 scratch blocks
    const stride = 72;
    const start = 7;
    const bytes = new Uint8Array(start + rows * stride);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < rows; i++) for (let k = 0; k < 18; k++) view.setFloat32(start + i * stride + 4 * k, random(), true);
    const xyz = [0, 4, 8];
    const features = Array.from({ length: 15 }, (_, d) => 12 + 4 * d);
    const positions = new Float32Array(rows * 3);
    const values = new Float32Array(rows * 15);
    readFloat32Rows(bytes, start, stride, rows, true, [
      { columns: xyz, out: positions },
      { columns: features, out: values },
    ]);
    expect(Array.from(positions)).toEqual(reference(bytes, start, stride, rows, xyz, true));
    expect(Array.from(values)).toEqual(reference(bytes, start, stride, rows, features, true));
  });

  it('takes one or two groups', () => {
    expect(() => readFloat32Rows(new Uint8Array(8), 0, 4, 1, true, [])).toThrow(/one or two/);
  });
});

describe('readXyzRgbRows', () => {
  // Records: uchar b, float z, float x, uchar r, uchar g, float y, 1 byte of padding (stride 17),
  // written value by value with DataView at a start off any 4-byte boundary, both byte orders.
  for (const le of [true, false]) {
    it(`reads float xyz and uchar rgb in any record order (${le ? 'little' : 'big'} endian)`, () => {
      const count = 40;
      const stride = 17;
      const start = 3;
      const bytes = new Uint8Array(start + count * stride + 5);
      const view = new DataView(bytes.buffer);
      const xyz: number[] = [];
      const rgb: number[] = [];
      for (let i = 0; i < count; i++) {
        const p = start + i * stride;
        const [x, y, z] = [i * 0.5 - 3, Math.fround(i / 7), -i * 1.25];
        const [r, g, b] = [(i * 37) % 256, (i * 91 + 5) % 256, 255 - i];
        view.setUint8(p, b);
        view.setFloat32(p + 1, z, le);
        view.setFloat32(p + 5, x, le);
        view.setUint8(p + 9, r);
        view.setUint8(p + 10, g);
        view.setFloat32(p + 11, y, le);
        xyz.push(x, y, z);
        rgb.push(r, g, b);
      }
      const positions = new Float32Array(count * 3);
      const colors = new Uint8Array(count * 3);
      readXyzRgbRows(bytes, start, stride, count, le, [5, 11, 1], [9, 10, 0], positions, colors);
      expect([...positions]).toEqual(xyz);
      expect([...colors]).toEqual(rgb);
    });
  }
});
