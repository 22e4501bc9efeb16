import { describe, expect, it } from 'vitest';
import { connectedComponentsOnVoxelGrid, dbscan, type Instances } from './clustering.ts';

/** A cubic grid of side `side` points, spacing `step`, starting at `origin`. */
function grid(origin: readonly [number, number, number], side: number, step: number): number[][] {
  const out: number[][] = [];
  for (let z = 0; z < side; z++)
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out.push([origin[0] + x * step, origin[1] + y * step, origin[2] + z * step]);
  return out;
}

/** Interleaves point lists deterministically (so instances are not contiguous in index order). */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const flat = (points: number[][]) => Float32Array.from(points.flat());

/**
 * Three separated blobs: A 5³ = 125 points at (0,0,0) (centre (0.02, 0.02, 0.02)), B 4³ = 64 at
 * (1, 0, 0) (centre (1.015, 0.015, 0.015)), C 3³ = 27 at (0, 1, 1) (centre (0.01, 1.01, 1.01)),
 * spacing 0.01, shuffled together.
 */
function blobs() {
  const tagged = [
    ...grid([0, 0, 0], 5, 0.01).map((p) => ({ p, blob: 0 })),
    ...grid([1, 0, 0], 4, 0.01).map((p) => ({ p, blob: 1 })),
    ...grid([0, 1, 1], 3, 0.01).map((p) => ({ p, blob: 2 })),
  ];
  const mixed = shuffle(tagged, 42);
  return { positions: flat(mixed.map((t) => t.p)), blob: mixed.map((t) => t.blob) };
}

const centres = [
  [0.02, 0.02, 0.02],
  [1.015, 0.015, 0.015],
  [0.01, 1.01, 1.01],
];

function expectBlobs(result: Instances, blob: number[], expected: { counts: number[]; ids: number[] }) {
  expect(result.instances.map((i) => i.count)).toEqual(expected.counts);
  // Every blob's points share one id; the ids follow size order.
  blob.forEach((b, i) => expect(result.instanceIds[i]).toBe(expected.ids[b]));
  for (const instance of result.instances) {
    const b = expected.ids.indexOf(instance.id);
    for (let a = 0; a < 3; a++) expect(instance.centroid[a]).toBeCloseTo(centres[b]![a]!, 6);
  }
}

describe('connectedComponentsOnVoxelGrid', () => {
  it('finds k separated blobs with their counts, centroids and bounds', () => {
    const { positions, blob } = blobs();
    const result = connectedComponentsOnVoxelGrid(positions, null, 0.05);
    expectBlobs(result, blob, { counts: [125, 64, 27], ids: [0, 1, 2] });
    const a = result.instances[0]!;
    for (let k = 0; k < 3; k++) {
      expect(a.min[k]).toBeCloseTo(0, 6);
      expect(a.max[k]).toBeCloseTo(0.04, 6);
    }
    expect(result.instances.map((i) => i.id)).toEqual([0, 1, 2]);
  });

  it('drops components below minPoints and honours the mask', () => {
    const { positions, blob } = blobs();
    const small = connectedComponentsOnVoxelGrid(positions, null, 0.05, { minPoints: 30 });
    expectBlobs(small, blob, { counts: [125, 64], ids: [0, 1, -1] });
    const mask = Uint8Array.from(blob.map((b) => (b === 0 ? 0 : 1)));
    const masked = connectedComponentsOnVoxelGrid(positions, mask, 0.05);
    expectBlobs(masked, blob, { counts: [64, 27], ids: [-1, 0, 1] });
  });

  it('joins voxels that touch at a corner (26-connectivity) but not across an empty voxel', () => {
    // Cells (0,0,0) and (1,1,1) share only a corner; (0,0,0) and (2,0,0) have a gap.
    const corner = connectedComponentsOnVoxelGrid(Float32Array.from([0.05, 0.05, 0.05, 0.15, 0.15, 0.15]), null, 0.1);
    expect(corner.instances.length).toBe(1);
    expect(Array.from(corner.instanceIds)).toEqual([0, 0]);
    const gap = connectedComponentsOnVoxelGrid(Float32Array.from([0.05, 0.05, 0.05, 0.25, 0.05, 0.05]), null, 0.1);
    expect(gap.instances.length).toBe(2);
    expect(Array.from(gap.instanceIds)).toEqual([0, 1]); // equal sizes: lower point index first
  });

  it('works across negative coordinates and skips non-finite points', () => {
    const result = connectedComponentsOnVoxelGrid(Float32Array.from([-0.05, -0.05, -0.05, 0.05, 0.05, 0.05, NaN, 0, 0]), null, 0.1);
    expect(Array.from(result.instanceIds)).toEqual([0, 0, -1]);
    for (const c of result.instances[0]!.centroid) expect(c).toBeCloseTo(0, 9);
  });

  it('rejects bad arguments', () => {
    expect(() => connectedComponentsOnVoxelGrid(Float32Array.from([0, 0, 0]), null, 0)).toThrow(/voxel size/);
    expect(() => connectedComponentsOnVoxelGrid(Float32Array.from([0, 0]), null, 1)).toThrow(/\[N, 3\]/);
    expect(() => connectedComponentsOnVoxelGrid(Float32Array.from([0, 0, 0]), new Uint8Array(2), 1)).toThrow(/mask/);
  });
});

