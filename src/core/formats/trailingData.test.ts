/**
 * ASCII PLY / PCD files with more than their vertex records: faces after the vertices, or lines
 * past what the header declares. They load with a visible warning (never silently) and are never
 * mis-parsed: a vertex count that disagrees with the data is caught by the records' shapes.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from './formatError.ts';
import { parsePcd } from './pcd.ts';
import { parsePly } from './ply.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function asciiPly(vertexCount: number, faceCount: number, body: string): Uint8Array {
  return utf8(
    [
      'ply',
      'format ascii 1.0',
      `element vertex ${vertexCount}`,
      'property float x',
      'property float y',
      'property float z',
      `element face ${faceCount}`,
      'property list uchar int vertex_indices',
      'end_header',
      body,
    ].join('\n'),
  );
}

// A tetrahedron: 4 vertices, 4 triangles.
const VERTICES = ['0 0 0', '1 0 0', '0 1 0', '0 0 1'];
const FACES = ['3 0 1 2', '3 0 1 3', '3 0 2 3', '3 1 2 3'];

describe('ascii PLY with elements after the vertices', () => {
  it('loads the vertices of a mesh and says its faces were ignored', () => {
    const points = parsePly(asciiPly(4, 4, [...VERTICES, ...FACES, ''].join('\n')), 'tetra.ply');
    expect(points.count).toBe(4);
    expect(Array.from(points.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(points.warnings).toEqual([`tetra.ply: 4 'face' elements ignored — FieldLens reads the vertices as points (faces and other elements are not drawn)`]);
  });

  it('warns about lines after the declared faces', () => {
    const points = parsePly(asciiPly(4, 4, [...VERTICES, ...FACES, '3 0 0 0', '9 9 9', ''].join('\n')), 'more.ply');
    expect(points.count).toBe(4);
    expect(points.warnings).toContain('more.ply: 2 lines after the elements the header declares were ignored (is the vertex count in the header right?)');
  });

  it('a vertex count too small: vertex lines read as faces are refused by their shape, naming the line', () => {
    const load = () => parsePly(asciiPly(3, 4, [...VERTICES, ...FACES, ''].join('\n')), 'small.ply');
    expect(load).toThrow(FormatError);
    // Line 13 is the 4th vertex "0 0 1": a list of length 0 followed by one stray value.
    expect(load).toThrow(/^small\.ply: line 13 \('face' element 0\) has 3 values, expected 1 .*declares 3 vertices — if that count is wrong/);
  });

  it('a vertex count too large, with face lines of the vertex width: the faces run out and the file is refused', () => {
    // Faces "3 0 1 2" have 4 tokens, vertices here have 4 properties: the vertex loop alone cannot tell.
    const header = ['ply', 'format ascii 1.0', 'element vertex 5', 'property float x', 'property float y', 'property float z', 'property float w'];
    const text = [...header, 'element face 4', 'property list uchar int vertex_indices', 'end_header', ...VERTICES.map((v) => `${v} 1`), ...FACES, ''];
    const load = () => parsePly(utf8(text.join('\n')), 'large.ply');
    expect(load).toThrow(FormatError);
    expect(load).toThrow(/^large\.ply: truncated ascii PLY: the header declares 4 'face' elements, the data ends after 3; the header declares 5 vertices/);
  });

  it('a face with a list length that is not a whole number is refused', () => {
    const load = () => parsePly(asciiPly(4, 1, [...VERTICES, 'x 0 1 2', ''].join('\n')), 'bad.ply');
    expect(load).toThrow(FormatError);
    expect(load).toThrow(/^bad\.ply: line 14 \('face' element 0\): list 'vertex_indices' has length "x", expected a whole number ≥ 0/);
  });

  it('a point cloud without other elements loads without a warning', () => {
    const text = [
      'ply',
      'format ascii 1.0',
      'element vertex 2',
      'property float x',
      'property float y',
      'property float z',
      'end_header',
      '1 2 3',
      '4 5 6',
      '',
    ];
    expect(parsePly(utf8(text.join('\n')), 'plain.ply').warnings).toBeUndefined();
  });
});

describe('ascii PCD with data after the declared points', () => {
  const pcd = (points: number, rows: string[]) =>
    utf8(
      [
        'VERSION .7',
        'FIELDS x y z',
        'SIZE 4 4 4',
        'TYPE F F F',
        'COUNT 1 1 1',
        `WIDTH ${points}`,
        'HEIGHT 1',
        'VIEWPOINT 0 0 0 1 0 0 0',
        `POINTS ${points}`,
        'DATA ascii',
        ...rows,
        '',
      ].join('\n'),
    );

  it('loads the declared points and warns about the rest', () => {
    const points = parsePcd(pcd(2, ['1 2 3', '4 5 6', '7 8 9', '10 11 12']), 'extra.pcd');
    expect(points.count).toBe(2);
    expect(Array.from(points.positions)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(points.warnings).toEqual(['extra.pcd: 2 lines after the 2 points the header declares were ignored (is POINTS right?)']);
  });

  it('keeps the warning when NaN points are dropped too', () => {
    const points = parsePcd(pcd(2, ['nan nan nan', '4 5 6', '7 8 9']), 'nan.pcd');
    expect(points.count).toBe(1);
    expect(points.warnings).toEqual(['nan.pcd: 1 line after the 2 points the header declares were ignored (is POINTS right?)']);
  });

  it('exactly the declared points: no warning', () => {
    expect(parsePcd(pcd(2, ['1 2 3', '4 5 6']), 'exact.pcd').warnings).toBeUndefined();
  });
});
