/**
 * Framing a cloud for the viewer: robust bounds (so a few stray points do not shrink the cloud to a
 * dot), which world axis is up when the file does not say, and the framed start view.
 *
 * All in plain numbers (metres, world frame); the scene worker computes bounds and up over the big
 * arrays, the render layer only turns the small results into a three.js camera.
 */
import { fitDominantPlane } from '../teacher/planeRansac.ts';
import type { Bounds3 } from '../lift/pointCloud.ts';
import { fitDistance, type Vec3 } from './cameraMath.ts';

/** Per-axis quantiles of the robust bounds: 1st–99th percentile. */
export const ROBUST_QUANTILES = { low: 0.01, high: 0.99 } as const;
/** Points looked at for quantiles and the up axis: evenly strided, so a 10⁷-point cloud costs like 2·10⁵. */
const MAX_SAMPLES = 200_000;

function strided(count: number, max: number): { step: number; samples: number } {
  const step = Math.max(1, Math.ceil(count / max));
  return { step, samples: Math.ceil(count / step) };
}

/**
 * Per-axis quantile box of the finite points: min = `low` quantile, max = `high` quantile, centroid =
 * the per-axis median (not the mean: one far outlier moves a mean). Quantile q of n sorted values is
 * the value at index floor(q·(n − 1)).
 */
export function robustBounds(positions: Float32Array, count: number, quantiles: { low: number; high: number } = ROBUST_QUANTILES): Bounds3 {
  const { step, samples } = strided(count, MAX_SAMPLES);
  const min: Vec3 = [0, 0, 0];
  const max: Vec3 = [0, 0, 0];
  const centroid: Vec3 = [0, 0, 0];
  const values = new Float32Array(samples);
  for (let a = 0; a < 3; a++) {
    let n = 0;
    for (let i = 0; i < count; i += step) {
      const v = positions[i * 3 + a]!;
      if (Number.isFinite(v)) values[n++] = v;
    }
    if (n === 0) continue;
    const sorted = values.subarray(0, n).sort();
    const at = (q: number) => sorted[Math.floor(q * (n - 1))]!;
    [min[a], max[a], centroid[a]] = [at(quantiles.low), at(quantiles.high), at(0.5)];
  }
  return { min, max, centroid };
}

/** The up directions a user can pick (a leading "-" means the negative axis). */
export const UP_AXES = ['y', '-y', 'z', '-z'] as const;
export type UpAxis = (typeof UP_AXES)[number];

export function isUpAxis(value: unknown): value is UpAxis {
  return (UP_AXES as readonly unknown[]).includes(value);
}

export function upVector(axis: UpAxis): Vec3 {
  const sign = axis.startsWith('-') ? -1 : 1;
  return axis.endsWith('y') ? [0, sign, 0] : [0, 0, sign];
}

/** "+z", "−y": for labels. */
export function upAxisLabel(axis: UpAxis): string {
  return axis.startsWith('-') ? `−${axis.slice(1)}` : `+${axis}`;
}

export interface DetectedUp {
  readonly axis: UpAxis;
  /** Why, for the scene panel: "support plane" or "camera convention (no plane found)". */
  readonly reason: string;
}

/** A support plane is taken as the floor / table when its normal is this close to a world axis. */
const MAX_TILT_DEG = 25;
/** … it holds at least this fraction of the points, */
const MIN_PLANE_FRACTION = 0.15;
/** … at least this fraction of the points off it lie on one side (the plane bounds the cloud), */
const MIN_ONE_SIDED = 0.95;
/** … and its inliers' robust extent covers at least this fraction of the cloud's, along each horizontal axis. */
const MIN_PLANE_COVER = 0.5;
const UP_SAMPLES = 50_000;

/** Robust extent (1st–99th percentile) of the sampled points `which` along `axis`. */
function extentOf(sample: Float32Array, samples: number, axis: number, which: (s: number) => boolean): number {
  const values: number[] = [];
  for (let s = 0; s < samples; s++) if (which(s)) values.push(sample[s * 3 + axis]!);
  if (values.length < 2) return 0;
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.floor(q * (values.length - 1))]!;
  return at(ROBUST_QUANTILES.high) - at(ROBUST_QUANTILES.low);
}