/** Textbook O(N²) DBSCAN with the same conventions (self counted, index-order discovery). */
function naiveDbscan(positions: Float32Array, eps: number, minPts: number): Int32Array {
  const n = positions.length / 3;
  const near = (i: number, j: number) =>
    (positions[i * 3]! - positions[j * 3]!) ** 2 +
      (positions[i * 3 + 1]! - positions[j * 3 + 1]!) ** 2 +
      (positions[i * 3 + 2]! - positions[j * 3 + 2]!) ** 2 <=
    eps * eps;
  const neighbours = (i: number) => Array.from({ length: n }, (_, j) => j).filter((j) => near(i, j));
  const core = Array.from({ length: n }, (_, i) => neighbours(i).length >= minPts);
  const labels = new Int32Array(n).fill(-1);
  let cluster = 0;
  for (let i = 0; i < n; i++) {
    if (!core[i] || labels[i]! >= 0) continue;
    labels[i] = cluster;
    const queue = [i];
    while (queue.length > 0) {
      const x = queue.shift()!;
      for (const y of neighbours(x)) {
        if (labels[y]! >= 0) continue;
        labels[y] = cluster;
        if (core[y]) queue.push(y);
      }
    }
    cluster++;
  }
  return labels;
}

describe('dbscan', () => {
  it('finds k blobs and marks isolated points as noise (−1)', () => {
    const { positions, blob } = blobs();
    const noise = [
      [0.5, 0.5, 0.5],
      [-1, 2, 0],
      [3, 3, 3],
    ];
    const all = Float32Array.from([...positions, ...noise.flat()]);
    const result = dbscan(all, null, 0.015, 4);
    expectBlobs(result, [...blob, 3, 3, 3], { counts: [125, 64, 27], ids: [0, 1, 2, -1] });
  });

  it('adds border points to the cluster that reaches them', () => {
    // A row of 5 points 0.01 apart, then a point 0.014 beyond the end: within eps of one point
    // only, so not core, but reachable from the core end point.
    const row = [0, 0.01, 0.02, 0.03, 0.04, 0.054].flatMap((x) => [x, 0, 0]);
    const result = dbscan(Float32Array.from(row), null, 0.015, 3);
    expect(Array.from(result.instanceIds)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.instances[0]!.count).toBe(6);
  });

  it('matches a textbook O(N²) DBSCAN on a random cloud', () => {
    let state = 5;
    const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const positions = Float32Array.from({ length: 600 * 3 }, random);
    for (const [eps, minPts] of [
      [0.08, 4],
      [0.12, 6],
      [0.05, 2],
    ] as const) {
      const expected = naiveDbscan(positions, eps, minPts);
      const got = dbscan(positions, null, eps, minPts);
      // Same partition (ids may be renumbered by size).
      const map = new Map<number, number>();
      for (let i = 0; i < expected.length; i++) {
        if (expected[i] === -1) {
          expect(got.instanceIds[i]).toBe(-1);
          continue;
        }
        const seen = map.get(expected[i]!);
        if (seen === undefined) map.set(expected[i]!, got.instanceIds[i]!);
        else expect(got.instanceIds[i]).toBe(seen);
      }
      expect(new Set(map.values()).size).toBe(map.size);
      expect(got.instances.reduce((s, i) => s + i.count, 0)).toBe(Array.from(expected).filter((l) => l >= 0).length);
    }
  });

  it('ignores unmasked points', () => {
    const { positions, blob } = blobs();
    const mask = Uint8Array.from(blob.map((b) => (b === 1 ? 0 : 1)));
    const result = dbscan(positions, mask, 0.015, 4);
    expectBlobs(result, blob, { counts: [125, 27], ids: [0, -1, 1] });
  });

  it('rejects bad arguments', () => {
    expect(() => dbscan(Float32Array.from([0, 0, 0]), null, -1, 3)).toThrow(/eps/);
    expect(() => dbscan(Float32Array.from([0, 0, 0]), null, 1, 0)).toThrow(/minPts/);
  });
});
