/**
 * The scene worker's SparseDFF feature tools (protocol part): point pruning for feature continuity
 * on the shown scene and its undo, and the per-scene refinement of a feature set (a trained linear
 * map → the 'refined' set). Mapped onto the session by featureToolsApi.ts.
 */
import type { LoadProgress } from '../../src/infer/modelLoader.ts';
import type { RefinementSummary } from '../../src/infer/refineService.ts';

export type { RefinementSummary };
import type { DrawableCloud } from './protocol.ts';

export interface PrunedScene {
  /** The scene left (drawn instead of the old one). */
  readonly cloud: DrawableCloud;
  /** Points before the first prune, and after this one. */
  readonly before: number;
  readonly after: number;
  readonly minCosine: number;
  readonly ms: number;
}

export interface FeatureToolsWorkerApi {
  /**
   * Drops the points whose feature (the selected set; the student's computed first when needed)
   * agrees (cosine ≥ `minCosine`) with fewer than half of their nearest spatial neighbours. Always
   * from the scene before the first prune, so another threshold re-computes.
   */
  pruneFeatures(minCosine: number, onProgress?: (event: LoadProgress) => void): Promise<PrunedScene>;
  /** The scene as it was before the first prune, its feature sets included. */
  restoreUnpruned(): Promise<DrawableCloud>;
  /**
   * Refines the selected feature set (the student's computed first when needed) with a linear map
   * trained across the scene's views, and selects the result as the 'refined' set.
   */
  refineFeatures(onProgress?: (event: LoadProgress) => void): Promise<RefinementSummary>;
}
