import { describe, expect, it } from 'vitest';
import {
  distanceToSurfaceMetres,
  intersectBox,
  intersectCylinder,
  intersectPlane,
  intersectSphere,
  vec3,
  type BoxShape,
  type CylinderShape,
  type PlaneShape,
  type RayHit,
  type SphereShape,
  type Vec3,
} from './primitives.ts';

function expectHit(hit: RayHit | null, t: number, normal: Vec3): void {
  expect(hit).not.toBeNull();
  expect(hit?.t).toBeCloseTo(t, 12);
  expect(hit?.normal.x).toBeCloseTo(normal.x, 12);
  expect(hit?.normal.y).toBeCloseTo(normal.y, 12);
  expect(hit?.normal.z).toBeCloseTo(normal.z, 12);
}

describe('intersectPlane', () => {
  const floor: PlaneShape = { kind: 'plane', pointOnPlane: vec3(0, 0, 0), unitNormal: vec3(0, 0, 1) };

  it('hits a floor 2 m below at t = 2 (unit direction) and t = 1 (direction of length 2)', () => {
    expectHit(intersectPlane(floor, vec3(5, -3, 2), vec3(0, 0, -1), 0), 2, vec3(0, 0, 1));
    expectHit(intersectPlane(floor, vec3(5, -3, 2), vec3(0, 0, -2), 0), 1, vec3(0, 0, 1));
  });

  it('hits obliquely at the distance along the ray', () => {
    // From (0, 0, 3) toward (4, 0, 0): distance 5.
    expectHit(intersectPlane(floor, vec3(0, 0, 3), vec3(0.8, 0, -0.6), 0), 5, vec3(0, 0, 1));
  });

  it('misses rays parallel to it, pointing away from it, or beyond its bound', () => {
    expect(intersectPlane(floor, vec3(0, 0, 1), vec3(1, 0, 0), 0)).toBeNull();
    expect(intersectPlane(floor, vec3(0, 0, 1), vec3(0, 0, 1), 0)).toBeNull();
    const patch: PlaneShape = { ...floor, worldXYHalfExtentMetres: 2.5 };
    expect(intersectPlane(patch, vec3(0, 0, 3), vec3(0.8, 0, -0.6), 0)).toBeNull(); // lands at x = 4
    expect(intersectPlane(patch, vec3(0, 0, 1), vec3(0.6, 0, -0.8), 0)).not.toBeNull(); // lands at x = 0.75
  });
});

describe('intersectSphere', () => {
  const sphere: SphereShape = { kind: 'sphere', centre: vec3(0, 0, 5), radiusMetres: 1 };

  it('hits head-on at centre distance minus radius', () => {
    expectHit(intersectSphere(sphere, vec3(0, 0, 0), vec3(0, 0, 1), 0), 4, vec3(0, 0, -1));
  });

  it('hits off-axis where x² + (z − 5)² = 1', () => {
    // x = 0.6 → z = 5 − 0.8; normal (0.6, 0, −0.8).
    expectHit(intersectSphere(sphere, vec3(0.6, 0, 0), vec3(0, 0, 1), 0), 4.2, vec3(0.6, 0, -0.8));
    expectHit(intersectSphere(sphere, vec3(0.6, 0, 0), vec3(0, 0, 0.5), 0), 8.4, vec3(0.6, 0, -0.8));
  });

  it('returns the exit point from inside and misses rays that pass by or point away', () => {
    expectHit(intersectSphere(sphere, vec3(0, 0, 5), vec3(1, 0, 0), 0), 1, vec3(1, 0, 0));
    expect(intersectSphere(sphere, vec3(1.1, 0, 0), vec3(0, 0, 1), 0)).toBeNull();
    expect(intersectSphere(sphere, vec3(0, 0, 0), vec3(0, 0, -1), 0)).toBeNull();
  });
});

