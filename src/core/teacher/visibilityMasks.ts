/**
 * Where each segment shows in each view (DROP-CLIP `fuse_obj_prior`): project the points into the view
 * (OpenCV pinhole, camera-to-world pose inverted), round to the pixel, and keep the point when the
 * view's measured depth there agrees with its own camera-frame z: |D(u, v) − z| ≤ tolerance
 * (0.05 m by default). The visible points paint their segment's mask; where several land on one pixel
 * the nearest wins.
 */
import type { MetricDepth, CameraToWorld, PinholeIntrinsics } from '../units.ts';

export const DEFAULT_VISIBILITY_TOLERANCE_METRES = 0.05;

export interface ViewGeometry {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
  readonly depth: MetricDepth;
}

/** Projects world point i into the view: its pixel index, or −1 when outside, behind or occluded. */
export type PointProjector = (positions: Float32Array, i: number) => number;

/** A projector with its world-to-camera transform precomputed (R^T, −R^T t). */
export function visiblePixelProjector(view: ViewGeometry, tolerance = DEFAULT_VISIBILITY_TOLERANCE_METRES): PointProjector & { lastZ: () => number } {
  const m = view.cameraToWorld;
  const { fx, fy, cx, cy, width, height } = view.intrinsics;
  const depth = view.depth.metres;
  const [r00, r01, r02, tx, r10, r11, r12, ty, r20, r21, r22, tz] = [m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!, m[8]!, m[9]!, m[10]!, m[11]!];
  let z = 0;
  const project = (positions: Float32Array, i: number): number => {
    const dx = positions[i * 3]! - tx;
    const dy = positions[i * 3 + 1]! - ty;
    const dz = positions[i * 3 + 2]! - tz;
    // camera = Rᵀ (world − t)
    const xc = r00 * dx + r10 * dy + r20 * dz;
    const yc = r01 * dx + r11 * dy + r21 * dz;
    z = r02 * dx + r12 * dy + r22 * dz;
    if (!(z > 0)) return -1;
    const u = Math.round((xc / z) * fx + cx);
    const v = Math.round((yc / z) * fy + cy);
    if (u < 0 || v < 0 || u >= width || v >= height) return -1;
    const pixel = v * width + u;
    const measured = depth[pixel]!;
    return measured > 0 && Math.abs(measured - z) <= tolerance ? pixel : -1;
  };
  return Object.assign(project, { lastZ: () => z });
}

export interface SegmentMasks {
  readonly width: number;
  readonly height: number;
  /** Segment id per pixel, −1 = none. */
  readonly pixelSegment: Int32Array;
  /** Pixels per segment. */
  readonly pixelCounts: Uint32Array;
}

/** Per-pixel segment masks of one view from the segmented cloud. */
export function segmentMasksInView(
  positions: Float32Array,
  segmentOfPoint: Int32Array,
  segmentCount: number,
  view: ViewGeometry,
  tolerance = DEFAULT_VISIBILITY_TOLERANCE_METRES,
): SegmentMasks {
  const { width, height } = view.intrinsics;
  const pixelSegment = new Int32Array(width * height).fill(-1);
  const nearest = new Float32Array(width * height).fill(Infinity);
  const project = visiblePixelProjector(view, tolerance);
  for (let i = 0; i < segmentOfPoint.length; i++) {
    const segment = segmentOfPoint[i]!;
    if (segment < 0) continue;
    const pixel = project(positions, i);
    if (pixel < 0) continue;
    const z = project.lastZ();
    if (z < nearest[pixel]!) {
      nearest[pixel] = z;
      pixelSegment[pixel] = segment;
    }
  }
  const pixelCounts = new Uint32Array(segmentCount);
  for (const s of pixelSegment) if (s >= 0) pixelCounts[s] = pixelCounts[s]! + 1;
  return { width, height, pixelSegment, pixelCounts };
}
