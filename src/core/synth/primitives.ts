/**
 * Ray–primitive intersection for the procedural renderer, in the world frame (metres, z up).
 *
 * Rays are `origin + t·direction` with a direction that need NOT be unit length: the renderer passes
 * the camera-frame direction ((u − cx)/fx, (v − cy)/fy, 1) rotated to world, so that `t` is directly the
 * camera-frame depth z of the hit. With a unit direction, `t` is the distance in metres.
 *
 * Every `intersect*` returns the nearest hit with t > tMin, or null; the normal is the outward unit
 * normal of the surface (for the plane: the normal it was declared with), not flipped toward the ray.
 */

export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export function vec3(x: number, y: number, z: number): Vec3 {
  return { x, y, z };
}

export interface RayHit {
  /** Ray parameter of the hit: hit point = origin + t·direction. */
  readonly t: number;
  /** Outward unit surface normal at the hit, world frame. */
  readonly normal: Vec3;
}

/** Plane through `pointOnPlane` with unit normal `unitNormal`; infinite unless bounded. */
export interface PlaneShape {
  readonly kind: 'plane';
  readonly pointOnPlane: Vec3;
  readonly unitNormal: Vec3;
  /**
   * When set, hits with |x| or |y| (world) beyond this are misses: a finite floor patch, so that
   * cameras tilted toward the horizon do not fill the image with points tens of metres away.
   */
  readonly worldXYHalfExtentMetres?: number;
}

/** Box, axis-aligned in its own frame, that frame rotated by `yawRadians` about world z (counter-clockwise seen from above). */
export interface BoxShape {
  readonly kind: 'box';
  readonly centre: Vec3;
  readonly halfExtentsMetres: Vec3;
  readonly yawRadians: number;
}

export interface SphereShape {
  readonly kind: 'sphere';
  readonly centre: Vec3;
  readonly radiusMetres: number;
}

/** Solid cylinder with a vertical (world z) axis, closed by flat caps; `baseCentre` is the bottom cap's centre. */
export interface CylinderShape {
  readonly kind: 'cylinder';
  readonly baseCentre: Vec3;
  readonly radiusMetres: number;
  readonly heightMetres: number;
}

export type Shape = PlaneShape | BoxShape | SphereShape | CylinderShape;

export function intersectPlane(plane: PlaneShape, origin: Vec3, direction: Vec3, tMin: number): RayHit | null {
  const n = plane.unitNormal;
  const denominator = n.x * direction.x + n.y * direction.y + n.z * direction.z;
  if (denominator === 0) return null;
  const p = plane.pointOnPlane;
  const t = (n.x * (p.x - origin.x) + n.y * (p.y - origin.y) + n.z * (p.z - origin.z)) / denominator;
  if (!(t > tMin)) return null;
  const bound = plane.worldXYHalfExtentMetres;
  if (bound !== undefined) {
    const hitX = origin.x + t * direction.x;
    const hitY = origin.y + t * direction.y;
    if (Math.abs(hitX) > bound || Math.abs(hitY) > bound) return null;
  }
  return { t, normal: n };
}

export function intersectSphere(sphere: SphereShape, origin: Vec3, direction: Vec3, tMin: number): RayHit | null {
  const c = sphere.centre;
  const ox = origin.x - c.x;
  const oy = origin.y - c.y;
  const oz = origin.z - c.z;
  const a = direction.x * direction.x + direction.y * direction.y + direction.z * direction.z;
  const halfB = ox * direction.x + oy * direction.y + oz * direction.z;
  const cTerm = ox * ox + oy * oy + oz * oz - sphere.radiusMetres * sphere.radiusMetres;
  const discriminant = halfB * halfB - a * cTerm;
  if (discriminant < 0) return null;
  const root = Math.sqrt(discriminant);
  let t = (-halfB - root) / a;
  if (!(t > tMin)) t = (-halfB + root) / a;
  if (!(t > tMin)) return null;
  const r = sphere.radiusMetres;
  return {
    t,
    normal: vec3((ox + t * direction.x) / r, (oy + t * direction.y) / r, (oz + t * direction.z) / r),
  };
}

/** Slab test in the box's own frame; the ray is rotated by −yaw about the box centre. */
export function intersectBox(box: BoxShape, origin: Vec3, direction: Vec3, tMin: number): RayHit | null {
  const cosYaw = Math.cos(box.yawRadians);
  const sinYaw = Math.sin(box.yawRadians);
  const relX = origin.x - box.centre.x;
  const relY = origin.y - box.centre.y;
  const localOrigin = [cosYaw * relX + sinYaw * relY, -sinYaw * relX + cosYaw * relY, origin.z - box.centre.z] as const;
  const localDirection = [cosYaw * direction.x + sinYaw * direction.y, -sinYaw * direction.x + cosYaw * direction.y, direction.z] as const;
  const half = [box.halfExtentsMetres.x, box.halfExtentsMetres.y, box.halfExtentsMetres.z] as const;

  let tNear = -Infinity;
  let tFar = Infinity;
  let nearAxis = 0;
  let nearSign = 0;
  let farAxis = 0;
  let farSign = 0;
  for (let axis = 0; axis < 3; axis++) {
    const o = localOrigin[axis as 0 | 1 | 2];
    const d = localDirection[axis as 0 | 1 | 2];
    const h = half[axis as 0 | 1 | 2];
    if (d === 0) {
      if (o < -h || o > h) return null;
      continue;
    }
    let t0 = (-h - o) / d;
    let t1 = (h - o) / d;
    // Entering through the −h face when moving in +d, else through the +h face.
    let enterSign = -1;
    if (t0 > t1) {
      [t0, t1] = [t1, t0];
      enterSign = 1;
    }
    if (t0 > tNear) {
      tNear = t0;
      nearAxis = axis;
      nearSign = enterSign;
    }
    if (t1 < tFar) {
      tFar = t1;
      farAxis = axis;
      farSign = -enterSign;
    }
    if (tNear > tFar) return null;
  }
  let t: number;
  let axis: number;
  let sign: number;
  if (tNear > tMin) {
    [t, axis, sign] = [tNear, nearAxis, nearSign];
  } else if (tFar > tMin) {
    [t, axis, sign] = [tFar, farAxis, farSign];
  } else {
    return null;
  }
  const localNormal = [axis === 0 ? sign : 0, axis === 1 ? sign : 0, axis === 2 ? sign : 0] as const;
  return {
    t,
    normal: vec3(cosYaw * localNormal[0] - sinYaw * localNormal[1], sinYaw * localNormal[0] + cosYaw * localNormal[1], localNormal[2]),
  };
}

