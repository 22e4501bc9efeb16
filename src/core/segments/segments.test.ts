import { describe, expect, it } from 'vitest';
import { carriedSegmentFeatures, expandSegmentValues, float32Rows, meanSegmentFeatures, segmentSummaries } from './segmentFeatures.ts';
import { halfFeaturesFromFloat32, segmentFeatures } from '../features/featureStores.ts';
import { rankSegments, segmentLabels, segmentScores } from './maskRanking.ts';
import { regionGrowingSegments } from './regionGrowing.ts';

describe('segment features', () => {
  it('OpenMask3D: the mean of the normalised point features, normalised again (a long vector does not dominate)', () => {
    // Segment 0: (10, 0) and (0, 1) → normalised (1, 0), (0, 1) → mean (½, ½) → (1/√2, 1/√2).
    const f = new Float32Array([10, 0, 0, 1, 3, 4, 0, 0]);
    const seg = { segmentOfPoint: new Int32Array([0, 0, 1, -1]), segmentCount: 3 };
    const out = meanSegmentFeatures(float32Rows(f, 2), seg);
    expect(out[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(out[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect([out[2], out[3]]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect([out[4], out[5]]).toEqual([0, 0]); // empty segment
  });

  it("the teacher's fused feature is carried as it is (first non-zero row of the segment)", () => {
    const f = new Float32Array([0, 0, 0, 2, 0, 2]);
    const out = carriedSegmentFeatures(float32Rows(f, 2), { segmentOfPoint: new Int32Array([0, 0, 0]), segmentCount: 1 });
    expect(Array.from(out)).toEqual([0, 1]);
    // The same from the compact stores: fp16 rows, and one row per segment + a per-point index.
    expect(Array.from(carriedSegmentFeatures(halfFeaturesFromFloat32(f, 2), { segmentOfPoint: new Int32Array([0, 0, 0]), segmentCount: 1 }))).toEqual([0, 1]);
    const store = segmentFeatures(new Float32Array([0, 3]), 2, new Int32Array([0, 0, -1]));
    expect(Array.from(carriedSegmentFeatures(store, { segmentOfPoint: new Int32Array([0, 0, -1]), segmentCount: 1 }))).toEqual([0, 1]);
  });

  it('summaries count, average and bound the points of each segment; values expand back to points', () => {
    const p = new Float32Array([0, 0, 0, 2, 0, 0, 5, 5, 5]);
    const seg = { segmentOfPoint: new Int32Array([0, 0, -1]), segmentCount: 2 };
    const [a, b] = segmentSummaries(p, seg);
    expect(a).toEqual({ id: 0, count: 2, centroid: [1, 0, 0], min: [0, 0, 0], max: [2, 0, 0] });
    expect(b!.count).toBe(0);
    expect(Array.from(expandSegmentValues(seg, [0.7, 0.1], -1))).toEqual([expect.closeTo(0.7, 6), expect.closeTo(0.7, 6), -1]);
  });
});

describe('mask ranking', () => {
  const segF = new Float32Array([1, 0, 0, 0, 1, 0, Math.SQRT1_2, Math.SQRT1_2, 0]);
  const summaries = [0, 1, 2].map((id) => ({ id, count: 10, centroid: [id, 0, 0] as const, min: [0, 0, 0] as const, max: [1, 1, 1] as const }));
  it('ranks segments by cosine to the phrase, best first, with size and centroid', () => {
    const q = new Float32Array([0.8, 0.6, 0]);
    const scores = segmentScores(segF, 3, q, [], 'cosine');
    // Hand values: 0.8, 0.6, (0.8 + 0.6)/√2 = 0.98995.
    expect(Array.from(scores)).toEqual([expect.closeTo(0.8, 6), expect.closeTo(0.6, 6), expect.closeTo(1.4 / Math.SQRT2, 6)]);
    const ranked = rankSegments(summaries, scores);
    expect(ranked.map((r) => r.id)).toEqual([2, 0, 1]);
    expect(ranked[0]).toMatchObject({ count: 10, centroid: [2, 0, 0] });
  });

  it('LERF on segment features: σ(10 (s_q − max s_neg)), from the formula table', () => {
    const q = new Float32Array([1, 0, 0]);
    const neg = new Float32Array([0, 1, 0]);
    const scores = segmentScores(segF, 3, q, [neg], 'lerf');
    expect(scores[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 5);
    expect(scores[1]).toBeCloseTo(1 / (1 + Math.exp(10)), 5);
  });

  it('label sets give each segment its argmax label', () => {
    expect(Array.from(segmentLabels(segF, 3, [new Float32Array([0, 1, 0]), new Float32Array([1, 0.1, 0])]))).toEqual([1, 0, 1]);
  });
});

describe('region growing on geometry + features', () => {
  /** A line of points along x every 1 cm from x0, `count` long, each with feature f. */
  const line = (x0: number, count: number, f: readonly number[]) => ({
    p: Array.from({ length: count }, (_, i) => [x0 + i * 0.01, 0.005, 0.005]).flat(),
    f: Array.from({ length: count }, () => f).flat(),
  });
  it('splits touching regions whose features differ, and separate regions whose features agree', () => {
    const a = line(0, 50, [1, 0]); // x 0 … 0.49
    const b = line(0.5, 50, [0, 1]); // touches a, other feature
    const c = line(1.5, 40, [1, 0]); // a's feature, 1 m away
    const positions = new Float32Array([...a.p, ...b.p, ...c.p]);
    const features = new Float32Array([...a.f, ...b.f, ...c.f]);
    const seg = regionGrowingSegments(positions, float32Rows(features, 2), { voxelSize: 0.02, minCosine: 0.9, minPoints: 30 });
    expect(seg.segmentCount).toBe(3);
    const ids = Array.from(seg.segmentOfPoint);
    expect(new Set(ids.slice(0, 50)).size).toBe(1);
    expect(new Set(ids.slice(50, 100)).size).toBe(1);
    expect(new Set(ids.slice(100)).size).toBe(1);
    expect(new Set([ids[0], ids[50], ids[100]]).size).toBe(3);
    // Largest first: a and b (50 points) before c (40).
    expect(ids[100]).toBe(2);
  });

  it('drops regions smaller than minPoints', () => {
    const a = line(0, 10, [1, 0]);
    const seg = regionGrowingSegments(new Float32Array(a.p), float32Rows(new Float32Array(a.f), 2), { minPoints: 30 });
    expect(seg.segmentCount).toBe(0);
    expect(Array.from(seg.segmentOfPoint).every((s) => s === -1)).toBe(true);
  });
});
