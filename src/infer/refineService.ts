/**
 * Per-scene refinement of a feature set in the worker (SparseDFF): the linear map of
 * core/match/linearRefine.ts trained on the set's rows over the cloud's cross-view pairs (spatial
 * neighbours within the cloud when it has one view), applied to every row, chunk by chunk, into a
 * new fp16 store. Reports the loss, the cross-view agreement before and after, and the agreement
 * of the refined set with the set it came from.
 */
import { encodeHalves } from '../core/features/float16.ts';
import { forEachRowChunk, halfFeatures, readFeatureRows, ROW_CHUNK, type CompactFeatures, type HalfFeatures } from '../core/features/featureStores.ts';
import { storeAgreement } from '../core/features/storeKernels.ts';
import { storeCosine } from '../core/features/storeSubset.ts';
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { applyLinearMap, trainLinearRefinement, type LinearRefineOptions } from '../core/match/linearRefine.ts';

export interface RefinementSummary {
  /** The feature set refined. */
  readonly from: string;
  readonly dim: number;
  readonly pairs: number;
  /** Whether the pairs are across views (else spatial neighbours within one view). */
  readonly crossView: boolean;
  readonly steps: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
  /** Mean cosine between the partners of each pair, before and after. */
  readonly agreementBefore: number;
  readonly agreementAfter: number;
  /** Mean per-point cosine between the refined set and the set it came from. */
  readonly agreementWithSource: number;
  readonly ms: number;
}

function meanPartnerCosine(store: CompactFeatures, partner: Int32Array): number {
  const cosine = storeCosine(store);
  let sum = 0;
  let n = 0;
  partner.forEach((j, i) => {
    if (j < 0) return;
    sum += cosine(i, j);
    n++;
  });
  return n > 0 ? sum / n : NaN;
}

export function refineStore(
  cloud: PointCloud,
  store: CompactFeatures,
  from: string,
  options: LinearRefineOptions = {},
): { store: HalfFeatures; summary: RefinementSummary } {
  const t0 = performance.now();
  const rows = {
    count: store.pointCount,
    dim: store.dim,
    readRows: (first: number, n: number, out: Float32Array) => void readFeatureRows(store, first, n, out),
  };
  const views = new Set(cloud.viewIndex.subarray(0, cloud.count)).size;
  // One view: pairs of spatial neighbours within it (every point its own "view" for the pairing).
  const pairing = views > 1 ? cloud : { ...cloud, viewIndex: Uint16Array.from({ length: cloud.count }, (_, i) => i & 0xffff) };
  const trained = trainLinearRefinement(pairing, rows, options);
  if (trained.pairs < 2) throw new Error(`refine: no pairs of points within ${options.radiusMetres ?? 0.01} m to train on`);
  const halves = new Uint16Array(store.pointCount * store.dim);
  const out = new Float32Array(ROW_CHUNK * store.dim);
  forEachRowChunk(store, (chunk, first, n) => {
    applyLinearMap(trained.map, store.dim, chunk, out.subarray(0, n * store.dim));
    encodeHalves(out.subarray(0, n * store.dim), halves.subarray(first * store.dim, (first + n) * store.dim));
  });
  const refined = halfFeatures(halves, store.dim);
  const losses = trained.losses;
  return {
    store: refined,
    summary: {
      from,
      dim: store.dim,
      pairs: trained.pairs,
      crossView: views > 1,
      steps: losses.length,
      firstLoss: losses[0] ?? NaN,
      lastLoss: losses[losses.length - 1] ?? NaN,
      agreementBefore: meanPartnerCosine(store, trained.partner),
      agreementAfter: meanPartnerCosine(refined, trained.partner),
      agreementWithSource: storeAgreement(store, refined).mean,
      ms: performance.now() - t0,
    },
  };
}