export function intersectCylinder(cylinder: CylinderShape, origin: Vec3, direction: Vec3, tMin: number): RayHit | null {
  const base = cylinder.baseCentre;
  const r = cylinder.radiusMetres;
  const bottomZ = base.z;
  const topZ = base.z + cylinder.heightMetres;
  const ox = origin.x - base.x;
  const oy = origin.y - base.y;
  let best: RayHit | null = null;

  // Side: solve |(o + t·d)_xy|² = r², keep hits between the caps.
  const a = direction.x * direction.x + direction.y * direction.y;
  if (a > 0) {
    const halfB = ox * direction.x + oy * direction.y;
    const cTerm = ox * ox + oy * oy - r * r;
    const discriminant = halfB * halfB - a * cTerm;
    if (discriminant >= 0) {
      const root = Math.sqrt(discriminant);
      for (const t of [(-halfB - root) / a, (-halfB + root) / a]) {
        if (!(t > tMin) || (best !== null && t >= best.t)) continue;
        const z = origin.z + t * direction.z;
        if (z < bottomZ || z > topZ) continue;
        best = { t, normal: vec3((ox + t * direction.x) / r, (oy + t * direction.y) / r, 0) };
      }
    }
  }

  // Caps: planes z = bottom and z = top, inside the radius.
  if (direction.z !== 0) {
    for (const [capZ, normalZ] of [
      [bottomZ, -1],
      [topZ, 1],
    ] as const) {
      const t = (capZ - origin.z) / direction.z;
      if (!(t > tMin) || (best !== null && t >= best.t)) continue;
      const px = ox + t * direction.x;
      const py = oy + t * direction.y;
      if (px * px + py * py > r * r) continue;
      best = { t, normal: vec3(0, 0, normalZ) };
    }
  }
  return best;
}

export function intersectShape(shape: Shape, origin: Vec3, direction: Vec3, tMin: number): RayHit | null {
  switch (shape.kind) {
    case 'plane':
      return intersectPlane(shape, origin, direction, tMin);
    case 'box':
      return intersectBox(shape, origin, direction, tMin);
    case 'sphere':
      return intersectSphere(shape, origin, direction, tMin);
    case 'cylinder':
      return intersectCylinder(shape, origin, direction, tMin);
  }
}

/** Point in the box's own (unrotated, centred) frame. */
export function worldToBoxLocal(box: BoxShape, point: Vec3): Vec3 {
  const cosYaw = Math.cos(box.yawRadians);
  const sinYaw = Math.sin(box.yawRadians);
  const relX = point.x - box.centre.x;
  const relY = point.y - box.centre.y;
  return vec3(cosYaw * relX + sinYaw * relY, -sinYaw * relX + cosYaw * relY, point.z - box.centre.z);
}

/**
 * Unsigned distance (metres) from `point` to the surface of `shape` (inside or outside).
 * For the plane its bound is ignored. Used to check that back-projected depth lands on geometry.
 */
export function distanceToSurfaceMetres(shape: Shape, point: Vec3): number {
  switch (shape.kind) {
    case 'plane': {
      const n = shape.unitNormal;
      const p = shape.pointOnPlane;
      return Math.abs(n.x * (point.x - p.x) + n.y * (point.y - p.y) + n.z * (point.z - p.z));
    }
    case 'sphere':
      return Math.abs(Math.hypot(point.x - shape.centre.x, point.y - shape.centre.y, point.z - shape.centre.z) - shape.radiusMetres);
    case 'box': {
      const local = worldToBoxLocal(shape, point);
      const h = shape.halfExtentsMetres;
      return boxLikeDistance([Math.abs(local.x) - h.x, Math.abs(local.y) - h.y, Math.abs(local.z) - h.z]);
    }
    case 'cylinder': {
      const halfHeight = shape.heightMetres / 2;
      const radial = Math.hypot(point.x - shape.baseCentre.x, point.y - shape.baseCentre.y);
      const axial = point.z - (shape.baseCentre.z + halfHeight);
      return boxLikeDistance([radial - shape.radiusMetres, Math.abs(axial) - halfHeight]);
    }
  }
}

/** |SDF| of a box given per-axis excesses q = |p| − halfExtent (2-D for a cylinder's radial/axial profile). */
function boxLikeDistance(excess: readonly number[]): number {
  let outsideSquared = 0;
  let largest = -Infinity;
  for (const q of excess) {
    if (q > 0) outsideSquared += q * q;
    largest = Math.max(largest, q);
  }
  return largest > 0 ? Math.sqrt(outsideSquared) : -largest;
}
