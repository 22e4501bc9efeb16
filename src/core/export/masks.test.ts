import { describe, expect, it } from 'vitest';
import { parseNpy } from '../formats/npy.ts';
import { instanceSummaryJson } from './instanceSummary.ts';
import { masksToJson, masksToNpy, resultMasks } from './masks.ts';
import type { QueryResultData } from './resultPly.ts';

const n = 6;
const result: QueryResultData = {
  query: { text: 'dice', mode: 'relevancy', formula: 'cosine', template: 'single', negatives: '', threshold: 0.5 },
  // Normalised: 0, 0.25, 0.5, 0.75, 1, 0 → three points ≥ 0.5.
  layers: [{ label: 'dice', values: new Float32Array([1, 2, 3, 4, 5, 1]) }],
  labels: null,
  instanceIds: new Int32Array([-1, -1, 1, 0, 0, -1]),
};

describe('mask export', () => {
  it('builds one mask per layer (normalised ≥ threshold) and per instance', () => {
    const masks = resultMasks(result, n, 0.5);
    expect(masks.map((m) => m.name)).toEqual(['relevancy:dice', 'instance:0', 'instance:1']);
    expect(masks.map((m) => Array.from(m.mask))).toEqual([
      [0, 0, 1, 1, 1, 0],
      [0, 0, 0, 1, 1, 0],
      [0, 0, 1, 0, 0, 0],
    ]);
  });

  it('writes a bool .npy [masks, points] and JSON index lists that agree', () => {
    const masks = resultMasks({ ...result, labels: { names: ['a', 'b'], perPoint: new Int32Array([0, 1, 1, -1, 0, 1]) } }, n, 0.5);
    const npy = parseNpy(masksToNpy(masks, n), 'masks.npy');
    expect(npy.dtype).toBe('bool');
    expect(npy.shape).toEqual([masks.length, n]);
    const json = JSON.parse(masksToJson(masks, n)) as { pointCount: number; masks: { name: string; count: number; indices: number[] }[] };
    expect(json.pointCount).toBe(n);
    json.masks.forEach((m, r) => {
      const row = Array.from(npy.data.subarray(r * n, (r + 1) * n) as Uint8Array);
      expect(m.indices).toEqual(row.flatMap((v, i) => (v ? [i] : [])));
      expect(m.count).toBe(m.indices.length);
    });
    expect(json.masks.find((m) => m.name === 'label:b')?.indices).toEqual([1, 2, 5]);
  });

  it('summarises instances as JSON', () => {
    const summary = JSON.parse(instanceSummaryJson(result.query, [{ id: 0, count: 2, centroid: [1, 2, 3], min: [0, 0, 0], max: [2, 4, 6] }])) as {
      query: string;
      instances: { count: number }[];
    };
    expect(summary.query).toBe('dice');
    expect(summary.instances[0]?.count).toBe(2);
  });
});
