/**
 * A unit fix for a loaded capture whose numbers are not metres (e.g. a PLY in millimetres): every
 * length is multiplied by one factor — point positions, camera centres and depth — so the scene
 * keeps its shape and its cameras still see their pixels' points. Returns fresh arrays.
 */
import { asCameraToWorld, type RgbdView } from '../units.ts';
import type { LoadedCapture } from './loadCapture.ts';
import { asWorldPoints } from '../units.ts';

function rescaleView(view: RgbdView, factor: number): RgbdView {
  const m = [...view.cameraToWorld];
  for (const i of [3, 7, 11]) m[i] = m[i]! * factor;
  const metres = view.depth.metres.map((d) => d * factor);
  return { ...view, cameraToWorld: asCameraToWorld(m), depth: { ...view.depth, metres } };
}

export function rescaleCapture(loaded: LoadedCapture, factor: number): LoadedCapture {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`unit scale: expected a positive finite factor, found ${factor}`);
  const { cloud, capture } = loaded;
  const positions = cloud.positions.slice(0, cloud.count * 3).map((v) => v * factor);
  const views = capture.views?.map((v) => rescaleView(v, factor));
  return {
    ...loaded,
    cloud: { ...cloud, positions: asWorldPoints(positions) },
    capture: { ...capture, ...(views ? { views } : {}) },
  };
}
