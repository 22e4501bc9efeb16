import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePcd } from './pcd.ts';
import { lzfDecompress } from './lzf.ts';
import { lzfCompress } from '../../testing/lzfCompress.ts';
import { requireRealData } from '../../testing/realData.ts';

// ---------------------------------------------------------------------------------------------
// LZF compressors for fixtures: a real greedy one (lzfCompress, back-references included) and a
// literal-only one (valid LZF: every chunk a literal run of at most 32 bytes).

function lzfLiteralOnly(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < input.length; k += 32) {
    const run = input.subarray(k, k + 32);
    out.push(run.length - 1, ...run);
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// A PCD writer for fixtures.

interface FieldSpec {
  name: string;
  size: number;
  type: 'F' | 'I' | 'U';
  count?: number;
}
type Data = 'ascii' | 'binary' | 'binary_compressed';
interface PcdOptions {
  width?: number;
  height?: number;
  /** POINTS as declared (defaults to rows.length). */
  points?: number;
  compress?: 'lzf' | 'literal';
  /** Override the uint32 uncompressed size written before the LZF data. */
  uncompressedSize?: number;
  headerLines?: string[];
}

function put(view: DataView, o: number, f: FieldSpec, v: number): void {
  // Packed colours are given as their uint32 bits, whatever the declared TYPE.
  if (f.name === 'rgb' || f.name === 'rgba') return view.setUint32(o, v, true);
  if (f.type === 'F') return f.size === 4 ? view.setFloat32(o, v, true) : view.setFloat64(o, v, true);
  const signed = f.type === 'I';
  if (f.size === 1) return signed ? view.setInt8(o, v) : view.setUint8(o, v);
  if (f.size === 2) return signed ? view.setInt16(o, v, true) : view.setUint16(o, v, true);
  if (f.size === 4) return signed ? view.setInt32(o, v, true) : view.setUint32(o, v, true);
  return signed ? view.setBigInt64(o, BigInt(v), true) : view.setBigUint64(o, BigInt(v), true);
}

function asciiValue(f: FieldSpec, v: number): string {
  if (f.name === 'rgb' || f.name === 'rgba') {
    if (f.type !== 'F') return String(v >>> 0);
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, v, true);
    return String(view.getFloat32(0, true));
  }
  return Number.isNaN(v) ? 'nan' : String(v);
}

