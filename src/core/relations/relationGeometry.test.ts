import { describe, expect, it } from 'vitest';
import { asCameraToWorld } from '../units.ts';
import { chooseUp, relationFrame, viewerPose, type Vec3 } from './relationFrame.ts';
import { distanceGateMetres, frameSegments, judgeRelation } from './relationGeometry.ts';
import { resolveRelation } from './resolveRelation.ts';
import type { RelationKind } from './relationPhrases.ts';

// World: z up. The viewer stands at y = −1 looking along +y: its x is world +x (right), its z world
// +y (away), its y world −z (down). Row-major camera-to-world rotation with those columns.
const VIEWER = asCameraToWorld([1, 0, 0, 0, 0, 0, 1, -1, 0, -1, 0, 0.5, 0, 0, 0, 1]);
const FRAME = relationFrame([0, 0, 1], VIEWER, 'capture', 'test');

/** Points filling an axis-aligned box (world), `n` per axis. */
function box(min: Vec3, max: Vec3, n = 6): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++)
        out.push(min[0] + ((max[0] - min[0]) * i) / (n - 1), min[1] + ((max[1] - min[1]) * j) / (n - 1), min[2] + ((max[2] - min[2]) * k) / (n - 1));
  return out;
}

/** Two boxes as segments 0 (target) and 1 (reference); judged in FRAME. */
function judge(relation: RelationKind, target: [Vec3, Vec3], reference: [Vec3, Vec3]) {
  const a = box(...target);
  const b = box(...reference);
  const positions = new Float32Array([...a, ...b]);
  const ids = new Int32Array(positions.length / 3).fill(1);
  ids.fill(0, 0, a.length / 3);
  const result = resolveRelation({
    positions,
    segmentOfPoint: ids,
    segmentCount: 2,
    targetScores: [1, 0],
    referenceScores: [0, 1],
    relation,
    frame: FRAME,
  });
  // Candidates need a match ≥ 0.5: exactly one pair (0, 1).
  expect(result.candidates).toHaveLength(1);
  return result.candidates[0]!.judgement;
}

/** A 10 cm cube centred at (x, y, z). */
const cube = (x: number, y: number, z: number, half = 0.05): [Vec3, Vec3] => [
  [x - half, y - half, z - half],
  [x + half, y + half, z + half],
];

describe('relation frame', () => {
  it("takes the viewer's x as right and z as away, flattened onto the plane perpendicular to up", () => {
    expect(FRAME.right).toEqual([1, 0, 0]);
    expect(FRAME.forward).toEqual([0, 1, 0]);
    // A camera tilted 30° down still looks along +y horizontally.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const tilted = asCameraToWorld([1, 0, 0, 0, 0, -s, c, 0, 0, -c, -s, 0, 0, 0, 0, 1]);
    const f = relationFrame([0, 0, 1], tilted, 'capture', 'tilted');
    expect(f.forward[1]).toBeCloseTo(1, 12);
    expect(f.forward[2]).toBeCloseTo(0, 12);
  });

  it("up: declared, else the plane normal turned towards the camera's image-up, else −y of the camera", () => {
    expect(chooseUp({ declared: [0, 0, 2], planeNormal: [1, 0, 0], firstCamera: VIEWER })).toEqual({ up: [0, 0, 1], source: 'capture' });
    expect(chooseUp({ planeNormal: [0, 0, -1], firstCamera: VIEWER })).toEqual({ up: [-0, -0, 1], source: 'plane' });
    expect(chooseUp({ firstCamera: VIEWER })).toEqual({ up: [-0, -0, 1], source: 'camera' });
    expect(() => chooseUp({})).toThrow(/no world up/);
  });
});

