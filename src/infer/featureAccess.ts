/**
 * Read access to a scene engine's selected feature set, row by row, for the worker's cross-scene
 * matching and feature images: the rows are read where the engine keeps them and never cross to
 * the page. `space` is the embedding space (manifest `space`; 'file' for bring-your-own features of
 * unknown origin), which two scenes must share to be compared.
 */
import type { FeatureRows } from '../core/match/rowMatch.ts';
import { readFeatureRows } from '../core/features/featureStores.ts';
import type { SceneEngine } from './sceneEngine.ts';

export interface FeatureAccess extends FeatureRows {
  readonly space: string;
  /** What produced the features, for messages ("student", "file", "teacher"). */
  readonly source: string;
}

/** The engine's selected feature set (the student's is computed first when needed), read from its compact store. */
export async function selectedFeatures(engine: SceneEngine): Promise<FeatureAccess> {
  const { features, provenance } = await engine.featurePly();
  return {
    count: features.pointCount,
    dim: features.dim,
    space: provenance.space ?? 'file',
    source: provenance.source ?? 'file',
    readRows: (first, n, out) => {
      readFeatureRows(features, first, n, out);
    },
  };
}

/** Throws a message naming both scenes' feature spaces unless they can be compared. */
export function requireSameFeatureSpace(main: FeatureAccess, other: FeatureAccess, otherName: string): void {
  if (main.dim === other.dim && main.space === other.space) return;
  throw new Error(
    `compare: ${otherName} has ${other.dim}-d features in space "${other.space}" (${other.source}), the scene shown ${main.dim}-d in "${main.space}" (${main.source}); only scenes in the same feature space can be compared`,
  );
}
