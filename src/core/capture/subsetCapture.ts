/**
 * A loaded capture restricted to some of its points (feature pruning): the cloud's per-point arrays
 * and any brought features keep the rows of `kept`, in that order; views, cameras and the filter
 * counts stay as loaded. A saved query result no longer lines up with the points and is dropped.
 */
import { asWorldPoints } from '../units.ts';
import type { LoadedCapture } from './loadCapture.ts';

function rows<T extends Float32Array | Uint16Array | Uint8Array | Uint32Array>(
  source: { subarray(a: number, b: number): ArrayLike<number> },
  width: number,
  kept: Uint32Array,
  make: (n: number) => T,
): T {
  const out = make(kept.length * width);
  kept.forEach((i, j) => out.set(source.subarray(i * width, (i + 1) * width), j * width));
  return out;
}

export function subsetCapture(loaded: LoadedCapture, kept: Uint32Array): LoadedCapture {
  const { cloud } = loaded;
  for (const i of kept) if (i >= cloud.count) throw new Error(`point subset: point ${i} is outside the ${cloud.count} points`);
  const subset: LoadedCapture = {
    capture: loaded.capture,
    counts: loaded.counts,
    cloud: {
      count: kept.length,
      positions: asWorldPoints(rows(cloud.positions, 3, kept, (n) => new Float32Array(n))),
      colors: rows(cloud.colors, 3, kept, (n) => new Uint8Array(n)),
      viewIndex: rows(cloud.viewIndex, 1, kept, (n) => new Uint16Array(n)),
      pixelIndex: rows(cloud.pixelIndex, 1, kept, (n) => new Uint32Array(n)),
    },
  };
  const { features, halfFeatures } = loaded;
  return {
    ...subset,
    ...(features ? { features: { ...features, values: rows(features.values, features.dim, kept, (n) => new Float32Array(n)) } } : {}),
    ...(halfFeatures ? { halfFeatures: { ...halfFeatures, halves: rows(halfFeatures.halves, halfFeatures.dim, kept, (n) => new Uint16Array(n)) } } : {}),
  };
}
