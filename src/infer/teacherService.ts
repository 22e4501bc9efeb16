/**
 * The teacher service: runs the multi-view object-centric CLIP teacher (core/teacher) on a posed
 * capture with the model cache's image encoder, and hands back its features in their compact form
 * (one row per segment + the per-point segment index) for the feature sets to keep.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import type { RgbdView } from '../core/units.ts';
import type { CompactFeatures } from '../core/features/featureStores.ts';
import type { FeatureProvenance } from '../core/export/featurePly.ts';
import { runTeacher, type TeacherOptions, type TeacherProgress, type TeacherResult, type TeacherView } from '../core/teacher/runTeacher.ts';
import type { ModelCache } from './modelCache.ts';

/** Teacher options the caller chooses; the pre-processing comes from the image model's manifest entry. */
export type TeacherRunOptions = Omit<TeacherOptions, 'preprocess' | 'now'> & { readonly imageModelId?: string };

export interface TeacherSummary {
  readonly points: number;
  readonly dim: number;
  readonly space: string;
  readonly imageModel: string;
  readonly backend: string;
  readonly views: number;
  readonly objects: number;
  readonly crops: number;
  readonly timings: TeacherResult['timings'];
}

export interface TeacherFeatures {
  readonly store: CompactFeatures;
  readonly space: string;
  /** For the feature-set picker, e.g. "teacher (clip-image-tiny, objects, fusion pixels)". */
  readonly description: string;
  readonly provenance: FeatureProvenance;
  readonly summary: TeacherSummary;
}

export async function runTeacherOn(
  cloud: PointCloud,
  views: readonly RgbdView[],
  models: ModelCache,
  options: TeacherRunOptions,
  onProgress?: (progress: TeacherProgress) => void,
): Promise<TeacherFeatures> {
  const teacherViews: TeacherView[] = views.map((v) => {
    if (!v.color) throw new Error(`teacher: view ${v.name} has no colour image`);
    return { name: v.name, intrinsics: v.intrinsics, cameraToWorld: v.cameraToWorld, depth: v.depth, color: v.color };
  });
  const encoder = await models.image(options.imageModelId);
  const result = await runTeacher(
    cloud.positions.subarray(0, cloud.count * 3),
    teacherViews,
    { ...options, preprocess: encoder.entry.imagePreprocess!, now: () => performance.now() },
    (pixels, batch) => encoder.encode(pixels, batch),
    onProgress,
  );
  const space = encoder.entry.space;
  const method = options.method ?? 'objects';
  return {
    store: result.features,
    space,
    description: `teacher (${encoder.entry.id}, ${method}, fusion ${options.fusion})`,
    provenance: { space, source: 'teacher', fusion: options.fusion, method },
    summary: {
      points: cloud.count,
      dim: result.dim,
      space,
      imageModel: encoder.entry.id,
      backend: encoder.backend,
      views: result.viewCount,
      objects: result.objectCount,
      crops: result.cropCount,
      timings: result.timings,
    },
  };
}
