import { describe, expect, it } from 'vitest';
import { COLORMAP_TABLES } from './colormapTables.ts';
import { writeScalarColors } from './scalarDisplay.ts';

const table = COLORMAP_TABLES.turbo;
const tableColour = (i: number) => Array.from(table.subarray(i * 3, i * 3 + 3));
// Values 0, 1, 2, 3 over [0, 3] → normalised 0, 1/3, 2/3, 1.
const values = new Float32Array([0, 1, 2, 3]);
const rgb = new Uint8Array([200, 100, 40, 201, 101, 41, 202, 102, 42, 203, 103, 43]);

function colours(out: Uint8Array): number[][] {
  return Array.from({ length: out.length / 3 }, (_, i) => Array.from(out.subarray(i * 3, i * 3 + 3)));
}

describe('writeScalarColors', () => {
  it("'colormap' paints every point from the table, threshold ignored", () => {
    const out = writeScalarColors(values, rgb, { table, min: 0, max: 3, threshold: 0.5, below: 'colormap' });
    expect(colours(out)).toEqual([tableColour(0), tableColour(85), tableColour(170), tableColour(255)]);
  });

  it("'rgb' keeps the own colour of points below the threshold", () => {
    const out = writeScalarColors(values, rgb, { table, min: 0, max: 3, threshold: 0.5, below: 'rgb' });
    expect(colours(out)).toEqual([[200, 100, 40], [201, 101, 41], tableColour(170), tableColour(255)]);
  });

  it("'dim' darkens the own colour below the threshold to a quarter", () => {
    const out = writeScalarColors(values, rgb, { table, min: 0, max: 3, threshold: 0.5, below: 'dim' });
    expect(colours(out)).toEqual([[50, 25, 10], [50, 25, 10], tableColour(170), tableColour(255)]);
  });

  it('a value exactly at the threshold counts as above it', () => {
    const out = writeScalarColors(values, rgb, { table, min: 0, max: 3, threshold: 2 / 3, below: 'rgb' });
    expect(colours(out)[2]).toEqual(tableColour(170));
  });

  it('non-finite values are grey; a flat field does not divide by zero', () => {
    const out = writeScalarColors(new Float32Array([Number.NaN, 5, Infinity]), rgb, { table, min: 5, max: 5, threshold: 0, below: 'colormap' });
    expect(colours(out)).toEqual([[128, 128, 128], tableColour(0), [128, 128, 128]]);
  });

  it('writes into a given buffer and returns it', () => {
    const target = new Uint8Array(12);
    expect(writeScalarColors(values, rgb, { table: COLORMAP_TABLES.viridis, min: 0, max: 3, threshold: 0, below: 'rgb' }, target)).toBe(target);
    expect(Array.from(target.subarray(9, 12))).toEqual([0xfd, 0xe7, 0x25]);
  });
});