describe('directional relations on hand-built boxes', () => {
  const ref = cube(0, 0, 0.05);
  it('left / right / behind / in front of hold along −x, +x, +y, −y and not across', () => {
    expect(judge('left-of', cube(-0.15, 0, 0.05), ref).holds).toBe(true);
    expect(judge('right-of', cube(-0.15, 0, 0.05), ref).holds).toBe(false);
    expect(judge('right-of', cube(0.15, 0, 0.05), ref).holds).toBe(true);
    expect(judge('behind', cube(0, 0.15, 0.05), ref).holds).toBe(true);
    expect(judge('in-front-of', cube(0, 0.15, 0.05), ref).holds).toBe(false);
    expect(judge('in-front-of', cube(0, -0.15, 0.05), ref).holds).toBe(true);
  });

  it('the 0.6 cosine threshold: 50° off the axis (cos 0.643) holds, 55° (cos 0.574) does not', () => {
    const at = (deg: number) => cube(-0.15 * Math.cos((deg * Math.PI) / 180), 0.15 * Math.sin((deg * Math.PI) / 180), 0.05);
    expect(judge('left-of', at(50), ref).holds).toBe(true);
    expect(judge('left-of', at(55), ref).holds).toBe(false);
  });

  it('distance gate: 2 × largest horizontal extent, at least 0.1 m, at most 1 m', () => {
    // 10 cm cube: gate 0.2 m. 0.19 m holds, 0.21 m does not.
    expect(judge('left-of', cube(-0.19, 0, 0.05), ref).holds).toBe(true);
    expect(judge('left-of', cube(-0.21, 0, 0.05), ref)).toMatchObject({ holds: false, detail: { gateMetres: expect.closeTo(0.2, 6) as number } });
    // A 2 cm reference: 2 × 0.02 = 0.04 → raised to 0.1 m.
    const small = cube(0, 0, 0.01, 0.01);
    expect(judge('left-of', cube(-0.09, 0, 0.01, 0.01), small).holds).toBe(true);
    expect(judge('left-of', cube(-0.11, 0, 0.01, 0.01), small).holds).toBe(false);
    // A 1.6 m wide reference: 3.2 m → capped at 1 m.
    const wide = [
      [-0.8, -0.1, 0],
      [0.8, 0.1, 0.1],
    ] as [Vec3, Vec3];
    expect(judge('left-of', cube(-0.95, 0, 0.05), wide).holds).toBe(true);
    expect(judge('left-of', cube(-1.05, 0, 0.05), wide).holds).toBe(false);
    expect(distanceGateMetres({ min: [0, 0, 0], max: [0.3, 0.1, 5] })).toBeCloseTo(0.6, 12);
  });

  it('scores lie in [0, 1]: ≥ 0.5 when the relation holds, < 0.5 when not, nearer and straighter scores higher', () => {
    const near = judge('left-of', cube(-0.12, 0, 0.05), ref);
    const far = judge('left-of', cube(-0.18, 0, 0.05), ref);
    const miss = judge('left-of', cube(-0.3, 0, 0.05), ref);
    expect(near.score).toBeGreaterThan(far.score);
    expect(far.score).toBeGreaterThanOrEqual(0.5);
    expect(miss.score).toBeLessThan(0.5);
    expect(miss.score).toBeGreaterThan(0);
    for (const j of [near, far, miss]) expect(j.score).toBeLessThanOrEqual(1);
  });

  it('the frame follows the viewer: seen from the other side, left and right swap', () => {
    const opposite = asCameraToWorld([-1, 0, 0, 0, 0, 0, -1, 1, 0, -1, 0, 0.5, 0, 0, 0, 1]);
    const frame = relationFrame([0, 0, 1], opposite, 'capture', 'opposite');
    const a = box(...cube(-0.15, 0, 0.05));
    const b = box(...ref);
    const positions = new Float32Array([...a, ...b]);
    const ids = new Int32Array(positions.length / 3).fill(1).fill(0, 0, a.length / 3);
    const [target, reference] = frameSegments(positions, ids, 2, frame);
    expect(judgeRelation('right-of', target!, reference!).holds).toBe(true);
    expect(judgeRelation('left-of', target!, reference!).holds).toBe(false);
  });
});

