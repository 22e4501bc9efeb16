/**
 * The scene worker's view calls (studioViewProtocol.ts) over the session: rendering the current
 * cloud from any camera (core/render), the occupancy grid, and the compared scene (the session's
 * CompareScene). Kept beside worker.ts so the entry stays small; results go back transferred.
 */
import * as Comlink from 'comlink';
import { computeBounds, type PointCloud } from '../../src/core/lift/pointCloud.ts';
import { semanticOccupancy } from '../../src/core/occupancy/semanticOccupancy.ts';
import { renderSplats } from '../../src/core/render/splatRender.ts';
import { estimatePointSpacing, pixelFeatures } from '../../src/core/render/viewRender.ts';
import { asCameraToWorld } from '../../src/core/units.ts';
import { selectedFeatures } from '../../src/infer/featureAccess.ts';
import type { SceneSession } from './session.ts';
import type { StudioViewWorkerApi } from './studioViewProtocol.ts';

/** Typical point spacing per cloud (estimated once: it sizes every render's splats). */
const spacingOf = new WeakMap<PointCloud, number>();

function pointSpacing(cloud: PointCloud): number {
  let spacing = spacingOf.get(cloud);
  if (spacing === undefined) spacingOf.set(cloud, (spacing = estimatePointSpacing(cloud.positions, cloud.count)));
  return spacing;
}

function requireCloud(session: SceneSession, what: string): PointCloud {
  const cloud = session.scene?.loaded.cloud;
  if (!cloud || cloud.count === 0) throw new Error(`${what}: no point cloud is loaded`);
  return cloud;
}

export function studioViewApi(session: () => SceneSession): StudioViewWorkerApi {
  return {
    async renderView(request, onProgress) {
      const s = session();
      const cloud = requireCloud(s, 'render view');
      const { intrinsics } = request.camera;
      if (!(intrinsics.width > 0 && intrinsics.height > 0 && intrinsics.width * intrinsics.height <= 4096 * 4096))
        throw new Error(`render view: image size ${intrinsics.width}×${intrinsics.height} is not between 1×1 and 4096×4096`);
      const features = request.features ? await s.withProgress(onProgress, () => selectedFeatures(s.engine)) : null;
      const t0 = performance.now();
      const spacing = pointSpacing(cloud);
      const images = renderSplats(cloud, { intrinsics, cameraToWorld: asCameraToWorld(request.camera.cameraToWorld), pointSpacingMetres: spacing });
      const featureImage = features ? pixelFeatures(images.pointIndex, features.dim, (i, out) => features.readRows(i, 1, out)) : null;
      const result = {
        width: images.width,
        height: images.height,
        rgb: images.rgb,
        depthMetres: images.depthMetres,
        pointIndex: images.pointIndex,
        features: featureImage,
        featureDim: features?.dim ?? 0,
        featureSpace: features?.space ?? null,
        pointSpacingMetres: spacing,
        renderMs: performance.now() - t0,
      };
      const buffers = [result.rgb.buffer, result.depthMetres.buffer, result.pointIndex.buffer, featureImage?.buffer];
      return Comlink.transfer(
        result,
        buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
      );
    },

    occupancy(request) {
      return new Promise((resolve) => {
        const cloud = requireCloud(session(), 'occupancy');
        const t0 = performance.now();
        const grid = semanticOccupancy(
          { count: cloud.count, positions: cloud.positions, labels: request.labels, relevancy: request.relevancy },
          request.voxelMetres,
        );
        const result = { ...grid, ms: performance.now() - t0 };
        resolve(Comlink.transfer(result, [grid.occupancy.buffer, grid.pointCounts.buffer, grid.labels.buffer, grid.relevancy.buffer] as ArrayBuffer[]));
      });
    },

    async openCompareScene(files, settings, name, onProgress) {
      const s = session();
      requireCloud(s, 'compare');
      const { loaded, features } = await s.withProgress(onProgress, () =>
        s.compare.load(
          files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
          settings,
          s.engine,
          name,
        ),
      );
      const cloud = loaded.cloud;
      const positions = cloud.positions.slice(0, cloud.count * 3);
      const colors = cloud.colors.slice(0, cloud.count * 3);
      return Comlink.transfer(
        {
          count: cloud.count,
          positions,
          colors,
          bounds: computeBounds(cloud.positions, cloud.count),
          description: loaded.capture.detected,
          featureDim: features.dim,
          featureSpace: features.space,
          featureSource: features.source,
          warnings: loaded.capture.warnings,
        },
        [positions.buffer, colors.buffer],
      );
    },

    async compareMatch(from, index, k, onProgress) {
      const s = session();
      const cloud = requireCloud(s, 'compare');
      const result = await s.withProgress(onProgress, () => s.compare.match(from, index, k, s.engine, cloud));
      return Comlink.transfer(result, [result.mainSimilarity.buffer, result.otherSimilarity.buffer] as ArrayBuffer[]);
    },

    closeCompareScene() {
      session().compare.clear();
      return Promise.resolve();
    },
  };
}
