import { describe, expect, it } from 'vitest';
import { segmentMasks, segmentTableRows } from './segmentTable.ts';

describe('segment exports', () => {
  it('one mask per ranked row, in rank order; points in no segment are in no mask', () => {
    const seg = { segmentOfPoint: new Int32Array([1, 0, -1, 1]), segmentCount: 2 };
    const masks = segmentMasks(seg, [{ id: 1 }, { id: 0 }]);
    expect(masks.map((m) => m.name)).toEqual(['segment:1', 'segment:0']);
    expect(Array.from(masks[0]!.mask)).toEqual([1, 0, 0, 1]);
    expect(Array.from(masks[1]!.mask)).toEqual([0, 1, 0, 0]);
  });

  it('the table names each segment by its label', () => {
    const rows = segmentTableRows([{ id: 3, count: 5, centroid: [1, 2, 3], min: [0, 0, 0], max: [2, 4, 6], score: 0.9, label: 1 }], ['mug', 'plate']);
    expect(rows).toEqual([{ id: 3, label: 'plate', score: 0.9, count: 5, centroid: [1, 2, 3], min: [0, 0, 0], max: [2, 4, 6] }]);
  });
});
