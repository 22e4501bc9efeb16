import { describe, expect, it } from 'vitest';
import { mixSeeds, mulberry32 } from './prng.ts';

describe('mulberry32', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const first = mulberry32(7);
    const second = mulberry32(7);
    const other = mulberry32(8);
    const a = Array.from({ length: 100 }, () => first());
    const b = Array.from({ length: 100 }, () => second());
    const c = Array.from({ length: 100 }, () => other());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const random = mulberry32(123);
    const samples = Array.from({ length: 10000 }, () => random());
    expect(samples.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('mixSeeds', () => {
  it('is deterministic, order-sensitive and returns unsigned 32-bit integers', () => {
    expect(mixSeeds(7, 0)).toBe(mixSeeds(7, 0));
    expect(mixSeeds(7, 1)).not.toBe(mixSeeds(1, 7));
    const value = mixSeeds(-3, 2 ** 40);
    expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
  });
});
