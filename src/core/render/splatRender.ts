/**
 * Point splatting renderer: projects a world-frame cloud (metres) into any pinhole camera (OpenCV
 * frame: x right, y down, z forward) and writes RGB, depth (metres), optional D-channel features and
 * optional per-point scalars (e.g. relevancy) with a z-buffer depth test.
 *
 * Splat size: each point covers a square of side ceil(pointSpacingMetres · fx / z) pixels, i.e. its
 * world footprint projected at its depth. Hole filling is nearest-valid: an empty pixel whose
 * 3×3 neighbourhood holds covered pixels takes the nearest-depth (front-most) neighbour, so fills
 * never bleed background through foreground edges. Pure TypeScript, runs in Node and workers.
 *
 * Optional depth blending (`blendRelative` > 0, an ε-z-buffer as in surface splatting): every point
 * whose splat reaches a pixel within (1 + blendRelative) × the front-most depth there contributes to
 * that pixel's depth and colour (their mean). Fused multi-view captures hold several noisy samples
 * of one surface; the plain depth test keeps the nearest of them (biased towards the camera by the
 * sensor noise), the blend their average. The index image still names the front-most point.
 */
import type { CameraToWorld, PinholeIntrinsics } from '../units.ts';

export interface SplatInput {
  readonly count: number;
  /** xyz metres, world frame; length 3·count. */
  readonly positions: Float32Array;
  /** rgb 0..255; length 3·count. */
  readonly colors: Uint8Array;
  /** Optional row-major [count, featureDim] features. */
  readonly features?: Float32Array;
  readonly featureDim?: number;
  /** Optional per-point scalar (relevancy); length count. */
  readonly scalars?: Float32Array;
}

export interface SplatOptions {
  readonly intrinsics: PinholeIntrinsics;
  readonly cameraToWorld: CameraToWorld;
  /** Typical spacing between neighbouring points in metres; sets splat size. 0 → 1-pixel splats. */
  readonly pointSpacingMetres?: number;
  readonly fillHoles?: boolean;
  /** Depth tolerance of the blend, as a fraction of the front-most depth; 0 (default) = plain depth test. */
  readonly blendRelative?: number;
}

export interface SplatImages {
  readonly width: number;
  readonly height: number;
  /** rgb 0..255, row-major; uncovered pixels 0. */
  readonly rgb: Uint8Array;
  /** Metres along the optical axis; 0 where uncovered. */
  readonly depthMetres: Float32Array;
  /** Index of the point drawn at each pixel; -1 where uncovered. */
  readonly pointIndex: Int32Array;
  /** [height·width, featureDim] when features were given. */
  readonly features?: Float32Array;
  /** Per-pixel scalar when scalars were given; NaN where uncovered. */
  readonly scalars?: Float32Array;
}

/** World-to-camera rows from a row-major camera-to-world rigid transform. */
function worldToCamera(c2w: CameraToWorld): number[] {
  const r = c2w;
  const t = [r[3]!, r[7]!, r[11]!];
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const rx = r[i]!,
      ry = r[4 + i]!,
      rz = r[8 + i]!; // column i of R = row i of Rᵀ
    out.push(rx, ry, rz, -(rx * t[0]! + ry * t[1]! + rz * t[2]!));
  }
  return out;
}

/** Calls `visit(pixel, depth, point)` for every pixel of every point's splat. */
function forEachSplatPixel(cloud: SplatInput, options: SplatOptions, visit: (k: number, zc: number, i: number) => void): void {
  const { width, height, fx, fy, cx, cy } = options.intrinsics;
  const m = worldToCamera(options.cameraToWorld);
  const spacing = options.pointSpacingMetres ?? 0;
  const p = cloud.positions;
  for (let i = 0; i < cloud.count; i++) {
    const x = p[3 * i]!,
      y = p[3 * i + 1]!,
      z = p[3 * i + 2]!;
    const zc = m[8]! * x + m[9]! * y + m[10]! * z + m[11]!;
    if (!(zc > 1e-6)) continue;
    const u = (fx * (m[0]! * x + m[1]! * y + m[2]! * z + m[3]!)) / zc + cx;
    const v = (fy * (m[4]! * x + m[5]! * y + m[6]! * z + m[7]!)) / zc + cy;
    const side = Math.max(1, Math.ceil((spacing * fx) / zc));
    // OpenCV: pixel centres at integer coordinates, so the covering pixel is the rounded one.
    const u0 = Math.round(u - (side - 1) / 2),
      v0 = Math.round(v - (side - 1) / 2);
    for (let dv = 0; dv < side; dv++) {
      const py = v0 + dv;
      if (py < 0 || py >= height) continue;
      for (let du = 0; du < side; du++) {
        const px = u0 + du;
        if (px < 0 || px >= width) continue;
        visit(py * width + px, zc, i);
      }
    }
  }
}

