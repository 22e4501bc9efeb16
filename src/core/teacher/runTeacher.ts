/**
 * The multi-view object-centric CLIP teacher (DROP-CLIP), as pure orchestration around an
 * `encodeImages` callback (onnxruntime in the worker and the CLI, a plain function in tests):
 *
 *   segment the cloud (planes + objects) → per view: each segment's mask by the depth test and its
 *   whitened square crop → CLIP image embeddings in batches → per object: fuse its views
 *   (pixels | semantic | best-k) → one fused feature per segment, kept with the per-point segment
 *   index (core/features: never expanded per point).
 *
 * `method` picks the object-centric teacher, ConceptFusion's global/local mix of the same crops, or
 * the per-point multi-scale tile baseline (baselines.ts).
 */
import type { RgbRaster } from '../units.ts';
import { clipPixelValues, type ImagePreprocessSpec } from './clipPreprocess.ts';
import { conceptFusionMix, tileBaselineFeatures, type EncodeImages } from './baselines.ts';
import { DEFAULT_BEST_K, fuseEmbeddings, fusionWeights, meanEmbedding, normalised, type FusionMode, type ViewObservation } from './fusion.ts';
import { segmentScene, type SceneSegments, type SegmentationOptions } from './objectSegments.ts';
import { DEFAULT_VISIBILITY_TOLERANCE_METRES, segmentMasksInView, type ViewGeometry } from './visibilityMasks.ts';
import { segmentBoxes, whitenedSquareCrop } from './whitenedCrops.ts';
import { halfFeaturesFromFloat32, segmentFeatures, type CompactFeatures } from '../features/featureStores.ts';

export type { EncodeImages } from './baselines.ts';

export type TeacherMethod = 'objects' | 'conceptfusion' | 'tiles';
export const TEACHER_METHODS: readonly TeacherMethod[] = ['objects', 'conceptfusion', 'tiles'];

export interface TeacherView extends ViewGeometry {
  readonly name: string;
  readonly color: RgbRaster;
}

export interface TeacherOptions {
  readonly fusion: FusionMode;
  /** Views kept by best-k fusion. */
  readonly k?: number;
  readonly method?: TeacherMethod;
  readonly preprocess: ImagePreprocessSpec;
  /** |D − z| ≤ this (metres) counts as visible. */
  readonly visibilityTolerance?: number;
  /** Segments showing fewer pixels in a view are not cropped there. */
  readonly minCropPixels?: number;
  readonly batchSize?: number;
  readonly segmentation?: SegmentationOptions;
  /** Milliseconds clock for the timings. */
  readonly now?: () => number;
}

export interface TeacherProgress {
  readonly stage: 'views' | 'objects';
  readonly done: number;
  readonly total: number;
}

export interface TeacherResult {
  /**
   * Each point's feature, L2-normalised (zero for points in no segment or in one no view saw):
   * one row per segment and the per-point segment index for the object-centric methods, fp16 per
   * point for the tile baseline (whose features differ per point).
   */
  readonly features: CompactFeatures;
  readonly dim: number;
  readonly segments: SceneSegments;
  readonly viewCount: number;
  readonly objectCount: number;
  readonly cropCount: number;
  readonly timings: { readonly segmentationMs: number; readonly viewsMs: number; readonly encodeMs: number; readonly totalMs: number };
}

interface Crop {
  readonly segment: number; // −1 = the whole view (ConceptFusion's global image)
  readonly view: number;
  readonly pixelCount: number;
  readonly image: RgbRaster;
}

const DEFAULT_MIN_CROP_PIXELS = 20;
const DEFAULT_BATCH = 16;

function checkViews(views: readonly TeacherView[]): void {
  if (views.length === 0) throw new Error('teacher: the capture has no posed RGB-D views (a point file has no images to run CLIP on)');
  for (const v of views) {
    if (
      v.color.width !== v.intrinsics.width ||
      v.color.height !== v.intrinsics.height ||
      v.depth.width !== v.intrinsics.width ||
      v.depth.height !== v.intrinsics.height
    ) {
      throw new Error(
        `teacher: view ${v.name} has colour ${v.color.width}×${v.color.height} and depth ${v.depth.width}×${v.depth.height}; both must match the intrinsics (${v.intrinsics.width}×${v.intrinsics.height})`,
      );
    }
  }
}

