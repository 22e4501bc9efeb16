/**
 * The scene worker's feature tools (featureToolsProtocol.ts) over the session: pruning and its undo
 * return the scene to draw, its buffers transferred; refinement runs on the session's engine.
 */
import { drawn } from './drawable.ts';
import type { FeatureToolsWorkerApi } from './featureToolsProtocol.ts';
import type { SceneSession } from './session.ts';

export function featureToolsApi(session: () => SceneSession): FeatureToolsWorkerApi {
  return {
    async pruneFeatures(minCosine, onProgress) {
      const s = session();
      const { installed, before, after, ms } = await s.withProgress(onProgress, () => s.prune(minCosine));
      return { cloud: drawn(installed), before, after, minCosine, ms };
    },

    restoreUnpruned() {
      return new Promise((resolve) => resolve(drawn(session().restoreUnpruned())));
    },

    refineFeatures(onProgress) {
      const s = session();
      return s.withProgress(onProgress, () => s.engine.refineFeatures());
    },
  };
}
