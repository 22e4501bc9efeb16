/**
 * `fieldlens info`: what a capture is once lifted — format, point count, bounds and centroid
 * (metres, world frame), views, per-stage counts and warnings. Also `fieldlens batch info`'s output.
 */
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { computeBounds } from '../core/lift/pointCloud.ts';

export function runInfoCommand(files: readonly CaptureFile[], options: CaptureSettings) {
  const loaded = loadCapture(files, options);
  const { cloud, capture } = loaded;
  const own = loaded.halfFeatures ?? loaded.features;
  const bounds = computeBounds(cloud.positions, cloud.count);
  return {
    format: capture.format,
    detected: capture.detected,
    points: cloud.count,
    min: bounds.min,
    max: bounds.max,
    centroid: bounds.centroid,
    views: capture.views?.length ?? 0,
    counts: loaded.counts,
    features: own ? { dim: own.dim, names: own.names } : null,
    warnings: capture.warnings,
    depthScaleWarning: capture.depthScaleWarning?.message ?? null,
  };
}
