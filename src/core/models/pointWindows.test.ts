import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mortonOrder, unwindowRows, windowPoints } from './pointWindows.ts';

const cloud = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    positions: fc.float32Array({ minLength: n * 3, maxLength: n * 3, min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
    colors: fc.uint8Array({ minLength: n * 3, maxLength: n * 3 }),
    size: fc.integer({ min: 1, max: 64 }),
    grid: fc.double({ min: 0.001, max: 1, noNaN: true }),
  }),
);

describe('pointWindows', () => {
  it('sort → pad → window → unsort returns every point to its own row (property)', () => {
    fc.assert(
      fc.property(cloud, ({ n, positions, colors, size, grid }) => {
        const w = windowPoints(positions, colors, n, { size, order: 'morton', grid });
        expect(w.numWindows).toBe(Math.ceil(n / size));
        expect(w.positions.length).toBe(w.numWindows * size * 3);
        // The real slots are a permutation of the points.
        expect([...w.order.subarray(0, n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        // A per-slot "feature" = the slot's own xyz and colour; unwindowing must restore the inputs.
        const rows = new Float32Array(w.order.length * 6);
        for (let s = 0; s < w.order.length; s++) {
          rows.set(w.positions.subarray(s * 3, s * 3 + 3), s * 6);
          rows.set(w.colors.subarray(s * 3, s * 3 + 3), s * 6 + 3);
        }
        const back = unwindowRows(rows, 6, w);
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < 3; a++) {
            expect(back[i * 6 + a]).toBe(positions[i * 3 + a]);
            expect(back[i * 6 + 3 + a]).toBeCloseTo(colors[i * 3 + a]! / 255, 6);
          }
        }
        // Padding repeats the last real point.
        for (let s = n; s < w.order.length; s++) expect(w.order[s]).toBe(w.order[n - 1]);
      }),
      { numRuns: 200 },
    );
  });

  it('orders points along the Z-order curve: cell (0,0,0) < (1,0,0) < (0,1,0) < (1,1,0) < (0,0,1)', () => {
    const cells = [
      [0, 0, 1],
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ];
    const positions = Float32Array.from(cells.flat().map((c) => c * 0.1 + 0.05));
    expect([...mortonOrder(positions, cells.length, 0.1)]).toEqual([4, 3, 2, 1, 0]);
  });

  it('keeps points of one grid cell together in input order (stable)', () => {
    const positions = Float32Array.from([0.51, 0, 0, 0.01, 0, 0, 0.52, 0, 0, 0.02, 0, 0]);
    expect([...mortonOrder(positions, 4, 0.1)]).toEqual([1, 3, 0, 2]);
  });
});