/**
 * Up axis of a cloud without cameras or a stated world up.
 *
 * Prior: −y, the convention of clouds lifted from RGB-D frames (Open3D, 3DMatch, TUM, Redwood keep
 * the first camera's frame: x right, y down, z forward), so its "up" is the image's up.
 *
 * Evidence that overrides it: a floor (or table top) seen from above. The dominant plane (RANSAC,
 * inliers within 1 % of the robust diagonal) counts as one only if all of these hold, because a
 * wall facing the camera is just as planar and just as axis-aligned, and must not win:
 *  - its normal is within 25° of the y or z axis, and it holds ≥ 15 % of the points;
 *  - it bounds the cloud: ≥ 95 % of the points off it lie on one side (things rest on a floor;
 *    nothing is under it), which also puts it at the cloud's extreme along its normal;
 *  - it is large: its inliers span ≥ 50 % of the cloud's robust extent along both axes in the
 *    plane (a floor runs under the whole scene; a picture or table top in front of a wall does not).
 *  - it is not what a camera at the origin looks straight at: a plane facing ±z (the prior's
 *    optical axis) whose points lie between it and the origin, the origin outside the cloud's
 *    z range, is a wall with things in front of it (a z-up world has its origin on or above its
 *    floor, within the cloud's height, not beyond the things resting on the floor).
 * Up is then the side of the plane that holds the points. Anything else — points on both sides, a
 * patch that spans little of the cloud, a wall facing the camera — keeps the prior.
 */
export function detectUpAxis(positions: Float32Array, count: number, bounds: Bounds3 = robustBounds(positions, count)): DetectedUp {
  const fallback: DetectedUp = { axis: '-y', reason: 'camera convention, no floor-like support plane found' };
  const { step, samples } = strided(count, UP_SAMPLES);
  if (samples < 3) return fallback;
  const sample = new Float32Array(samples * 3);
  for (let i = 0, s = 0; i < count; i += step, s++) sample.set(positions.subarray(i * 3, i * 3 + 3), s * 3);
  const diagonal = Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
  if (!(diagonal > 0)) return fallback;
  const fit = fitDominantPlane(sample, null, { inlierDistance: 0.01 * diagonal });
  if (!fit || fit.inlierCount < MIN_PLANE_FRACTION * samples) return fallback;
  const n = fit.plane.normal;
  const cosTilt = Math.cos((MAX_TILT_DEG * Math.PI) / 180);
  const axisIndex = Math.abs(n[1]) >= cosTilt ? 1 : Math.abs(n[2]) >= cosTilt ? 2 : null;
  if (axisIndex === null) return fallback;
  // Signed distance along +axis: n·p + offset has the sign of n[axis] along +axis.
  const sign = Math.sign(n[axisIndex]);
  let above = 0;
  let below = 0;
  for (let s = 0; s < samples; s++) {
    if (fit.inliers[s]) continue;
    const d = sign * (n[0] * sample[s * 3]! + n[1] * sample[s * 3 + 1]! + n[2] * sample[s * 3 + 2]! + fit.plane.offset);
    if (d > 0) above++;
    else if (d < 0) below++;
  }
  if (above + below === 0 || Math.max(above, below) < MIN_ONE_SIDED * (above + below)) return fallback;
  // Under the prior, z is the optical axis and the camera sits at the origin: a z-facing plane with
  // the points between it and the origin is a wall (or table) the camera looks straight at.
  const pointsTowardPlusZ = above > below;
  const originBeyondPoints = pointsTowardPlusZ ? bounds.max[2] < 0 : bounds.min[2] > 0;
  if (axisIndex === 2 && originBeyondPoints) {
    return { axis: '-y', reason: 'camera convention: the dominant plane faces the camera like a wall' };
  }
  const inPlane = [0, 1, 2].filter((a) => a !== axisIndex);
  const large = inPlane.every((a) => extentOf(sample, samples, a, (s) => fit.inliers[s] === 1) >= MIN_PLANE_COVER * (bounds.max[a]! - bounds.min[a]!));
  if (!large) return fallback;
  const name = axisIndex === 1 ? 'y' : 'z';
  return { axis: above > below ? name : `-${name}`, reason: 'floor-like support plane under the points' };
}

export interface FramedView {
  /** Eye and orbit target, metres, world frame. */
  readonly position: Vec3;
  readonly target: Vec3;
  /** Distance from the eye to the target. */
  readonly distance: number;
}

/** Degrees the start view looks down from the horizontal. */
export const START_ELEVATION_DEG = 30;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const normalised = (v: Vec3): Vec3 => {
  const length = Math.hypot(...v);
  return [v[0] / length, v[1] / length, v[2] / length];
};

/** Horizontal (⟂ up) part of `v`, normalised; a fixed horizontal direction when `v` is (anti)parallel to up. */
export function horizontalDirection(v: Vec3, up: Vec3): Vec3 {
  const u = normalised(up);
  const k = dot(v, u);
  const h: Vec3 = [v[0] - k * u[0], v[1] - k * u[1], v[2] - k * u[2]];
  if (Math.hypot(...h) > 1e-6) return normalised(h);
  // Any axis not along up, made horizontal.
  const other: Vec3 = Math.abs(u[2]) < 0.9 ? [0, 0, 1] : [0, 1, 0];
  const j = dot(other, u);
  return normalised([other[0] - j * u[0], other[1] - j * u[1], other[2] - j * u[2]]);
}

