import { describe, expect, it } from 'vitest';
import { asCameraToWorld, IDENTITY_POSE } from '../units.ts';
import { conceptFusionMix, multiScaleTiles, tileBaselineFeatures, tilePixelFeatures } from './baselines.ts';
import { fuseEmbeddings, fusionWeights, meanEmbedding, normalised, type ViewObservation } from './fusion.ts';
import { fitDominantPlane } from './planeRansac.ts';
import { segmentMasksInView, visiblePixelProjector, type ViewGeometry } from './visibilityMasks.ts';
import { segmentBoxes, whitenedSquareCrop } from './whitenedCrops.ts';

/** 4×4 camera at the origin looking down +z, fx = fy = 2, principal point at the image centre; a wall at 1 m. */
const WALL: ViewGeometry = {
  intrinsics: { width: 4, height: 4, fx: 2, fy: 2, cx: 1.5, cy: 1.5 },
  cameraToWorld: IDENTITY_POSE,
  depth: { width: 4, height: 4, metres: new Float32Array(16).fill(1) },
};

describe('visibility by the depth test |D − z| ≤ 0.05 m', () => {
  it('projects, and keeps only points whose z agrees with the measured depth', () => {
    const project = visiblePixelProjector(WALL);
    // (x, y, z) → u = x/z·2 + 1.5, v = y/z·2 + 1.5, rounded.
    const p = Float32Array.from([0.3, -0.3, 1, 0.3, -0.3, 1.04, 0.3, -0.3, 1.06, 0, 0, -1, 5, 0, 1, 0.3, -0.3, 0.949]);
    expect(project(p, 0)).toBe(1 * 4 + 2); // u = 2.1 → 2, v = 0.9 → 1
    expect(project(p, 1)).toBe(1 * 4 + 2); // 4 cm behind the wall: still visible
    expect(project(p, 2)).toBe(-1); // 6 cm behind: occluded
    expect(project(p, 3)).toBe(-1); // behind the camera
    expect(project(p, 4)).toBe(-1); // outside the image
    expect(project(p, 5)).toBe(-1); // 5.1 cm in front of the measured surface
    expect(visiblePixelProjector(WALL, 0.1)(p, 2)).toBe(1 * 4 + 2);
  });

  it('uses the inverse of the camera-to-world pose', () => {
    // Camera moved to x = 1: a world point at x = 1.3 is at camera x = 0.3.
    const moved: ViewGeometry = { ...WALL, cameraToWorld: asCameraToWorld([1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) };
    expect(visiblePixelProjector(moved)(Float32Array.from([1.3, -0.3, 1]), 0)).toBe(6);
  });

  it('paints per-segment masks; the nearer point wins a shared pixel', () => {
    const p = Float32Array.from([0.3, -0.3, 1.03, 0.3, -0.3, 0.99, -0.3, 0.3, 1, 0.3, 0.3, 1]);
    const masks = segmentMasksInView(p, Int32Array.from([0, 1, 1, -1]), 2, WALL);
    expect(masks.pixelSegment[6]).toBe(1);
    expect(masks.pixelSegment[2 * 4 + 1]).toBe(1);
    expect(masks.pixelSegment[2 * 4 + 2]).toBe(-1); // a point in no segment paints nothing
    expect([...masks.pixelCounts]).toEqual([0, 2]);
  });
});

describe('whitened square crops', () => {
  it('crops the mask bounding box padded to a square, everything else white', () => {
    const masks = {
      width: 4,
      height: 4,
      pixelSegment: Int32Array.from([-1, -1, -1, -1, -1, 0, 0, 0, -1, 1, -1, -1, -1, -1, -1, -1]),
      pixelCounts: Uint32Array.from([3, 1]),
    };
    const color = { width: 4, height: 4, rgb: Uint8Array.from({ length: 48 }, (_, i) => Math.floor(i / 3) * 10) };
    const boxes = segmentBoxes(masks, 3);
    expect(boxes).toEqual([{ minX: 1, minY: 1, maxX: 3, maxY: 1 }, { minX: 1, minY: 2, maxX: 1, maxY: 2 }, null]);
    const crop = whitenedSquareCrop(color, masks, 0, boxes[0]!);
    expect([crop.width, crop.height]).toEqual([3, 3]);
    // Rows 0..2 of the crop are image rows 0..2 (box row 1 centred); only the middle row is the segment.
    const grey = Array.from({ length: 9 }, (_, i) => crop.rgb[i * 3]);
    expect(grey).toEqual([255, 255, 255, 50, 60, 70, 255, 255, 255]);
  });
});

describe('fusion weights (hand-computed)', () => {
  const e = (x: number, y: number) => normalised([x, y]);
  const obs: ViewObservation[] = [
    { pixelCount: 30, embedding: e(1, 0) },
    { pixelCount: 10, embedding: e(0, 1) },
    { pixelCount: 20, embedding: e(1, 1) },
  ];

  it('pixels: w = pixel count → f = norm(30·e1 + 10·e2 + 20·e3)', () => {
    const w = fusionWeights(obs, 'pixels');
    expect(w).toEqual([30, 10, 20]);
    const f = fuseEmbeddings(obs, w, 2);
    const raw = [30 + 20 / Math.SQRT2, 10 + 20 / Math.SQRT2];
    const n = Math.hypot(raw[0]!, raw[1]!);
    expect(f[0]).toBeCloseTo(raw[0]! / n, 6);
    expect(f[1]).toBeCloseTo(raw[1]! / n, 6);
  });

  it('semantic: w = max(1 − cos(f, m), 1e−6) with m the mean crop embedding', () => {
    const m = meanEmbedding(
      obs.map((o) => o.embedding),
      2,
    );
    // Σ = (1 + 1/√2, 1 + 1/√2) → m = (1/√2, 1/√2): cos = 1/√2, 1/√2, 1.
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    const w = fusionWeights(obs, 'semantic', { sceneMean: m });
    expect(w[0]).toBeCloseTo(1 - Math.SQRT1_2, 6);
    expect(w[1]).toBeCloseTo(1 - Math.SQRT1_2, 6);
    expect(w[2]).toBe(1e-6); // the view that looks like the average carries (almost) nothing
  });

  it('best-k: the k views with most pixels, equal weights', () => {
    expect(fusionWeights(obs, 'best-k', { k: 2 })).toEqual([1, 0, 1]);
    expect(fusionWeights(obs, 'best-k', { k: 1 })).toEqual([1, 0, 0]);
    expect(fusionWeights(obs, 'best-k', { k: 5 })).toEqual([1, 1, 1]);
    expect(() => fusionWeights(obs, 'best-k', { k: 0 })).toThrow(/k ≥ 1/);
  });

  it('ConceptFusion: w_i = softmax_i(s(global, local_i)), f_i = norm(w_i·g + (1 − w_i)·l_i)', () => {
    const [f1, f2] = conceptFusionMix(e(1, 0), [e(1, 0), e(0, 1)]);
    const w2 = 1 / (Math.E + 1);
    expect([...f1!].map((x) => +x.toFixed(6))).toEqual([1, 0]);
    const n = Math.hypot(w2, 1 - w2);
    expect(f2![0]).toBeCloseTo(w2 / n, 6);
    expect(f2![1]).toBeCloseTo((1 - w2) / n, 6);
  });
});

describe('multi-scale tiles', () => {
  it('covers every pixel at every scale, sides {d, 2d/3, d/2, d/4}, stride side/4', () => {
    const tiles = multiScaleTiles(32, 24);
    expect([...new Set(tiles.map((t) => t.side))]).toEqual([24, 16, 12, 6]);
    for (let scale = 0; scale < 4; scale++) {
      const covered = new Uint8Array(32 * 24);
      for (const t of tiles.filter((t) => t.scale === scale))
        for (let y = t.top; y < t.top + t.side; y++) for (let x = t.left; x < t.left + t.side; x++) covered[y * 32 + x] = 1;
      expect(covered.every((c) => c === 1)).toBe(true);
    }
  });

  it('per-pixel feature = mean over scales of the mean of covering tiles (vs brute force)', () => {
    const tiles = multiScaleTiles(12, 8);
    const embeddings = tiles.map((_, i) => Float32Array.from([Math.sin(i), Math.cos(3 * i)]));
    const fast = tilePixelFeatures(12, 8, tiles, embeddings, 2);
    for (const [x, y] of [
      [0, 0],
      [5, 3],
      [11, 7],
      [7, 1],
    ] as const) {
      const brute = [0, 0];
      for (let scale = 0; scale < 4; scale++) {
        const covering = tiles
          .map((t, i) => [t, i] as const)
          .filter(([t]) => t.scale === scale && x >= t.left && x < t.left + t.side && y >= t.top && y < t.top + t.side);
        for (const [, i] of covering) for (let d = 0; d < 2; d++) brute[d]! += embeddings[i]![d]! / covering.length / 4;
      }
      expect(fast[(y * 12 + x) * 2]).toBeCloseTo(brute[0]!, 5);
      expect(fast[(y * 12 + x) * 2 + 1]).toBeCloseTo(brute[1]!, 5);
    }
    // A slice of channels equals the same channels of the whole.
    const second = tilePixelFeatures(12, 8, tiles, embeddings, 1, 1);
    expect(Array.from(second)).toEqual(Array.from({ length: 12 * 8 }, (_, p) => fast[p * 2 + 1]));
  });
});

describe('tile baseline per point', () => {
  it('a point takes the tiles around its pixel: left-half points lean red, right-half points blue; unseen points stay zero', async () => {
    // 16×16 view of a wall at 1 m: left half red, right half blue.
    const size = 16;
    const rgb = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rgb.set(x < size / 2 ? [255, 0, 0] : [0, 0, 255], (y * size + x) * 3);
    const view = {
      intrinsics: { width: size, height: size, fx: size, fy: size, cx: 7.5, cy: 7.5 },
      cameraToWorld: IDENTITY_POSE,
      depth: { width: size, height: size, metres: new Float32Array(size * size).fill(1) },
      color: { width: size, height: size, rgb },
    };
    // Pixel u ↔ x = (u − 7.5)/16 at z = 1; the last point floats 0.5 m in front of the wall: not visible.
    const positions = Float32Array.from([(1 - 7.5) / 16, 0, 1, (14 - 7.5) / 16, 0, 1, 0, 0, 0.5]);
    // A stand-in encoder: the mean of each channel of the (identity-normalised) image.
    const encode = (pixels: Float32Array, batch: number) => {
      const plane = 8 * 8;
      const out = new Float32Array(batch * 3);
      for (let b = 0; b < batch; b++) for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) out[b * 3 + c]! += pixels[(b * 3 + c) * plane + p]! / plane;
      return Promise.resolve(out);
    };
    const spec = { size: 8, mean: [0, 0, 0], std: [1, 1, 1], resample: 'bicubic' } as const;
    const { features, dim } = await tileBaselineFeatures(positions, [view], encode, spec, { tolerance: 0.05, batchSize: 7 });
    expect(dim).toBe(3);
    expect(features[0]).toBeGreaterThan(features[2]! + 0.2); // left point: red > blue
    expect(features[5]).toBeGreaterThan(features[3]! + 0.2); // right point: blue > red
    expect(Array.from(features.subarray(6, 9))).toEqual([0, 0, 0]);
  });
});

describe('plane RANSAC', () => {
  it('finds the dominant plane among clutter, deterministically', () => {
    const points: number[] = [];
    for (let i = 0; i < 400; i++) points.push((i % 20) * 0.05, Math.floor(i / 20) * 0.05, 0.3 + 0.002 * Math.sin(i)); // z ≈ 0.3 plane
    for (let i = 0; i < 150; i++) points.push(0.5 + 0.01 * Math.cos(i), 0.5 + 0.01 * Math.sin(i), 0.35 + i * 0.001); // a pole
    const p = Float32Array.from(points);
    const fit = fitDominantPlane(p, null)!;
    expect(fit.inlierCount).toBe(400);
    expect(Math.abs(fit.plane.normal[2])).toBeGreaterThan(0.999);
    expect(Math.abs(fit.plane.offset / fit.plane.normal[2] + 0.3)).toBeLessThan(0.005);
    expect(fitDominantPlane(p, null)).toEqual(fit);
  });
});