export function renderSplats(cloud: SplatInput, options: SplatOptions): SplatImages {
  const { width, height } = options.intrinsics;
  const n = width * height;
  const depth = new Float32Array(n).fill(Infinity);
  const index = new Int32Array(n).fill(-1);
  forEachSplatPixel(cloud, options, (k, zc, i) => {
    if (zc < depth[k]!) {
      depth[k] = zc;
      index[k] = i;
    }
  });
  const blended = (options.blendRelative ?? 0) > 0 ? blend(cloud, options, depth) : null;
  const source = Int32Array.from({ length: n }, (_, k) => (index[k]! >= 0 ? k : -1));
  if (options.fillHoles ?? true) fillNearestValid(depth, index, source, width, height);
  return resolve(cloud, depth, index, source, blended, width, height);
}

/** Mean depth and colour per pixel of the splats within the blend tolerance of the front-most depth. */
function blend(cloud: SplatInput, options: SplatOptions, front: Float32Array): { depth: Float32Array; rgb: Uint8Array } {
  const limit = 1 + options.blendRelative!;
  const n = front.length;
  const sums = new Float64Array(4 * n);
  const counts = new Uint32Array(n);
  forEachSplatPixel(cloud, options, (k, zc, i) => {
    if (zc > front[k]! * limit) return;
    sums[4 * k] = sums[4 * k]! + zc;
    sums[4 * k + 1] = sums[4 * k + 1]! + cloud.colors[3 * i]!;
    sums[4 * k + 2] = sums[4 * k + 2]! + cloud.colors[3 * i + 1]!;
    sums[4 * k + 3] = sums[4 * k + 3]! + cloud.colors[3 * i + 2]!;
    counts[k]!++;
  });
  const depth = new Float32Array(n);
  const rgb = new Uint8Array(3 * n);
  for (let k = 0; k < n; k++) {
    const c = counts[k]!;
    if (c === 0) continue;
    depth[k] = sums[4 * k]! / c;
    for (let ch = 0; ch < 3; ch++) rgb[3 * k + ch] = Math.round(sums[4 * k + 1 + ch]! / c);
  }
  return { depth, rgb };
}

/**
 * One pass: empty pixels take the front-most covered 3×3 neighbour when ≥ 3 neighbours are covered;
 * `source` records the pixel each one took its values from.
 */
function fillNearestValid(depth: Float32Array, index: Int32Array, source: Int32Array, width: number, height: number): void {
  const srcDepth = depth.slice();
  const srcIndex = index.slice();
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const k = y * width + x;
      if (srcIndex[k]! >= 0) continue;
      let best = Infinity,
        bestI = -1,
        bestK = -1,
        covered = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const j = k + dy * width + dx;
          if (srcIndex[j]! < 0) continue;
          covered++;
          if (srcDepth[j]! < best) {
            best = srcDepth[j]!;
            bestI = srcIndex[j]!;
            bestK = j;
          }
        }
      }
      if (covered >= 3) {
        depth[k] = best;
        index[k] = bestI;
        source[k] = bestK;
      }
    }
  }
}

function resolve(
  cloud: SplatInput,
  depth: Float32Array,
  index: Int32Array,
  source: Int32Array,
  blended: { depth: Float32Array; rgb: Uint8Array } | null,
  width: number,
  height: number,
): SplatImages {
  const n = width * height;
  const rgb = new Uint8Array(3 * n);
  const d = cloud.featureDim ?? 0;
  const features = cloud.features && d > 0 ? new Float32Array(n * d) : undefined;
  const scalars = cloud.scalars ? new Float32Array(n).fill(NaN) : undefined;
  for (let k = 0; k < n; k++) {
    const i = index[k]!;
    if (i < 0) {
      depth[k] = 0;
      continue;
    }
    if (blended) {
      const from = source[k]!;
      depth[k] = blended.depth[from]!;
      rgb.set(blended.rgb.subarray(3 * from, 3 * from + 3), 3 * k);
    } else {
      rgb[3 * k] = cloud.colors[3 * i]!;
      rgb[3 * k + 1] = cloud.colors[3 * i + 1]!;
      rgb[3 * k + 2] = cloud.colors[3 * i + 2]!;
    }
    if (features) features.set(cloud.features!.subarray(i * d, i * d + d), k * d);
    if (scalars) scalars[k] = cloud.scalars![i]!;
  }
  return { width, height, rgb, depthMetres: depth, pointIndex: index, features, scalars };
}