/**
 * The start view: looking at the box's centre along `forward` made horizontal and tilted down by
 * `elevationDeg` (so the viewer is above the cloud, never below it), far enough back that the box's
 * bounding sphere fits a `fovDeg` × `aspect` view.
 */
export function framedView(
  box: { min: readonly number[]; max: readonly number[] },
  up: Vec3,
  forward: Vec3,
  aspect: number,
  fovDeg: number,
  elevationDeg = START_ELEVATION_DEG,
): FramedView {
  const target: Vec3 = [0, 1, 2].map((a) => (box.min[a]! + box.max[a]!) / 2) as Vec3;
  const radius = Math.hypot(box.max[0]! - box.min[0]!, box.max[1]! - box.min[1]!, box.max[2]! - box.min[2]!) / 2;
  return viewAt(target, fitDistance(radius, fovDeg, aspect), up, forward, elevationDeg);
}

/** Looking at `target` from `distance` away, along `forward` made horizontal and tilted down by `elevationDeg`. */
export function viewAt(target: Vec3, distance: number, up: Vec3, forward: Vec3, elevationDeg = START_ELEVATION_DEG): FramedView {
  const h = horizontalDirection(forward, up);
  const u = normalised(up);
  const e = (elevationDeg * Math.PI) / 180;
  const look: Vec3 = [0, 1, 2].map((a) => Math.cos(e) * h[a]! - Math.sin(e) * u[a]!) as Vec3;
  const position: Vec3 = [0, 1, 2].map((a) => target[a]! - distance * look[a]!) as Vec3;
  return { position, target: [...target], distance };
}

/** An input camera: its centre and viewing direction (its +z axis), world frame, metres. */
export interface CameraRay {
  readonly centre: Vec3;
  readonly forward: Vec3;
}

/**
 * What several input cameras look at: the point nearest (least squares) to all their optical axes,
 * and the median distance of the cameras from it. A posed capture's start view looks at that point
 * from that distance, so it shows what the capture is about (the objects on a table) at the scale
 * the cameras saw it, rather than the whole room a robust box of all points would frame. Null with
 * fewer than two cameras, near-parallel axes, or a point behind any camera.
 */
export function cameraFocus(cameras: readonly CameraRay[]): { target: Vec3; distance: number } | null {
  if (cameras.length < 2) return null;
  // Σ (I − d dᵀ) p = Σ (I − d dᵀ) c
  const a = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const b = [0, 0, 0];
  for (const { centre: c, forward } of cameras) {
    const d = normalised(forward);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const m = (i === j ? 1 : 0) - d[i]! * d[j]!;
        a[3 * i + j]! += m;
        b[i]! += m * c[j]!;
      }
    }
  }
  const detOf = (m: readonly number[]): number =>
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const det = detOf(a);
  // det is a product of three eigenvalues, each ≤ cameras.length: near zero means near-parallel axes.
  if (!(Math.abs(det) > 1e-3 * cameras.length ** 3)) return null;
  // Cramer's rule: column k of the matrix replaced by b.
  const column = (k: number): number[] => a.map((v, idx) => (idx % 3 === k ? b[Math.floor(idx / 3)]! : v));
  const target: Vec3 = [detOf(column(0)) / det, detOf(column(1)) / det, detOf(column(2)) / det];
  const distances: number[] = [];
  for (const { centre: c, forward } of cameras) {
    const v: Vec3 = [target[0] - c[0], target[1] - c[1], target[2] - c[2]];
    if (dot(v, normalised(forward)) <= 0) return null;
    distances.push(Math.hypot(...v));
  }
  distances.sort((x, y) => x - y);
  return { target, distance: distances[Math.floor(distances.length / 2)]! };
}

/** Least horizontal angle (degrees) the start view keeps between its eye and any input camera, seen from the target. */
export const MIN_CAMERA_CLEARANCE_DEG = 40;

/**
 * A start direction whose eye is not behind an input camera: `forward` made horizontal, turned
 * about `up` by the smallest multiple of 15° that keeps the eye (which sits opposite the look
 * direction) at least 40° in azimuth from every camera centre as seen from `target` — or, when no
 * turn does, the turn with the most clearance. Behind a camera, its frustum and thumbnail would sit
 * between the eye and the scene and cover what the camera looks at.
 */
