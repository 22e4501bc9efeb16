import { describe, expect, it } from 'vitest';
import { syntheticCloud } from './syntheticCloud.ts';

describe('syntheticCloud', () => {
  it('is deterministic and gives every colour mode data of the right size', () => {
    const a = syntheticCloud(10_000);
    const b = syntheticCloud(10_000);
    expect(Buffer.from(a.positions.buffer).equals(Buffer.from(b.positions.buffer))).toBe(true);
    expect(a.colors).toHaveLength(30_000);
    expect(a.pcaColors).toHaveLength(30_000);
    expect(a.relevancy).toHaveLength(10_000);
    expect(a.similarity).toHaveLength(10_000);
    expect(syntheticCloud(10_000, 2).positions).not.toEqual(a.positions);
  });

  it('puts labelled points on their sphere and the relevancy peak on the target sphere', () => {
    const c = syntheticCloud(20_000);
    const floor = Array.from(c.labels).filter((l) => l < 0).length;
    expect(floor).toBe(10_000);
    let best = 0;
    for (let i = 1; i < c.count; i++) if (c.relevancy[i]! > c.relevancy[best]!) best = i;
    expect(c.labelNames[c.labels[best]!]).toBe('yellow ball');
    for (let i = 0; i < c.count; i++) if (c.labels[i]! < 0) expect(c.positions[i * 3 + 1]).toBe(0);
    expect(() => syntheticCloud(0)).toThrow(/positive integer/);
  });
});