/** `rows`: one flat array per point, the values of every field (COUNT of them each) in order. */
function buildPcd(fields: FieldSpec[], rows: number[][], data: Data, options: PcdOptions = {}): Uint8Array {
  const points = options.points ?? rows.length;
  const header = [
    '# .PCD v0.7 - Point Cloud Data file format',
    'VERSION 0.7',
    `FIELDS ${fields.map((f) => f.name).join(' ')}`,
    `SIZE ${fields.map((f) => f.size).join(' ')}`,
    `TYPE ${fields.map((f) => f.type).join(' ')}`,
    `COUNT ${fields.map((f) => f.count ?? 1).join(' ')}`,
    `WIDTH ${options.width ?? points}`,
    `HEIGHT ${options.height ?? 1}`,
    'VIEWPOINT 0 0 0 1 0 0 0',
    `POINTS ${points}`,
    ...(options.headerLines ?? []),
    `DATA ${data}`,
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
  const slots = fields.flatMap((f) => Array.from({ length: f.count ?? 1 }, () => f));
  if (data === 'ascii') {
    const body = rows.map((r) => r.map((v, k) => asciiValue(slots[k]!, v)).join(' ')).join('\n') + '\n';
    return concat(head, new TextEncoder().encode(body));
  }
  const pointSize = slots.reduce((s, f) => s + f.size, 0);
  const raw = new Uint8Array(pointSize * rows.length);
  const view = new DataView(raw.buffer);
  if (data === 'binary') {
    rows.forEach((r, i) => {
      let o = i * pointSize;
      r.forEach((v, k) => {
        put(view, o, slots[k]!, v);
        o += slots[k]!.size;
      });
    });
    return concat(head, raw);
  }
  // Structure of arrays: field by field, each point's COUNT values together.
  let o = 0;
  let slot = 0;
  for (const f of fields) {
    const count = f.count ?? 1;
    for (const r of rows) {
      for (let k = 0; k < count; k++) {
        put(view, o, f, r[slot + k]!);
        o += f.size;
      }
    }
    slot += count;
  }
  const compressed = options.compress === 'literal' ? lzfLiteralOnly(raw) : lzfCompress(raw);
  const sizes = new DataView(new ArrayBuffer(8));
  sizes.setUint32(0, compressed.length, true);
  sizes.setUint32(4, options.uncompressedSize ?? raw.length, true);
  return concat(concat(head, new Uint8Array(sizes.buffer)), compressed);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const F4 = (name: string, count?: number): FieldSpec => ({ name, size: 4, type: 'F', ...(count ? { count } : {}) });
const XYZ = [F4('x'), F4('y'), F4('z')];
const VARIANTS: [Data, PcdOptions][] = [
  ['ascii', {}],
  ['binary', {}],
  ['binary_compressed', { compress: 'lzf' }],
  ['binary_compressed', { compress: 'literal' }],
];
const label = (data: Data, o: PcdOptions) => `${data}${o.compress ? ` (${o.compress === 'lzf' ? 'LZF with back-references' : 'literal-only LZF'})` : ''}`;

// ---------------------------------------------------------------------------------------------

describe('lzfDecompress', () => {
  it('decodes literal runs and back-references, overlapping ones included', () => {
    // "abc" literal, then a back-reference of length 7 at offset 3 (overlapping: repeats "abc").
    const stream = Uint8Array.from([2, 97, 98, 99, (5 << 5) | 0, 2]);
    expect(new TextDecoder().decode(lzfDecompress(stream, 10))).toBe('abcabcabca');
    // A run of 100 'z': one literal then a long back-reference at offset 1 (len 7 + extra).
    const run = Uint8Array.from([0, 122, (7 << 5) | 0, 99 - 2 - 7, 0]);
    expect(lzfDecompress(run, 100)).toEqual(new Uint8Array(100).fill(122));
  });

  it('round-trips through the test compressors', () => {
    const input = new Uint8Array(20000);
    for (let i = 0; i < input.length; i++) input[i] = i % 3000 < 1500 ? (i * 7) & 0xff : (i % 17) * ((i >> 9) & 3);
    const compressed = lzfCompress(input);
    expect(compressed.length).toBeLessThan(input.length / 2);
    expect(lzfDecompress(compressed, input.length)).toEqual(input);
    expect(lzfDecompress(lzfLiteralOnly(input), input.length)).toEqual(input);
    expect(lzfDecompress(new Uint8Array(0), 0)).toEqual(new Uint8Array(0));
  });

  it('rejects corrupt streams', () => {
    expect(() => lzfDecompress(Uint8Array.from([0, 1, (1 << 5) | 0, 5]), 4)).toThrow(/before the start of the output/);
    expect(() => lzfDecompress(Uint8Array.from([4, 1, 2]), 5)).toThrow(/runs past the end of the input/);
    expect(() => lzfDecompress(Uint8Array.from([0, 1, 1 << 5]), 4)).toThrow(/cut off/);
    expect(() => lzfDecompress(Uint8Array.from([1, 1, 2]), 3)).toThrow(/decompressed to 2 bytes, expected 3/);
    expect(() => lzfDecompress(Uint8Array.from([3, 1, 2, 3, 4]), 3)).toThrow(/exceeds the expected 3 bytes/);
  });
});

describe('parsePcd', () => {
  const fields: FieldSpec[] = [
    ...XYZ,
    F4('rgb'),
    F4('normal_x'),
    F4('normal_y'),
    F4('normal_z'),
    F4('curvature'),
    F4('intensity'),
    { name: 'label', size: 4, type: 'U' },
    F4('hist', 3),
  ];
  const rows = [
    [1.5, -2, 3.25, 0x00ff8000, 0, 0, 1, 0.01, 0.5, 7, 1, 2, 3],
    [0, 0.125, -100, 0x00010203, 1, 0, 0, 0.02, 0.25, 4000000000, -1, -2, -3],
    [-4, 5, 6, 0x00000000, 0, 1, 0, 0.03, -1, 0, 0.5, 0.25, 0.125],
  ];
  for (const [data, options] of VARIANTS) {
    it(`reads xyz, packed float rgb and extra fields as features (${label(data, options)})`, () => {
      const points = parsePcd(buildPcd(fields, rows, data, options), 'c.pcd');
      expect(points.count).toBe(3);
      expect(Array.from(points.positions)).toEqual([1.5, -2, 3.25, 0, 0.125, -100, -4, 5, 6]);
      expect(Array.from(points.colors!)).toEqual([255, 128, 0, 1, 2, 3, 0, 0, 0]);
      expect(points.features!.names).toEqual(['intensity', 'label', 'hist_0', 'hist_1', 'hist_2']);
      expect(Array.from(points.features!.values)).toEqual([0.5, 7, 1, 2, 3, 0.25, 4000000000, -1, -2, -3, -1, 0, 0.5, 0.25, 0.125]);
    });

    it(`drops NaN points of an organised cloud (${label(data, options)})`, () => {
      const organised = [
        [1, 1, 1, 0x00aa0000, 10],
        [NaN, NaN, NaN, 0x00bb0000, 20],
        [2, 2, 2, 0x00cc0000, 30],
        [3, NaN, 3, 0x00dd0000, 40],
        [NaN, NaN, NaN, 0, 50],
        [4, 4, 4, 0x00ee0000, 60],
      ];
      const points = parsePcd(
        buildPcd([...XYZ, { name: 'rgb', size: 4, type: 'U' }, { name: 'i', size: 2, type: 'U' }], organised, data, { ...options, width: 3, height: 2 }),
        'o.pcd',
      );
      expect(points.count).toBe(3);
      expect(Array.from(points.positions)).toEqual([1, 1, 1, 2, 2, 2, 4, 4, 4]);
      expect(Array.from(points.colors!)).toEqual([0xaa, 0, 0, 0xcc, 0, 0, 0xee, 0, 0]);
      expect(Array.from(points.features!.values)).toEqual([10, 30, 60]);
      expect(points.positions.length).toBe(9);
      expect(points.colors!.length).toBe(9);
    });
  }

  it('reads rgb as uint32 and rgba (alpha ignored), including bit patterns that are NaN as floats', () => {
    for (const data of ['binary', 'binary_compressed'] as const) {
      const rgba = parsePcd(
        buildPcd(
          [...XYZ, F4('rgba')],
          [
            [0, 0, 0, 0xff102030],
            [1, 1, 1, 0x80405060],
          ],
          data,
        ),
        'a.pcd',
      );
      expect(Array.from(rgba.colors!)).toEqual([0x10, 0x20, 0x30, 0x40, 0x50, 0x60]);
      expect(rgba.features).toBeUndefined();
    }
    const u = parsePcd(buildPcd([...XYZ, { name: 'rgb', size: 4, type: 'U' }], [[0, 0, 0, 0x00fedcba]], 'ascii'), 'u.pcd');
    expect(Array.from(u.colors!)).toEqual([0xfe, 0xdc, 0xba]);
  });

  it('reads every PCD field type', () => {
    const typed: FieldSpec[] = [
      { name: 'x', size: 8, type: 'F' },
      { name: 'y', size: 2, type: 'I' },
      { name: 'z', size: 1, type: 'U' },
      { name: 'a', size: 1, type: 'I' },
      { name: 'b', size: 2, type: 'U' },
      { name: 'c', size: 4, type: 'I' },
      { name: 'd', size: 8, type: 'I' },
      { name: 'e', size: 8, type: 'U' },
    ];
    const row = [0.1, -300, 200, -5, 65535, -70000, -(2 ** 40), 2 ** 41];
    for (const [data, options] of VARIANTS) {
      const points = parsePcd(buildPcd(typed, [row, row], data, options), 't.pcd');
      expect(Array.from(points.positions.subarray(0, 3))).toEqual([Math.fround(0.1), -300, 200]);
      expect(Array.from(points.features!.values.subarray(0, 5))).toEqual([-5, 65535, -70000, -(2 ** 40), 2 ** 41]);
    }
  });

  it('accepts comments, missing COUNT and VIEWPOINT, and WIDTH × HEIGHT without POINTS', () => {
    const text = '# a comment\nVERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nHEIGHT 1\n# another\nDATA ascii\n1 2 3\n4 5 6\n';
    const points = parsePcd(new TextEncoder().encode(text), 'm.pcd');
    expect(Array.from(points.positions)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(points.colors).toBeUndefined();
  });

  describe('errors', () => {
    it('rejects a file that is not a PCD', () => {
      expect(() => parsePcd(new TextEncoder().encode('ply\nformat ascii 1.0\n'), 'cloud.pcd')).toThrow(/^cloud\.pcd: not a PCD file .*found "ply"/);
      expect(() => parsePcd(new Uint8Array(0), 'empty.pcd')).toThrow(/empty\.pcd: not a PCD file \(the file is empty\)/);
      expect(() => parsePcd(new TextEncoder().encode('VERSION 0.7\nFIELDS x y z\n'), 'nodata.pcd')).toThrow(/nodata\.pcd: PCD header has no DATA line/);
    });

    it('rejects an unknown DATA format', () => {
      const bytes = new TextEncoder().encode('FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nPOINTS 1\nDATA binary_zipped\n');
      expect(() => parsePcd(bytes, 'z.pcd')).toThrow(/z\.pcd: unknown PCD DATA format "binary_zipped"/);
    });

    it('rejects missing x / y / z and malformed field lists', () => {
      expect(() => parsePcd(buildPcd([F4('x'), F4('y'), F4('intensity')], [[1, 2, 3]], 'binary'), 'noz.pcd')).toThrow(
        /noz\.pcd: PCD has no z field \(found: x, y, intensity\)/,
      );
      const bytes = new TextEncoder().encode('FIELDS x y z\nSIZE 4 4\nTYPE F F F\nWIDTH 1\nPOINTS 1\nDATA ascii\n1 2 3\n');
      expect(() => parsePcd(bytes, 's.pcd')).toThrow(/s\.pcd: PCD header SIZE has 2 entries, expected 3/);
      expect(() => parsePcd(buildPcd([...XYZ, { name: 'w', size: 3, type: 'F' }], [], 'binary'), 'w.pcd')).toThrow(
        /w\.pcd: PCD field "w" has unsupported TYPE F with SIZE 3/,
      );
    });

    it('rejects a header that declares more points than the data holds, with both numbers', () => {
      const rows = Array.from({ length: 10 }, (_, i) => [i, i, i]);
      expect(() => parsePcd(buildPcd(XYZ, rows, 'binary', { points: 12 }), 'lie.pcd')).toThrow(
        /lie\.pcd: the header declares 12 points \(144 bytes of 12-byte points\), but the data holds only 10 points \(120 bytes\)/,
      );
      expect(() => parsePcd(buildPcd(XYZ, rows, 'ascii', { points: 12 }), 'lie.pcd')).toThrow(
        /lie\.pcd: the header declares 12 points, but the data holds only 10 points/,
      );
      expect(() => parsePcd(buildPcd(XYZ, rows, 'ascii', { points: 1e12 }), 'huge.pcd')).toThrow(
        /huge\.pcd: the header declares 1,000,000,000,000 points, but the data holds only 10 points/,
      );
      expect(() => parsePcd(buildPcd(XYZ, rows, 'binary_compressed', { points: 12 }), 'lie.pcd')).toThrow(
        /lie\.pcd: binary_compressed PCD says it unpacks to 120 bytes, but the header declares 12 points of 12 bytes = 144/,
      );
    });

    it('rejects truncated and corrupt binary_compressed data', () => {
      const rows = Array.from({ length: 50 }, (_, i) => [i, i * 2, i * 3]);
      const bytes = buildPcd(XYZ, rows, 'binary_compressed');
      expect(() => parsePcd(bytes.subarray(0, bytes.length - 10), 'cut.pcd')).toThrow(
        /cut\.pcd: truncated binary_compressed PCD: \d+ compressed bytes declared, the file holds \d+/,
      );
      const header = new TextDecoder().decode(bytes).indexOf('DATA binary_compressed\n') + 'DATA binary_compressed\n'.length;
      expect(() => parsePcd(bytes.subarray(0, header + 5), 'cut2.pcd')).toThrow(
        /cut2\.pcd: truncated binary_compressed PCD: expected 8 bytes of sizes after the header, found 5/,
      );
      const bomb = bytes.slice();
      new DataView(bomb.buffer).setUint32(header + 4, 0xfffffff0, true);
      expect(() => parsePcd(bomb, 'bomb.pcd')).toThrow(
        /bomb\.pcd: binary_compressed PCD says it unpacks to 4,294,967,280 bytes, but the header declares 50 points/,
      );
      const impossible = buildPcd(XYZ, rows.slice(0, 10), 'binary_compressed', { points: 100000, uncompressedSize: 1200000 });
      expect(() => parsePcd(impossible, 'bomb2.pcd')).toThrow(
        /bomb2\.pcd: corrupt binary_compressed PCD: \d+ compressed bytes cannot unpack to the 1,200,000 declared/,
      );
      const corrupt = bytes.slice();
      corrupt[header + 8] = 0xff; // first chunk becomes a back-reference before the start
      expect(() => parsePcd(corrupt, 'bad.pcd')).toThrow(/bad\.pcd: corrupt binary_compressed PCD data: LZF: /);
    });

    it('rejects WIDTH × HEIGHT disagreeing with POINTS, and non-numeric ascii', () => {
      expect(() => parsePcd(buildPcd(XYZ, [[1, 2, 3]], 'ascii', { width: 2, height: 2 }), 'wh.pcd')).toThrow(
        /wh\.pcd: PCD header WIDTH × HEIGHT = 2 × 2 = 4 disagrees with POINTS 1/,
      );
      const bytes = new TextEncoder().encode('FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nPOINTS 2\nDATA ascii\n1 2 3\n4 five 6\n');
      expect(() => parsePcd(bytes, 'n.pcd')).toThrow(/n\.pcd: line 8 \(point 1\): field y is "five", not a number/);
      const short = new TextEncoder().encode('FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nPOINTS 1\nDATA ascii\n1 2\n');
      expect(() => parsePcd(short, 's.pcd')).toThrow(/s\.pcd: line 7 \(point 0\) has 2 values, expected 3/);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Real files: the point count from the header text; bounds, centroid and colours from a DataView
// loop over the raw binary records, computed here independently of the parser.

function rawPcd(bytes: Uint8Array) {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const dataLine = text.indexOf('DATA binary\n');
  expect(dataLine).toBeGreaterThan(0);
  const header = Object.fromEntries(
    text
      .slice(0, dataLine)
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [key, ...rest] = l.trim().split(/\s+/);
        return [key!, rest];
      }),
  ) as Record<string, string[]>;
  const names = header.FIELDS!;
  expect(header.TYPE!.every((t) => t === 'F')).toBe(true);
  expect(header.SIZE!.every((s) => s === '4')).toBe(true);
  const declared = Number(header.POINTS![0]);
  const stride = names.length * 4;
  const at = (name: string) => names.indexOf(name) * 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataLine + 'DATA binary\n'.length);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const sum = [0, 0, 0];
  let finite = 0;
  for (let i = 0; i < declared; i++) {
    const p = ['x', 'y', 'z'].map((a) => view.getFloat32(i * stride + at(a), true));
    if (!p.every(Number.isFinite)) continue;
    finite++;
    p.forEach((v, c) => {
      min[c] = Math.min(min[c]!, v);
      max[c] = Math.max(max[c]!, v);
      sum[c]! += v;
    });
  }
  const rgbAt = (i: number) => {
    const bits = view.getUint32(i * stride + at('rgb'), true);
    return [(bits >> 16) & 255, (bits >> 8) & 255, bits & 255];
  };
  return { names, declared, finite, min, max, centroid: sum.map((s) => s / finite), rgbAt };
}

describe('parsePcd on real files', () => {
  for (const relative of ['rgbd/pointclouds/fragment.pcd', 'rgbd/pointclouds/cloud_bin_0.pcd']) {
    it(`${relative}: count from the header, bounds and centroid from the raw bytes`, (ctx) => {
      const bytes = new Uint8Array(readFileSync(requireRealData(ctx, relative)));
      const raw = rawPcd(bytes);
      const points = parsePcd(bytes, relative);
      // These files have no NaN points, so every declared point is kept.
      expect(raw.finite).toBe(raw.declared);
      expect(points.count).toBe(raw.declared);
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      const sum = [0, 0, 0];
      for (let i = 0; i < points.positions.length; i++) {
        const c = i % 3;
        min[c] = Math.min(min[c]!, points.positions[i]!);
        max[c] = Math.max(max[c]!, points.positions[i]!);
        sum[c]! += points.positions[i]!;
      }
      expect(min).toEqual(raw.min);
      expect(max).toEqual(raw.max);
      for (let c = 0; c < 3; c++) expect(sum[c]! / points.count).toBeCloseTo(raw.centroid[c]!, 9);
      // rgb is unpacked, normals and curvature dropped: nothing is left for features.
      expect(points.colors?.length).toBe(points.count * 3);
      expect(points.features).toBeUndefined();
    });
  }

  it('fragment.pcd: 113,662 points, rgb unpacked as the raw bytes say', (ctx) => {
    const bytes = new Uint8Array(readFileSync(requireRealData(ctx, 'rgbd/pointclouds/fragment.pcd')));
    const raw = rawPcd(bytes);
    expect(raw.names).toEqual(['x', 'y', 'z', 'rgb', 'normal_x', 'normal_y', 'normal_z', 'curvature']);
    const points = parsePcd(bytes, 'fragment.pcd');
    expect(points.count).toBe(113662);
    const colours = new Set<string>();
    for (const i of [0, 1, 2, 1000, 56831, 113661]) {
      const rgb = raw.rgbAt(i);
      colours.add(rgb.join(','));
      expect(Array.from(points.colors!.subarray(i * 3, i * 3 + 3))).toEqual(rgb);
    }
    // Not a degenerate check: the sampled points differ in colour.
    expect(colours.size).toBeGreaterThan(1);
  });
});
