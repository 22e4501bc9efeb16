import { describe, expect, it } from 'vitest';
import { budgetPrefix, drawOrder, gatherRows } from './drawOrder.ts';

describe('the level-of-detail draw order', () => {
  it('is a permutation, ascending inside each bucket', () => {
    const { order, bucketEnds } = drawOrder(100_003, 1000);
    expect(bucketEnds.at(-1)).toBe(100_003);
    const seen = new Uint8Array(100_003);
    for (const i of order) seen[i]!++;
    expect(seen.every((n) => n === 1)).toBe(true);
    let start = 0;
    for (const end of bucketEnds) {
      for (let k = start + 1; k < end; k++) expect(order[k]! > order[k - 1]!).toBe(true);
      start = end;
    }
  });

  it('puts a uniform subsample in every leading run of buckets: each tenth of the cloud gets its share', () => {
    const n = 200_000;
    const { order, bucketEnds } = drawOrder(n, 2000);
    for (const budget of [10_000, 50_000, 120_000]) {
      const drawn = budgetPrefix(bucketEnds, budget);
      const perTenth = new Array<number>(10).fill(0);
      for (let k = 0; k < drawn; k++) perTenth[Math.floor((order[k]! * 10) / n)]!++;
      // Binomial: 10 % ± 5 standard deviations of the drawn count.
      const sd = Math.sqrt(drawn * 0.1 * 0.9);
      for (const c of perTenth) expect(Math.abs(c - drawn / 10)).toBeLessThan(5 * sd);
    }
  });

  it('cuts at the last whole bucket within the budget, at least the first', () => {
    const ends = new Uint32Array([10, 25, 40]);
    expect(budgetPrefix(ends, 0)).toBe(10);
    expect(budgetPrefix(ends, 24)).toBe(10);
    expect(budgetPrefix(ends, 25)).toBe(25);
    expect(budgetPrefix(ends, 1e9)).toBe(40);
    expect(budgetPrefix(new Uint32Array(0), 5)).toBe(0);
  });

  it('gathers per-point rows into draw order', () => {
    const order = new Uint32Array([2, 0, 1]);
    expect(Array.from(gatherRows(new Uint8Array([1, 2, 10, 20, 30, 40]), order, 2, new Uint8Array(6)))).toEqual([30, 40, 1, 2, 10, 20]);
    expect(() => gatherRows(new Float32Array(6), order, 2, new Float32Array(5))).toThrow('need 6 values, found room for 5');
  });

  it('orders an empty cloud, and refuses a bad count', () => {
    expect(drawOrder(0).order.length).toBe(0);
    expect(() => drawOrder(-1)).toThrow('non-negative integer, found -1');
  });
});