export async function runTeacher(
  positions: Float32Array,
  views: readonly TeacherView[],
  options: TeacherOptions,
  encodeImages: EncodeImages,
  onProgress?: (progress: TeacherProgress) => void,
): Promise<TeacherResult> {
  checkViews(views);
  // The core has no `performance` global; callers pass a finer clock (performance.now) when they have one.
  const now = options.now ?? Date.now;
  const t0 = now();
  const segments = segmentScene(positions, options.segmentation);
  const segmentCount = segments.segments.length;
  const t1 = now();
  const tolerance = options.visibilityTolerance ?? DEFAULT_VISIBILITY_TOLERANCE_METRES;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const method = options.method ?? 'objects';

  if (method === 'tiles') {
    const tiles = await tileBaselineFeatures(positions, views, encodeImages, options.preprocess, {
      tolerance,
      batchSize,
      onView: (done, total) => onProgress?.({ stage: 'views', done, total }),
    });
    const t2 = now();
    return {
      features: halfFeaturesFromFloat32(tiles.features, tiles.dim),
      dim: tiles.dim,
      segments,
      viewCount: views.length,
      objectCount: segmentCount,
      cropCount: tiles.tileCount,
      timings: { segmentationMs: t1 - t0, viewsMs: t2 - t1, encodeMs: 0, totalMs: t2 - t0 },
    };
  }

  const minPixels = options.minCropPixels ?? DEFAULT_MIN_CROP_PIXELS;
  const crops: Crop[] = [];
  views.forEach((view, v) => {
    const masks = segmentMasksInView(positions, segments.segmentOfPoint, segmentCount, view, tolerance);
    const boxes = segmentBoxes(masks, segmentCount);
    if (method === 'conceptfusion') crops.push({ segment: -1, view: v, pixelCount: view.color.width * view.color.height, image: view.color });
    boxes.forEach((box, s) => {
      const pixels = masks.pixelCounts[s]!;
      if (box && pixels >= minPixels) crops.push({ segment: s, view: v, pixelCount: pixels, image: whitenedSquareCrop(view.color, masks, s, box) });
    });
    onProgress?.({ stage: 'views', done: v + 1, total: views.length });
  });
  const t2 = now();

  // Encode object by object (globals first), so progress can be reported per finished object.
  crops.sort((a, b) => a.segment - b.segment || a.view - b.view);
  const lastCropOf = new Map<number, number>();
  crops.forEach((c, i) => lastCropOf.set(c.segment, i));
  const embeddings: Float32Array[] = [];
  let dim = 0;
  let objectsDone = 0;
  for (let start = 0; start < crops.length; start += batchSize) {
    const batch = crops.slice(start, start + batchSize);
    const out = await encodeImages(
      clipPixelValues(
        batch.map((c) => c.image),
        options.preprocess,
      ),
      batch.length,
    );
    dim = out.length / batch.length;
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`teacher: the image encoder returned ${out.length} values for ${batch.length} images`);
    for (let b = 0; b < batch.length; b++) embeddings.push(normalised(out.subarray(b * dim, (b + 1) * dim)));
    for (let i = start; i < start + batch.length; i++) {
      const c = crops[i]!;
      if (c.segment >= 0 && lastCropOf.get(c.segment) === i)
        onProgress?.({ stage: 'objects', done: ++objectsDone, total: lastCropOf.size - (lastCropOf.has(-1) ? 1 : 0) });
    }
  }
  const t3 = now();
  if (crops.length === 0)
    throw new Error(`teacher: none of the ${segmentCount} segments shows ${minPixels} pixels in any of the ${views.length} views; nothing to encode`);

  const local = crops.map((c, i) => ({ crop: c, embedding: embeddings[i]! })).filter((e) => e.crop.segment >= 0);
  if (method === 'conceptfusion') {
    views.forEach((_, v) => {
      const global = crops.findIndex((c) => c.segment === -1 && c.view === v);
      const inView = local.filter((e) => e.crop.view === v);
      if (global < 0 || inView.length === 0) return;
      conceptFusionMix(
        embeddings[global]!,
        inView.map((e) => e.embedding),
      ).forEach((mixed, j) => (inView[j]!.embedding = mixed));
    });
  }
  const sceneMean = meanEmbedding(
    local.map((e) => e.embedding),
    dim,
  );
  // A segment no view saw keeps a zero row: its points get every formula's neutral value.
  const fused = new Float32Array(segmentCount * dim);
  for (let s = 0; s < segmentCount; s++) {
    const observations: ViewObservation[] = local.filter((e) => e.crop.segment === s).map((e) => ({ pixelCount: e.crop.pixelCount, embedding: e.embedding }));
    if (observations.length === 0) continue;
    fused.set(fuseEmbeddings(observations, fusionWeights(observations, options.fusion, { k: options.k ?? DEFAULT_BEST_K, sceneMean }), dim), s * dim);
  }
  const features = segmentFeatures(fused, dim, segments.segmentOfPoint);
  const t4 = now();
  return {
    features,
    dim,
    segments,
    viewCount: views.length,
    objectCount: segmentCount,
    cropCount: crops.length,
    timings: { segmentationMs: t1 - t0, viewsMs: t2 - t1, encodeMs: t3 - t2, totalMs: t4 - t0 },
  };
}
