/**
 * PLY writer: `encodePly` writes the subset ply.ts reads back — float x y z, optional uchar
 * red green blue, and float scalar properties (read back as feature channels, in order) — as
 * ascii or binary_little_endian.
 *
 * Split out of ply.ts (the reader). Invariant: ascii floats are printed with the shortest decimal
 * that reads back as the same float32, so an ascii round trip is exact.
 */

export interface PlyEncodeInput {
  /** xyz, length 3·N. */
  readonly positions: Float32Array;
  /** rgb 0..255, length 3·N. */
  readonly colors?: Uint8Array;
  /** Extra float properties, one value per point each. */
  readonly scalars?: readonly { readonly name: string; readonly values: Float32Array }[];
  /** Extra header comment lines (one line each, no newlines), after "comment FieldLens". */
  readonly comments?: readonly string[];
}

/** Shortest decimal that reads back as the same float32 (ascii output). */
function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  const plain = String(v);
  if (plain.length <= 9) return plain;
  for (let precision = 6; precision <= 9; precision++) {
    const candidate = Number(v.toPrecision(precision));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return plain;
}

/** Writes points as PLY (float x y z, uchar red green blue, float scalars) in ascii or binary LE. */
export function encodePly(points: PlyEncodeInput, format: 'ascii' | 'binary_little_endian'): Uint8Array {
  const { positions, colors } = points;
  const scalars = points.scalars ?? [];
  if (positions.length % 3 !== 0) throw new Error(`encodePly: positions length ${positions.length} is not a multiple of 3`);
  const count = positions.length / 3;
  if (colors && colors.length !== count * 3) throw new Error(`encodePly: colors length ${colors.length}, expected ${count * 3} (3 per point)`);
  const reserved = new Set(['x', 'y', 'z', ...(colors ? ['red', 'green', 'blue'] : [])]);
  for (const s of scalars) {
    if (!/^[^\s]+$/.test(s.name) || reserved.has(s.name)) throw new Error(`encodePly: invalid scalar property name "${s.name}"`);
    reserved.add(s.name);
    if (s.values.length !== count) throw new Error(`encodePly: scalar "${s.name}" has ${s.values.length} values, expected ${count}`);
  }
  for (const c of points.comments ?? []) if (/[\r\n]/.test(c)) throw new Error(`encodePly: a comment must be one line, found ${JSON.stringify(c)}`);
  const header = [
    'ply',
    `format ${format} 1.0`,
    'comment FieldLens',
    ...(points.comments ?? []).map((c) => `comment ${c}`),
    `element vertex ${count}`,
    'property float x',
    'property float y',
    'property float z',
    ...(colors ? ['property uchar red', 'property uchar green', 'property uchar blue'] : []),
    ...scalars.map((s) => `property float ${s.name}`),
    'end_header',
    '',
  ].join('\n');
  const headerBytes = new TextEncoder().encode(header);

  if (format === 'ascii') {
    const lines: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      let line = `${formatFloat32(positions[i * 3]!)} ${formatFloat32(positions[i * 3 + 1]!)} ${formatFloat32(positions[i * 3 + 2]!)}`;
      if (colors) line += ` ${colors[i * 3]} ${colors[i * 3 + 1]} ${colors[i * 3 + 2]}`;
      for (const s of scalars) line += ` ${formatFloat32(s.values[i]!)}`;
      lines[i] = line;
    }
    const body = new TextEncoder().encode(lines.length > 0 ? lines.join('\n') + '\n' : '');
    const out = new Uint8Array(headerBytes.length + body.length);
    out.set(headerBytes);
    out.set(body, headerBytes.length);
    return out;
  }

  const stride = 12 + (colors ? 3 : 0) + 4 * scalars.length;
  const out = new Uint8Array(headerBytes.length + stride * count);
  out.set(headerBytes);
  const view = new DataView(out.buffer);
  let p = headerBytes.length;
  for (let i = 0; i < count; i++) {
    view.setFloat32(p, positions[i * 3]!, true);
    view.setFloat32(p + 4, positions[i * 3 + 1]!, true);
    view.setFloat32(p + 8, positions[i * 3 + 2]!, true);
    p += 12;
    if (colors) {
      out[p] = colors[i * 3]!;
      out[p + 1] = colors[i * 3 + 1]!;
      out[p + 2] = colors[i * 3 + 2]!;
      p += 3;
    }
    for (const s of scalars) {
      view.setFloat32(p, s.values[i]!, true);
      p += 4;
    }
  }
  return out;
}