export function clearStartDirection(forward: Vec3, up: Vec3, target: Vec3, cameraCentres: readonly Vec3[]): Vec3 {
  const u = normalised(up);
  const h = horizontalDirection(forward, u);
  const side: Vec3 = [u[1] * h[2] - u[2] * h[1], u[2] * h[0] - u[0] * h[2], u[0] * h[1] - u[1] * h[0]];
  const toCameras = cameraCentres
    .map((c): Vec3 => [c[0] - target[0], c[1] - target[1], c[2] - target[2]])
    .filter((v) => Math.hypot(...v) - Math.abs(dot(v, u)) > 1e-9)
    .map((v) => horizontalDirection(v, u));
  let best = { direction: h, clearance: -Infinity };
  for (const degrees of [0, 15, -15, 30, -30, 45, -45, 60, -60, 75, -75, 90, -90, 105, -105, 120, -120, 135, -135, 150, -150, 165, -165, 180]) {
    const a = (degrees * Math.PI) / 180;
    const direction: Vec3 = [0, 1, 2].map((i) => Math.cos(a) * h[i]! + Math.sin(a) * side[i]!) as Vec3;
    // The eye sits at −direction from the target.
    const clearance = Math.min(...toCameras.map((c) => (Math.acos(Math.max(-1, Math.min(1, -dot(direction, c)))) * 180) / Math.PI), 180);
    if (clearance >= MIN_CAMERA_CLEARANCE_DEG) return direction;
    if (clearance > best.clearance) best = { direction, clearance };
  }
  return best.direction;
}

/**
 * What *Fit* frames: the full box of the cloud (every point, outliers included) grown to hold the
 * input cameras' centres, so after a Fit everything the scene holds is on screen — the cloud and the
 * cameras that saw it. (The start view frames the robust box instead: a few stray points must not
 * shrink the cloud a user first sees.)
 */
export function fitBox(full: { min: readonly number[]; max: readonly number[] }, cameraCentres: readonly Vec3[]): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [full.min[0]!, full.min[1]!, full.min[2]!];
  const max: Vec3 = [full.max[0]!, full.max[1]!, full.max[2]!];
  for (const c of cameraCentres) {
    for (let a = 0; a < 3; a++) {
      if (!Number.isFinite(c[a])) continue;
      min[a] = Math.min(min[a]!, c[a]!);
      max[a] = Math.max(max[a]!, c[a]!);
    }
  }
  return { min, max };
}

/** Scale factors the scene panel offers for a cloud whose size is implausible in metres. */
export interface UnitScale {
  readonly label: string;
  readonly factor: number;
}

/** Longest robust extent (metres) above which a cloud is probably not in metres … */
export const MAX_PLAUSIBLE_EXTENT_M = 200;
/** … and below which. */
export const MIN_PLAUSIBLE_EXTENT_M = 0.01;

/**
 * A warning and the unit scales to offer when the cloud's longest robust extent is implausible for
 * metres (> 200 m: probably millimetres or centimetres; < 1 cm: probably kilometres or a normalised
 * cloud), or null when it is plausible.
 */
export function implausibleExtent(box: { min: readonly number[]; max: readonly number[] }): { message: string; scales: readonly UnitScale[] } | null {
  const extent = Math.max(box.max[0]! - box.min[0]!, box.max[1]! - box.min[1]!, box.max[2]! - box.min[2]!);
  const shown = extent >= 1 ? `${extent.toFixed(0)} m` : `${(extent * 1000).toPrecision(2)} mm`;
  if (extent > MAX_PLAUSIBLE_EXTENT_M) {
    return {
      message: `The cloud is ${shown} across — implausible for metres; its units are probably millimetres or centimetres.`,
      scales: [
        { label: 'mm → m', factor: 0.001 },
        { label: 'cm → m', factor: 0.01 },
      ],
    };
  }
  if (extent > 0 && extent < MIN_PLAUSIBLE_EXTENT_M) {
    return {
      message: `The cloud is ${shown} across — implausibly small for metres.`,
      scales: [
        { label: '× 100', factor: 100 },
        { label: 'km → m', factor: 1000 },
      ],
    };
  }
  return null;
}

/** Least angle (degrees) a focus view keeps between its direction and the horizontal. */
export const MIN_FOCUS_ELEVATION_DEG = 20;

/**
 * The viewing direction for framing one object from the side the current view is on: the current
 * direction `look`, but at least `minElevationDeg` away from the horizontal on the same side of the
 * up axis (looking down stays looking down, steeply enough that the eye is above what it frames, so
 * it never ends up inside or under a table top; a level view counts as looking down).
 */
export function focusDirection(look: Vec3, up: Vec3, minElevationDeg = MIN_FOCUS_ELEVATION_DEG): Vec3 {
  const u = normalised(up);
  const l = normalised(look);
  const vertical = dot(l, u);
  const side = vertical > 0 ? 1 : -1;
  const elevation = Math.max(Math.asin(Math.min(1, Math.abs(vertical))), (minElevationDeg * Math.PI) / 180);
  const h = horizontalDirection(l, u);
  return [0, 1, 2].map((a) => Math.cos(elevation) * h[a]! + side * Math.sin(elevation) * u[a]!) as Vec3;
}