describe('intersectBox', () => {
  const box: BoxShape = { kind: 'box', centre: vec3(0, 0, 0), halfExtentsMetres: vec3(1, 0.5, 0.25), yawRadians: 0 };

  it('hits each face at hand-computed distances with outward normals', () => {
    expectHit(intersectBox(box, vec3(-5, 0, 0), vec3(1, 0, 0), 0), 4, vec3(-1, 0, 0));
    expectHit(intersectBox(box, vec3(5, 0.2, 0.1), vec3(-1, 0, 0), 0), 4, vec3(1, 0, 0));
    expectHit(intersectBox(box, vec3(0.3, 4, 0), vec3(0, -1, 0), 0), 3.5, vec3(0, 1, 0));
    expectHit(intersectBox(box, vec3(0, 0, 3), vec3(0, 0, -1), 0), 2.75, vec3(0, 0, 1));
    expectHit(intersectBox(box, vec3(0, 0, -3), vec3(0, 0, 2), 0), 1.375, vec3(0, 0, -1));
  });

  it('applies the yaw about world z', () => {
    const quarterTurn: BoxShape = { ...box, yawRadians: Math.PI / 2 };
    // Long side now along y: the x half-extent is 0.5.
    expectHit(intersectBox(quarterTurn, vec3(-5, 0, 0), vec3(1, 0, 0), 0), 4.5, vec3(-1, 0, 0));
    const cube: BoxShape = { kind: 'box', centre: vec3(1, 2, 0), halfExtentsMetres: vec3(1, 1, 1), yawRadians: Math.PI / 4 };
    const diagonal = vec3(Math.SQRT1_2, Math.SQRT1_2, 0);
    const start = vec3(1 - 5 * diagonal.x, 2 - 5 * diagonal.y, 0);
    expectHit(intersectBox(cube, start, diagonal, 0), 4, vec3(-diagonal.x, -diagonal.y, 0));
  });

  it('misses rays that pass beside it', () => {
    expect(intersectBox(box, vec3(-5, 0.6, 0), vec3(1, 0, 0), 0)).toBeNull();
    expect(intersectBox(box, vec3(-5, 0, 0), vec3(-1, 0, 0), 0)).toBeNull();
    expect(intersectBox(box, vec3(-5, 0, 0), vec3(1, 1, 0), 0)).toBeNull();
  });
});

describe('intersectCylinder', () => {
  const cylinder: CylinderShape = { kind: 'cylinder', baseCentre: vec3(0, 0, 0), radiusMetres: 0.5, heightMetres: 1 };

  it('hits the side, the top cap and the bottom cap', () => {
    expectHit(intersectCylinder(cylinder, vec3(-3, 0, 0.5), vec3(1, 0, 0), 0), 2.5, vec3(-1, 0, 0));
    // Slanted, non-unit direction: reaches x = −0.5 at t = 2.5, where z = 1.2 − 0.25 = 0.95.
    expectHit(intersectCylinder(cylinder, vec3(-3, 0, 1.2), vec3(1, 0, -0.1), 0), 2.5, vec3(-1, 0, 0));
    expectHit(intersectCylinder(cylinder, vec3(0.2, 0.1, 3), vec3(0, 0, -1), 0), 2, vec3(0, 0, 1));
    expectHit(intersectCylinder(cylinder, vec3(0, 0, -2), vec3(0, 0, 1), 0), 2, vec3(0, 0, -1));
    // Side hit off the axis plane: y = 0.3 → x = −0.4 on the surface.
    expectHit(intersectCylinder(cylinder, vec3(-3, 0.3, 0.5), vec3(1, 0, 0), 0), 2.6, vec3(-0.8, 0.6, 0));
  });

  it('misses rays above it, outside its radius, or pointing away', () => {
    expect(intersectCylinder(cylinder, vec3(-3, 0, 1.5), vec3(1, 0, 0), 0)).toBeNull();
    expect(intersectCylinder(cylinder, vec3(0.6, 0, 3), vec3(0, 0, -1), 0)).toBeNull();
    expect(intersectCylinder(cylinder, vec3(-3, 0, 0.5), vec3(-1, 0, 0), 0)).toBeNull();
  });
});

describe('distanceToSurfaceMetres', () => {
  it('measures outside and inside distances for each primitive', () => {
    const sphere: SphereShape = { kind: 'sphere', centre: vec3(0, 0, 5), radiusMetres: 1 };
    expect(distanceToSurfaceMetres(sphere, vec3(0, 0, 7))).toBeCloseTo(1, 12);
    expect(distanceToSurfaceMetres(sphere, vec3(0, 0, 5.25))).toBeCloseTo(0.75, 12);
    const box: BoxShape = { kind: 'box', centre: vec3(0, 0, 0), halfExtentsMetres: vec3(1, 0.5, 0.25), yawRadians: 0 };
    expect(distanceToSurfaceMetres(box, vec3(4, 4.5, 0))).toBeCloseTo(5, 12);
    expect(distanceToSurfaceMetres(box, vec3(0, 0, 0.2))).toBeCloseTo(0.05, 12);
    const cylinder: CylinderShape = { kind: 'cylinder', baseCentre: vec3(0, 0, 0), radiusMetres: 0.5, heightMetres: 1 };
    expect(distanceToSurfaceMetres(cylinder, vec3(0.8, 0, 1.4))).toBeCloseTo(0.5, 12);
    expect(distanceToSurfaceMetres(cylinder, vec3(0, 0.4, 0.5))).toBeCloseTo(0.1, 12);
    const plane: PlaneShape = { kind: 'plane', pointOnPlane: vec3(0, 0, 1), unitNormal: vec3(0, 0, 1) };
    expect(distanceToSurfaceMetres(plane, vec3(3, 3, -0.5))).toBeCloseTo(1.5, 12);
  });
});