describe('on and in', () => {
  const plate: [Vec3, Vec3] = [
    [-0.1, -0.1, 0],
    [0.1, 0.1, 0.02],
  ];
  it('on: bottom within 0.15 m of the top and > 30 % of the footprint over it', () => {
    expect(judge('on', cube(0, 0, 0.07), plate).holds).toBe(true); // bottom 0.02 = top
    expect(judge('on', cube(0, 0, 0.07 + 0.14), plate).holds).toBe(true); // gap 0.14
    expect(judge('on', cube(0, 0, 0.07 + 0.16), plate)).toMatchObject({ holds: false }); // gap 0.16
    // Footprint: cube x ∈ [0.07, 0.17] over plate x ≤ 0.1 → 30 % is the limit; 0.035 m over (35 %) holds, 0.025 (25 %) not.
    expect(judge('on', cube(0.115, 0, 0.07), plate).holds).toBe(true);
    expect(judge('on', cube(0.125, 0, 0.07), plate).holds).toBe(false);
    // Beside the plate on the same table is not on it.
    expect(judge('on', cube(0.3, 0, 0.05), plate).holds).toBe(false);
  });

  it('in: most of the target inside the reference box', () => {
    const bowl: [Vec3, Vec3] = [
      [-0.1, -0.1, 0],
      [0.1, 0.1, 0.1],
    ];
    expect(judge('in', cube(0, 0, 0.04, 0.03), bowl)).toMatchObject({ holds: true, score: 1 });
    // Half the cube above the rim: 3 of 6 sample layers inside → 50 %, not "most".
    const half = judge('in', cube(0, 0, 0.1, 0.03), bowl);
    expect(half.holds).toBe(false);
    expect(half.detail['insideFraction']).toBeCloseTo(0.5, 12);
    expect(judge('in', cube(0, 0, 0.09, 0.03), bowl).holds).toBe(true);
    expect(judge('in', cube(0.5, 0, 0.04, 0.03), bowl).holds).toBe(false);
  });
});

describe('resolving a relation', () => {
  it('two equally matching targets: the relation picks the one left of the reference; runners-up follow', () => {
    const left = box(...cube(-0.15, 0, 0.05));
    const right = box(...cube(0.15, 0, 0.05));
    const ref = box(...cube(0, 0, 0.05));
    const positions = new Float32Array([...right, ...left, ...ref]);
    const n = left.length / 3;
    const ids = new Int32Array(3 * n);
    ids
      .fill(0, 0, n)
      .fill(1, n, 2 * n)
      .fill(2, 2 * n);
    const answer = resolveRelation({
      positions,
      segmentOfPoint: ids,
      segmentCount: 3,
      targetScores: [0.9, 0.9, 0.1],
      referenceScores: [0.1, 0.2, 0.8],
      relation: 'left-of',
      frame: FRAME,
    });
    expect(answer.candidates[0]).toMatchObject({ target: 1, reference: 2 });
    expect(answer.candidates[0]!.judgement.holds).toBe(true);
    expect(answer.candidates[1]).toMatchObject({ target: 0, reference: 2 });
    expect(answer.candidates[1]!.score).toBeLessThan(answer.candidates[0]!.score);
    expect(answer.segments[1]!.worldCentroid[0]).toBeCloseTo(-0.15, 6);
  });
});

describe('the studio viewer', () => {
  it("a view from (0, −1, 0.5) at the origin with z up has the test viewer's horizontal frame", () => {
    const frame = relationFrame([0, 0, 1], viewerPose([0, -1, 0.5], [0, 0, 0], [0, 0, 1]), 'capture', 'view');
    expect(frame.right.map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([1, 0, 0]);
    expect(frame.forward.map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([0, 1, 0]);
  });
});

describe('ranking misses', () => {
  it('a pair just short of the direction limit outranks one far beyond the distance gate', () => {
    const ref = cube(0, 0, 0.05); // gate 0.2 m
    const nearMiss = judge('left-of', cube(-0.15 * Math.cos((54 * Math.PI) / 180), 0.15 * Math.sin((54 * Math.PI) / 180), 0.05), ref); // cos 0.588
    const farAway = judge('left-of', cube(-0.6, 0, 0.05), ref); // straight left, 3× the gate
    expect(nearMiss.holds).toBe(false);
    expect(farAway.holds).toBe(false);
    // By the formula: 0.49 · (0.588 / 0.6) ≈ 0.480 against 0.49 · (0.2 / 0.6) ≈ 0.163.
    expect(nearMiss.score).toBeCloseTo(0.49 * (Math.cos((54 * Math.PI) / 180) / 0.6), 2);
    expect(farAway.score).toBeCloseTo(0.49 * (0.2 / 0.6), 2);
  });
});
