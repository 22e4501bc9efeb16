import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePly } from './ply.ts';
import { encodePly } from './plyEncode.ts';
import { requireRealData } from '../../testing/realData.ts';

// ---------------------------------------------------------------------------------------------
// A general PLY writer for fixtures: any element, any property type, list properties, all formats.

type T =
  | 'char'
  | 'uchar'
  | 'short'
  | 'ushort'
  | 'int'
  | 'uint'
  | 'float'
  | 'double'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'float32'
  | 'float64';
type Prop = { name: string; type: T } | { name: string; list: [T, T] };
interface Element {
  name: string;
  props: Prop[];
  /** One row per record: a number per scalar property, an array per list property. */
  rows: (number | number[])[][];
  /** Declared count when it should differ from rows.length (a lying header). */
  declare?: number;
}
type Format = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

const SIZE: Record<string, number> = {
  char: 1,
  uchar: 1,
  int8: 1,
  uint8: 1,
  short: 2,
  ushort: 2,
  int16: 2,
  uint16: 2,
  int: 4,
  uint: 4,
  int32: 4,
  uint32: 4,
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
};

function put(view: DataView, o: number, type: T, v: number, le: boolean): number {
  switch (type) {
    case 'char':
    case 'int8':
      view.setInt8(o, v);
      break;
    case 'uchar':
    case 'uint8':
      view.setUint8(o, v);
      break;
    case 'short':
    case 'int16':
      view.setInt16(o, v, le);
      break;
    case 'ushort':
    case 'uint16':
      view.setUint16(o, v, le);
      break;
    case 'int':
    case 'int32':
      view.setInt32(o, v, le);
      break;
    case 'uint':
    case 'uint32':
      view.setUint32(o, v, le);
      break;
    case 'float':
    case 'float32':
      view.setFloat32(o, v, le);
      break;
    case 'double':
    case 'float64':
      view.setFloat64(o, v, le);
      break;
  }
  return o + SIZE[type]!;
}

