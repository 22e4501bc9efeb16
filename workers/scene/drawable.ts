/**
 * What the page draws of a loaded capture, as copies with their transfer list: the worker keeps
 * the originals (the engine queries them), the page receives positions, colours, thumbnails and
 * point sources by transfer.
 */
import type { LoadedCapture } from '../../src/core/capture/loadCapture.ts';
import * as Comlink from 'comlink';
import { computeBounds, type Bounds3 } from '../../src/core/lift/pointCloud.ts';
import { drawOrderFor } from '../../src/core/lift/drawOrder.ts';
import { detectUpAxis, robustBounds, upAxisLabel, upVector } from '../../src/core/views/framing.ts';
import { asWorldPoints, IDENTITY_POSE, type RgbdView } from '../../src/core/units.ts';
import { downscaleRgb } from '../../src/core/views/viewImages.ts';
import type { DrawableCloud } from './protocol.ts';

/** Long side of the frustum thumbnails, pixels. */
const THUMBNAIL_MAX_SIDE = 160;

/** The view's colour, or its depth as grey when it has none (so a frustum still shows something). */
export function viewRaster(view: RgbdView) {
  if (view.color) return view.color;
  const { width, height, metres } = view.depth;
  let max = 0;
  for (const d of metres) if (d > max && d !== Infinity) max = d;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(max > 0 && metres[i]! > 0 ? Math.round((255 * metres[i]!) / max) : 0, i * 3, i * 3 + 3);
  return { width, height, rgb };
}

/**
 * World up: the capture's own when it says; else "up" in the first image (camera −y); for a bare
 * cloud, detected (framing.ts: a support plane, or the camera convention −y).
 */
function worldUp(capture: LoadedCapture['capture'], first: readonly number[], positions: Float32Array, count: number, robust: Bounds3) {
  if (capture.worldUp) return { up: capture.worldUp, upReason: "the capture's world up" };
  if (capture.views?.length) return { up: [-first[1]!, -first[5]!, -first[9]!] as const, upReason: "the first camera's image up" };
  const detected = detectUpAxis(positions, count, robust);
  return { up: upVector(detected.axis), upReason: `${upAxisLabel(detected.axis)}: ${detected.reason}` };
}

/** The drawable copy of `loaded` and the buffers to transfer with it. */
export function drawableCloud(loaded: LoadedCapture, liftMs: number): { cloud: DrawableCloud; transfer: ArrayBuffer[] } {
  const { cloud, capture } = loaded;
  const restored = loaded.restoredResult;
  const views = capture.views ?? [];
  const positions = asWorldPoints(cloud.positions.slice(0, cloud.count * 3));
  const colors = cloud.colors.slice(0, cloud.count * 3);
  const order = drawOrderFor(cloud.count);
  const cameras = views.map((v) => ({ name: v.name, intrinsics: v.intrinsics, cameraToWorld: v.cameraToWorld }));
  const first = cameras[0]?.cameraToWorld ?? IDENTITY_POSE;
  const robust = robustBounds(cloud.positions, cloud.count);
  const viewpoint = { cameraToWorld: first, ...worldUp(capture, first, cloud.positions, cloud.count, robust) };
  const thumbnails = views.map((v) => downscaleRgb(viewRaster(v), THUMBNAIL_MAX_SIDE));
  const sources = capture.views ? { view: cloud.viewIndex.slice(0, cloud.count), pixel: cloud.pixelIndex.slice(0, cloud.count) } : null;
  const drawable: DrawableCloud = {
    count: cloud.count,
    positions,
    colors,
    drawOrder: order,
    bounds: computeBounds(cloud.positions, cloud.count),
    robustBounds: robust,
    liftMs,
    description: capture.detected,
    warnings: capture.warnings,
    ...(capture.depthScaleWarning ? { depthScaleWarning: capture.depthScaleWarning } : {}),
    counts: loaded.counts,
    cameras,
    viewpoint,
    thumbnails,
    sources,
    ...(restored ? { restoredResult: restored } : {}),
  };
  const sourceBuffers = sources ? [sources.view.buffer, sources.pixel.buffer] : [];
  const resultBuffers = restored ? [...restored.layers.map((l) => l.values.buffer), restored.labels?.perPoint.buffer, restored.instanceIds?.buffer] : [];
  const orderBuffers = order ? [order.order.buffer, order.bucketEnds.buffer] : [];
  const transfer = [positions.buffer, colors.buffer, ...orderBuffers, ...thumbnails.map((t) => t.rgba.buffer), ...sourceBuffers, ...resultBuffers];
  return { cloud: drawable, transfer: transfer.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer) };
}

/** The drawable copy of an installed scene, marked for transfer (comlink). */
export function drawn({ loaded, liftMs }: { readonly loaded: LoadedCapture; readonly liftMs: number }): DrawableCloud {
  const { cloud, transfer } = drawableCloud(loaded, liftMs);
  return Comlink.transfer(cloud, transfer);
}
