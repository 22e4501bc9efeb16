/**
 * Read access to a scene engine's selected feature set, row by row, for the worker's cross-scene
 * matching and feature images: the rows are read where the engine keeps them and never cross to
 * the page. `space` is the embedding space (manifest `space`; 'file' for bring-your-own features of
 * unknown origin), which two scenes must share to be compared.
 */
import type { FeatureRows } from '../core/match/rowMatch.ts';
import { parsePly } from '../core/formats/ply.ts';
import type { SceneEngine } from './sceneEngine.ts';

export interface FeatureAccess extends FeatureRows {
  readonly space: string;
  /** What produced the features, for messages ("student", "file", "teacher"). */
  readonly source: string;
}

/** The engine's selected feature set (the student's is computed first when needed). */
export async function selectedFeatures(engine: SceneEngine): Promise<FeatureAccess> {
  // The engine offers its selected set as a feature PLY; read back here, inside the worker.
  const points = parsePly(await engine.exportFeaturePly(), 'features.ply');
  const features = points.features;
  if (!features) throw new Error('feature access: the engine exported no features');
  const comment = points.comments?.find((c) => c.startsWith('fieldlens-features')) ?? '';
  const field = (key: string) => new RegExp(`${key}=(\\S+)`).exec(comment)?.[1];
  const { dim, values } = features;
  return {
    count: points.count,
    dim,
    space: field('space') ?? 'file',
    source: field('source') ?? 'file',
    readRows: (first, n, out) => out.set(values.subarray(first * dim, (first + n) * dim)),
  };
}

/** Throws a message naming both scenes' feature spaces unless they can be compared. */
export function requireSameFeatureSpace(main: FeatureAccess, other: FeatureAccess, otherName: string): void {
  if (main.dim === other.dim && main.space === other.space) return;
  throw new Error(
    `compare: ${otherName} has ${other.dim}-d features in space "${other.space}" (${other.source}), the scene shown ${main.dim}-d in "${main.space}" (${main.source}); only scenes in the same feature space can be compared`,
  );
}
