/**
 * The scene worker's segment-level methods (mask mode, spatial relations), kept beside worker.ts so
 * the entry stays small. Segment ids go to the page as transferred copies: the originals stay cached
 * in SegmentQueries for the next query on the same cloud.
 */
import * as Comlink from 'comlink';
import type { AssembledCapture } from '../../src/core/capture/captureTypes.ts';
import { asCameraToWorld, IDENTITY_POSE } from '../../src/core/units.ts';
import type { LoadProgress } from '../../src/infer/modelLoader.ts';
import type { SegmentQueries } from '../../src/infer/segmentQueries.ts';
import type { SegmentWorkerApi } from './protocol.ts';

type WithProgress = <T>(onProgress: ((event: LoadProgress) => void) | undefined, task: () => Promise<T>) => Promise<T>;

export function segmentApi(queries: SegmentQueries, capture: () => AssembledCapture | null, withProgress: WithProgress): SegmentWorkerApi {
  return {
    async maskQuery(request, onProgress) {
      const outcome = await withProgress(onProgress, () => queries.maskQuery(request));
      const segmentOfPoint = outcome.segmentation.segmentOfPoint.slice();
      return Comlink.transfer({ ...outcome, segmentation: { ...outcome.segmentation, segmentOfPoint } }, [segmentOfPoint.buffer]);
    },

    async relationQuery(request, onProgress) {
      const c = capture();
      const camera0 = c?.views?.[0]?.cameraToWorld;
      const outcome = await withProgress(onProgress, () =>
        queries.relationQuery(request.text, {
          formula: request.formula,
          template: request.template,
          source: request.source,
          viewpoint: {
            viewer: request.viewer ? asCameraToWorld(request.viewer) : (camera0 ?? IDENTITY_POSE),
            viewerName: request.viewer ? 'the 3D view' : camera0 ? 'input camera 0' : 'the point file frame',
            declaredUp: c?.worldUp,
            firstCamera: camera0,
          },
        }),
      );
      if (!outcome) return null;
      const segmentOfPoint = outcome.segmentation.segmentOfPoint.slice();
      return Comlink.transfer({ ...outcome, segmentation: { ...outcome.segmentation, segmentOfPoint } }, [segmentOfPoint.buffer]);
    },
  };
}