function buildPly(format: Format, elements: Element[], headerExtras: string[] = []): Uint8Array {
  const header = ['ply', `format ${format} 1.0`, ...headerExtras];
  for (const e of elements) {
    header.push(`element ${e.name} ${e.declare ?? e.rows.length}`);
    for (const p of e.props) header.push('list' in p ? `property list ${p.list[0]} ${p.list[1]} ${p.name}` : `property ${p.type} ${p.name}`);
  }
  header.push('end_header', '');
  const head = new TextEncoder().encode(header.join('\n'));
  if (format === 'ascii') {
    const body = elements.flatMap((e) => e.rows.map((r) => r.map((v) => (Array.isArray(v) ? `${v.length} ${v.join(' ')}` : String(v))).join(' ')));
    const text = new TextEncoder().encode(body.join('\n') + '\n');
    return concat(head, text);
  }
  const le = format === 'binary_little_endian';
  let size = 0;
  for (const e of elements) {
    for (const r of e.rows) {
      e.props.forEach((p, k) => {
        const v = r[k]!;
        size += 'list' in p ? SIZE[p.list[0]]! + (v as number[]).length * SIZE[p.list[1]]! : SIZE[p.type]!;
      });
    }
  }
  const body = new Uint8Array(size);
  const view = new DataView(body.buffer);
  let o = 0;
  for (const e of elements) {
    for (const r of e.rows) {
      e.props.forEach((p, k) => {
        const v = r[k]!;
        if ('list' in p) {
          o = put(view, o, p.list[0], (v as number[]).length, le);
          for (const item of v as number[]) o = put(view, o, p.list[1], item, le);
        } else {
          o = put(view, o, p.type, v as number, le);
        }
      });
    }
  }
  return concat(head, body);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const xyz: Prop[] = [
  { name: 'x', type: 'float' },
  { name: 'y', type: 'float' },
  { name: 'z', type: 'float' },
];
const FORMATS: Format[] = ['ascii', 'binary_little_endian', 'binary_big_endian'];
const faces: Element = { name: 'face', props: [{ name: 'vertex_indices', list: ['uchar', 'int'] }], rows: [[[0, 1, 2]], [[2, 1, 0, 1]], [[]]] };

// ---------------------------------------------------------------------------------------------

describe('parsePly', () => {
  for (const format of FORMATS) {
    it(`reads xyz, uchar rgb and keeps other properties as features (${format})`, () => {
      const bytes = buildPly(
        format,
        [
          {
            name: 'vertex',
            props: [
              ...xyz,
              { name: 'nx', type: 'float' },
              { name: 'ny', type: 'float' },
              { name: 'nz', type: 'float' },
              { name: 'red', type: 'uchar' },
              { name: 'green', type: 'uchar' },
              { name: 'blue', type: 'uchar' },
              { name: 'alpha', type: 'uchar' },
              { name: 'intensity', type: 'float' },
              { name: 'label', type: 'int' },
            ],
            rows: [
              [1.5, -2.25, 3, 0, 0, 1, 255, 128, 0, 77, 0.25, -7],
              [0, 0.125, -1e3, 1, 0, 0, 1, 2, 3, 255, 0.5, 123456],
            ],
          },
          faces,
        ],
        ['comment made by a test', 'obj_info some info'],
      );
      const points = parsePly(bytes, 'v.ply');
      expect(points.count).toBe(2);
      expect(Array.from(points.positions)).toEqual([1.5, -2.25, 3, 0, 0.125, -1000]);
      expect(Array.from(points.colors!)).toEqual([255, 128, 0, 1, 2, 3]);
      expect(points.features!.names).toEqual(['intensity', 'label']);
      expect(points.features!.dim).toBe(2);
      expect(Array.from(points.features!.values)).toEqual([0.25, -7, 0.5, 123456]);
    });

    it(`skips elements before the vertex element, list properties included (${format})`, () => {
      const bytes = buildPly(format, [
        faces,
        {
          name: 'camera',
          props: [
            { name: 'view_px', type: 'double' },
            { name: 'k', type: 'short' },
          ],
          rows: [
            [1.5, 2],
            [3, 4],
          ],
        },
        {
          name: 'vertex',
          props: xyz,
          rows: [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ],
        },
        {
          name: 'edge',
          props: [
            { name: 'vertex1', type: 'int' },
            { name: 'vertex2', type: 'int' },
          ],
          rows: [[0, 1]],
        },
      ]);
      const points = parsePly(bytes, 'm.ply');
      expect(points.count).toBe(3);
      expect(Array.from(points.positions)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(points.colors).toBeUndefined();
      expect(points.features).toBeUndefined();
    });
  }

  it('reads every PLY scalar type and alias, big- and little-endian', () => {
    const types: T[] = [
      'char',
      'uchar',
      'short',
      'ushort',
      'int',
      'uint',
      'float',
      'double',
      'int8',
      'uint8',
      'int16',
      'uint16',
      'int32',
      'uint32',
      'float32',
      'float64',
    ];
    const value: Record<string, number> = {
      char: -100,
      int8: -5,
      uchar: 200,
      uint8: 201,
      short: -30000,
      int16: -2,
      ushort: 60000,
      uint16: 65535,
      int: -2e9,
      int32: 7,
      uint: 4e9,
      uint32: 1,
      float: 0.5,
      float32: -0.75,
      double: 1e-5,
      float64: 12.5,
    };
    const props: Prop[] = [
      { name: 'x', type: 'double' },
      { name: 'y', type: 'short' },
      { name: 'z', type: 'uchar' },
      ...types.map((t) => ({ name: `p_${t}`, type: t })),
    ];
    const row = [0.1, -3, 250, ...types.map((t) => value[t]!)];
    for (const format of FORMATS) {
      const points = parsePly(buildPly(format, [{ name: 'vertex', props, rows: [row, row] }]), `t-${format}.ply`);
      expect(Array.from(points.positions.subarray(0, 3))).toEqual([Math.fround(0.1), -3, 250]);
      expect(points.features!.names).toEqual(types.map((t) => `p_${t}`));
      expect(Array.from(points.features!.values.subarray(0, types.length))).toEqual(types.map((t) => Math.fround(value[t]!)));
    }
  });

  it('reads float colours 0..1, r/g/b and diffuse_* names, and uint16 colours', () => {
    const floatRgb = buildPly('binary_big_endian', [
      {
        name: 'vertex',
        props: [...xyz, { name: 'r', type: 'float' }, { name: 'g', type: 'float' }, { name: 'b', type: 'double' }, { name: 'a', type: 'float' }],
        rows: [
          [0, 0, 0, 1, 0.5, 0, 1],
          [0, 0, 0, 2, -1, 0.2, 1],
        ],
      },
    ]);
    const p1 = parsePly(floatRgb, 'f.ply');
    expect(Array.from(p1.colors!)).toEqual([255, 128, 0, 255, 0, 51]);
    expect(p1.features).toBeUndefined();
    const diffuse = buildPly('ascii', [
      {
        name: 'vertex',
        props: [
          ...xyz,
          { name: 'diffuse_red', type: 'uchar' },
          { name: 'diffuse_green', type: 'uchar' },
          { name: 'diffuse_blue', type: 'uchar' },
          { name: 'diffuse_alpha', type: 'uchar' },
        ],
        rows: [[0, 0, 0, 9, 8, 7, 6]],
      },
    ]);
    expect(Array.from(parsePly(diffuse, 'd.ply').colors!)).toEqual([9, 8, 7]);
    const wide = buildPly('binary_little_endian', [
      {
        name: 'vertex',
        props: [...xyz, { name: 'red', type: 'ushort' }, { name: 'green', type: 'ushort' }, { name: 'blue', type: 'ushort' }],
        rows: [[0, 0, 0, 65535, 0, 32896]],
      },
    ]);
    expect(Array.from(parsePly(wide, 'w.ply').colors!)).toEqual([255, 0, 128]);
  });

  it('handles CRLF headers and an empty vertex element', () => {
    const text = 'ply\r\nformat ascii 1.0\r\nelement vertex 2\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\nend_header\r\n1 2 3\r\n4 5 6\r\n';
    expect(Array.from(parsePly(new TextEncoder().encode(text), 'crlf.ply').positions)).toEqual([1, 2, 3, 4, 5, 6]);
    const empty = parsePly(buildPly('binary_little_endian', [{ name: 'vertex', props: xyz, rows: [] }]), 'e.ply');
    expect(empty.count).toBe(0);
  });

  it('reads nan and inf in ascii', () => {
    const p = parsePly(buildPly('ascii', [{ name: 'vertex', props: xyz, rows: [] }]), 'x.ply');
    expect(p.count).toBe(0);
    const text = 'ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\nnan -inf 1e-3\n';
    const q = parsePly(new TextEncoder().encode(text), 'n.ply');
    expect(Number.isNaN(q.positions[0])).toBe(true);
    expect(q.positions[1]).toBe(-Infinity);
    expect(q.positions[2]).toBe(Math.fround(1e-3));
  });

  describe('errors', () => {
    it('rejects a file that is not a PLY', () => {
      expect(() => parsePly(new TextEncoder().encode('# .PCD v0.7\nVERSION 0.7\n'), 'cloud.ply')).toThrow(
        /^cloud\.ply: not a PLY file \(expected the first line "ply", found "# \.PCD/,
      );
      expect(() => parsePly(new Uint8Array(0), 'empty.ply')).toThrow(/empty\.ply: not a PLY file .*an empty file/);
      expect(() => parsePly(new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 1\n'), 'nohdr.ply')).toThrow(
        /nohdr\.ply: PLY header has no "end_header" line/,
      );
    });

    it('rejects an unknown format', () => {
      const text = 'ply\nformat binary_middle_endian 1.0\nelement vertex 0\nproperty float x\nend_header\n';
      expect(() => parsePly(new TextEncoder().encode(text), 'f.ply')).toThrow(/f\.ply: unknown PLY format 'binary_middle_endian'/);
    });

    it('rejects a vertex element without x, y or z', () => {
      const bytes = buildPly('ascii', [
        {
          name: 'vertex',
          props: [
            { name: 'x', type: 'float' },
            { name: 'y', type: 'float' },
            { name: 'w', type: 'float' },
          ],
          rows: [[1, 2, 3]],
        },
      ]);
      expect(() => parsePly(bytes, 'noz.ply')).toThrow(/noz\.ply: the vertex element has no z property \(found: x, y, w\)/);
      const noVertex = buildPly('ascii', [faces]);
      expect(() => parsePly(noVertex, 'nov.ply')).toThrow(/nov\.ply: PLY has no vertex element \(found: face\)/);
    });

    it('rejects a list property on the vertex element', () => {
      const bytes = buildPly('binary_little_endian', [
        { name: 'vertex', props: [...xyz, { name: 'feat', list: ['uchar', 'float'] }], rows: [[1, 2, 3, [1, 2]]] },
      ]);
      expect(() => parsePly(bytes, 'l.ply')).toThrow(/l\.ply: the vertex element has a list property 'feat'/);
    });

    it('rejects non-numeric ascii values, naming the line and property', () => {
      const text = 'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n4 five 6\n';
      expect(() => parsePly(new TextEncoder().encode(text), 'a.ply')).toThrow(/a\.ply: line 9 \(vertex 1\): property y is "five", not a number/);
    });

    it('rejects a binary header that declares more vertices than the data holds, with both numbers', () => {
      const rows = Array.from({ length: 10 }, (_, i) => [i, i, i]);
      const lying = buildPly('binary_little_endian', [{ name: 'vertex', props: xyz, rows, declare: 12 }]);
      expect(() => parsePly(lying, 'lie.ply')).toThrow(
        /lie\.ply: the header declares 12 vertices \(144 bytes of 12-byte records\), but the data holds only 10 vertices \(120 bytes\)/,
      );
      // With another element after the vertices, the vertex records run into it and it then
      // overruns the end of the file: caught by walking the trailing elements. (A lie into
      // variable-length face lists that happens to leave a walkable remainder cannot be told
      // from trailing bytes.)
      const edges = {
        name: 'edge',
        props: [
          { name: 'vertex1', type: 'int' },
          { name: 'vertex2', type: 'int' },
        ] as Prop[],
        rows: Array.from({ length: 5 }, (_, i) => [i, i + 1]),
      };
      const withEdges = buildPly('binary_big_endian', [{ name: 'vertex', props: xyz, rows, declare: 11 }, edges]);
      expect(() => parsePly(withEdges, 'lie2.ply')).toThrow(
        /lie2\.ply: truncated binary PLY: the header declares 5 'edge' elements of 8 bytes, the data holds only 3; the header declares 11 vertices/,
      );
      const manyFaces = { ...faces, rows: Array.from({ length: 50 }, () => [[0, 1, 2]]) };
      const bigLie = buildPly('binary_little_endian', [{ name: 'vertex', props: xyz, rows, declare: 100 }, manyFaces]);
      expect(() => parsePly(bigLie, 'lie3.ply')).toThrow(/lie3\.ply: the header declares 100 vertices .*only 64 vertices/);
    });

    it('rejects an ascii header that declares more vertices than the data holds, with both numbers', () => {
      const rows = Array.from({ length: 4 }, (_, i) => [i, i, i]);
      expect(() => parsePly(buildPly('ascii', [{ name: 'vertex', props: xyz, rows, declare: 6 }]), 'lie.ply')).toThrow(
        /lie\.ply: the header declares 6 vertices, but the data holds only 4 vertices/,
      );
      expect(() => parsePly(buildPly('ascii', [{ name: 'vertex', props: xyz, rows, declare: 1e12 }]), 'huge.ply')).toThrow(
        /huge\.ply: the header declares 1,000,000,000,000 vertices, but the data holds only 4 vertices/,
      );
      expect(() => parsePly(buildPly('ascii', [{ name: 'vertex', props: xyz, rows, declare: 5 }, faces]), 'lief.ply')).toThrow(
        /lief\.ply: line 14 \(vertex 4\) has 4 values, expected 3 .*declares 5 vertices, the data holds 4 well-formed vertex lines/,
      );
    });

    it('rejects a truncated binary file', () => {
      const bytes = encodePly({ positions: new Float32Array(300).fill(1), colors: new Uint8Array(300) }, 'binary_little_endian');
      expect(() => parsePly(bytes.subarray(0, bytes.length - 7), 'cut.ply')).toThrow(/cut\.ply: the header declares 100 vertices .*only 99 vertices/);
      const before = buildPly('binary_little_endian', [faces, { name: 'vertex', props: xyz, rows: [[1, 2, 3]] }]);
      const headerEnd = new TextDecoder().decode(before).indexOf('end_header\n') + 'end_header\n'.length;
      expect(() => parsePly(before.subarray(0, headerEnd + 15), 'cut2.ply')).toThrow(
        /cut2\.ply: truncated binary PLY: the header declares 3 'face' elements, the data ends within element 1/,
      );
    });
  });
});

describe('encodePly', () => {
  const n = 257;
  const positions = new Float32Array(n * 3).map((_, i) => Math.fround(Math.sin(i * 12.9898) * 43.758 * (i % 7 === 0 ? 1e-6 : 1)));
  const colors = new Uint8Array(n * 3).map((_, i) => (i * 37) & 255);
  const scalars = [
    { name: 'clip_0', values: new Float32Array(n).map((_, i) => Math.fround(Math.cos(i) / 3)) },
    { name: 'clip_1', values: new Float32Array(n).map((_, i) => i * 1e-7) },
  ];

  for (const format of ['ascii', 'binary_little_endian'] as const) {
    it(`round-trips positions, colours and scalars exactly (${format})`, () => {
      const points = parsePly(encodePly({ positions, colors, scalars }, format), `rt.ply`);
      expect(points.count).toBe(n);
      expect(points.positions).toEqual(positions);
      expect(points.colors).toEqual(colors);
      expect(points.features!.names).toEqual(['clip_0', 'clip_1']);
      for (let i = 0; i < n; i++) {
        expect(points.features!.values[i * 2]).toBe(scalars[0]!.values[i]);
        expect(points.features!.values[i * 2 + 1]).toBe(scalars[1]!.values[i]);
      }
    });

    it(`round-trips positions alone, and special values (${format})`, () => {
      const special = new Float32Array([0, -0, 1e-45, 3.4028234663852886e38, -1.1754943508222875e-38, 0.1, 1 / 3, 16777217, -2.5]);
      const back = parsePly(encodePly({ positions: special }, format), 's.ply');
      expect(back.count).toBe(3);
      expect(back.colors).toBeUndefined();
      expect(back.features).toBeUndefined();
      expect(Array.from(back.positions)).toEqual(Array.from(special));
    });
  }

  it('writes a header three.js and other readers understand', () => {
    const text = new TextDecoder().decode(
      encodePly(
        { positions: new Float32Array([1, 2, 3]), colors: new Uint8Array([4, 5, 6]), scalars: [{ name: 's', values: new Float32Array([7]) }] },
        'ascii',
      ),
    );
    expect(text).toBe(
      'ply\nformat ascii 1.0\ncomment FieldLens\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nproperty float s\nend_header\n1 2 3 4 5 6 7\n',
    );
  });

  it('rejects mismatched lengths and bad names', () => {
    expect(() => encodePly({ positions: new Float32Array(4) }, 'ascii')).toThrow(/not a multiple of 3/);
    expect(() => encodePly({ positions: new Float32Array(3), colors: new Uint8Array(6) }, 'ascii')).toThrow(/colors length 6, expected 3/);
    expect(() => encodePly({ positions: new Float32Array(3), scalars: [{ name: 'a b', values: new Float32Array(1) }] }, 'ascii')).toThrow(
      /invalid scalar property name/,
    );
    expect(() => encodePly({ positions: new Float32Array(3), scalars: [{ name: 'x', values: new Float32Array(1) }] }, 'ascii')).toThrow(
      /invalid scalar property name "x"/,
    );
    expect(() => encodePly({ positions: new Float32Array(3), scalars: [{ name: 's', values: new Float32Array(2) }] }, 'ascii')).toThrow(
      /"s" has 2 values, expected 1/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Real files: the point count from the header text, bounds and centroid from a DataView loop over
// the raw bytes, both computed here independently of the parser.

interface RawVertexStats {
  count: number;
  min: number[];
  max: number[];
  centroid: number[];
  /** Raw rgb of the first few vertices, when the file has red/green/blue uchar. */
  rgb: number[][];
}

function rawPlyStats(bytes: Uint8Array): RawVertexStats {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const end = text.indexOf('end_header\n');
  const lines = text.slice(0, end).split('\n');
  expect(lines[0]).toBe('ply');
  expect(lines[1]).toBe('format binary_little_endian 1.0');
  const vertexLine = lines.findIndex((l) => l.startsWith('element vertex '));
  // The real files all have the vertex element first; faces (if any) come after it.
  expect(lines.slice(0, vertexLine).some((l) => l.startsWith('element '))).toBe(false);
  const count = Number(lines[vertexLine]!.split(' ')[2]);
  const props: { type: string; name: string }[] = [];
  for (const l of lines.slice(vertexLine + 1)) {
    if (!l.startsWith('property ')) break;
    const [, type, name] = l.split(' ');
    props.push({ type: type!, name: name! });
  }
  const sizes: Record<string, number> = { float: 4, double: 8, uchar: 1 };
  const offset: Record<string, number> = {};
  let stride = 0;
  for (const p of props) {
    offset[p.name] = stride;
    stride += sizes[p.type]!;
  }
  const typeOf = (name: string) => props.find((p) => p.name === name)!.type;
  const view = new DataView(bytes.buffer, bytes.byteOffset + end + 'end_header\n'.length);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const sum = [0, 0, 0];
  const rgb: number[][] = [];
  for (let i = 0; i < count; i++) {
    ['x', 'y', 'z'].forEach((axis, c) => {
      const at = i * stride + offset[axis]!;
      const v = Math.fround(typeOf(axis) === 'double' ? view.getFloat64(at, true) : view.getFloat32(at, true));
      min[c] = Math.min(min[c]!, v);
      max[c] = Math.max(max[c]!, v);
      sum[c]! += v;
    });
    if (i < 5 && offset.red !== undefined) rgb.push(['red', 'green', 'blue'].map((ch) => view.getUint8(i * stride + offset[ch]!)));
  }
  return { count, min, max, centroid: sum.map((s) => s / count), rgb };
}

function parsedStats(positions: Float32Array) {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const sum = [0, 0, 0];
  for (let i = 0; i < positions.length; i++) {
    const c = i % 3;
    min[c] = Math.min(min[c]!, positions[i]!);
    max[c] = Math.max(max[c]!, positions[i]!);
    sum[c]! += positions[i]!;
  }
  return { min, max, centroid: sum.map((s) => s / (positions.length / 3)) };
}

describe('parsePly on real files', () => {
  const files: [string, { colour: boolean; features: string[] }][] = [
    ['rgbd/pointclouds/color.ply', { colour: true, features: [] }],
    ['rgbd/pointclouds/knot.ply', { colour: false, features: [] }],
    ['rgbd/pointclouds/bathtub_0154.ply', { colour: false, features: [] }],
    ['rgbd/sparsedff-rig/vis_pcd.ply', { colour: true, features: [] }],
  ];
  for (const [relative, expected] of files) {
    it(`${relative}: count from the header, bounds and centroid from the raw bytes`, (ctx) => {
      const bytes = new Uint8Array(readFileSync(requireRealData(ctx, relative)));
      const raw = rawPlyStats(bytes);
      const points = parsePly(bytes, relative);
      expect(points.count).toBe(raw.count);
      expect(points.positions.length).toBe(raw.count * 3);
      const got = parsedStats(points.positions);
      expect(got.min).toEqual(raw.min);
      expect(got.max).toEqual(raw.max);
      for (let c = 0; c < 3; c++) expect(got.centroid[c]).toBeCloseTo(raw.centroid[c]!, 9);
      expect(points.colors !== undefined).toBe(expected.colour);
      expect(points.features?.names ?? []).toEqual(expected.features);
      raw.rgb.forEach((rgb, i) => expect(Array.from(points.colors!.subarray(i * 3, i * 3 + 3))).toEqual(rgb));
    });
  }

  it('vis_pcd.ply holds the 11,894 points the data notes describe', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/sparsedff-rig/vis_pcd.ply');
    expect(parsePly(new Uint8Array(readFileSync(path)), 'vis_pcd.ply').count).toBe(11894);
  });
});
