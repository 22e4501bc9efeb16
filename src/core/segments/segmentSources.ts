/**
 * Where mask-mode and relation queries get their segments: one table, from which the studio's
 * picker, the CLI's `--segments` and its help derive (dispatch: src/infer/segmentQueries.ts).
 */
export const SEGMENT_SOURCES = {
  objects: { label: 'Object segments (as the teacher)', help: "the teacher's segmentation: planes, then connected objects" },
  instances: { label: 'Relevancy instances', help: 'connected components of the points above the relevancy threshold' },
  regions: { label: 'Feature regions', help: 'region growing on 2 cm voxels joined when their features agree (cosine ≥ 0.9)' },
} as const;

export type SegmentSource = keyof typeof SEGMENT_SOURCES;
export const SEGMENT_SOURCE_IDS = Object.keys(SEGMENT_SOURCES) as readonly SegmentSource[];
export const isSegmentSource = (v: unknown): v is SegmentSource => typeof v === 'string' && Object.hasOwn(SEGMENT_SOURCES, v);
