/**
 * Point masks of a result, one per relevancy layer (min–max normalised relevancy ≥ threshold), per
 * label and per instance, as a NumPy bool array [masks, points] or JSON lists of point indices.
 */
import { encodeNpy } from '../formats/npyEncode.ts';
import type { QueryResultData } from './resultPly.ts';

export interface PointMask {
  /** e.g. "relevancy:yellow dice", "label:mug", "instance:0". */
  readonly name: string;
  /** 1 = in the mask, one byte per point. */
  readonly mask: Uint8Array;
}

/** Masks of every layer, label and instance of `result` over `count` points. */
export function resultMasks(result: QueryResultData, count: number, threshold: number): PointMask[] {
  const masks: PointMask[] = [];
  for (const layer of result.layers) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of layer.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const span = max - min;
    const mask = new Uint8Array(count);
    if (span > 0) for (let i = 0; i < count; i++) mask[i] = (layer.values[i]! - min) / span >= threshold ? 1 : 0;
    masks.push({ name: `relevancy:${layer.label}`, mask });
  }
  const byId = (prefix: string, ids: Int32Array, names: readonly string[]) => {
    const out = names.map((name) => ({ name: `${prefix}:${name}`, mask: new Uint8Array(count) }));
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id >= 0 && id < out.length) out[id]!.mask[i] = 1;
    }
    masks.push(...out);
  };
  if (result.labels) byId('label', result.labels.perPoint, result.labels.names);
  if (result.instanceIds) {
    let k = 0;
    for (const id of result.instanceIds) if (id >= k) k = id + 1;
    byId(
      'instance',
      result.instanceIds,
      Array.from({ length: k }, (_, i) => String(i)),
    );
  }
  return masks;
}

/** NumPy bool array of shape [masks, points], rows in `masks` order. */
export function masksToNpy(masks: readonly PointMask[], count: number): Uint8Array {
  const stacked = new Uint8Array(masks.length * count);
  masks.forEach((m, r) => stacked.set(m.mask, r * count));
  return encodeNpy(stacked, [masks.length, count], { bool: true });
}

/** `{ pointCount, masks: [{ name, count, indices }] }`, indices ascending. */
export function masksToJson(masks: readonly PointMask[], count: number): string {
  const entries = masks.map((m) => {
    const indices: number[] = [];
    for (let i = 0; i < count; i++) if (m.mask[i]) indices.push(i);
    return { name: m.name, count: indices.length, indices };
  });
  return JSON.stringify({ pointCount: count, masks: entries });
}
