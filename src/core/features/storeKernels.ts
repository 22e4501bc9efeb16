/**
 * Query, label, PCA, similarity and agreement kernels over the compact feature stores of
 * featureStores.ts, reading them in their stored form:
 *
 * - segment features: each kernel runs once over the S segment rows (and once over a zero row,
 *   the value of points without a segment), then gathers per point through the index — O(S·D + N)
 *   instead of O(N·D);
 * - fp16 features: relevancy (and so cosine similarity) runs the fused kernel of halfKernels.ts,
 *   decoding each half as it multiplies it; the other kernels decode rows ROW_CHUNK at a time
 *   into one small float32 scratch that stays in cache, and the float32 kernels of core/query run
 *   on it. No per-point float32 copy of the field ever exists, nor a per-point norm.
 *
 * Every result equals the float32 kernel's on the expanded field (to float32 rounding for the
 * segment form, to the halves' rounding for fp16): the float32 formulas are the only formulas.
 */
import { featureAgreement, type FeatureAgreement } from '../query/agreement.ts';
import { relevancyLayers, relevancyLayersFrom, type PointSimilarityOptions, type RelevancyOptions, COSINE } from '../query/formulas.ts';
import { halfCosines } from './halfKernels.ts';
import { cachedNegativeTerms, negativeTermsFrom, type NegativeTerms } from '../query/negativeTerms.ts';
import { pcaProject, stratifiedSample, PCA_DEFAULT_SAMPLE_LIMIT, type PcaOptions, type PcaResult } from '../query/pca.ts';
import { argmaxLabels, labelSegmentation, type LabelMap, type LabelSegmentationOptions } from '../query/segmentation.ts';
import { forEachRowChunk, NO_SEGMENT, readFeatureRows, ROW_CHUNK, segmentOf, type CompactFeatures } from './featureStores.ts';

type RowArray = Float32Array | Float64Array | Int32Array;
type RowKernel = (rows: Float32Array) => RowArray[];

function like(a: RowArray, length: number): RowArray {
  return a instanceof Int32Array ? new Int32Array(length) : a instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/**
 * Runs `kernel` (float32 rows in; per-row outputs of fixed widths out) over every point of the
 * store and returns the per-point outputs, without ever expanding the field.
 */
function perPoint(store: CompactFeatures, kernel: RowKernel): RowArray[] {
  const n = store.pointCount;
  const dim = store.dim;
  if (store.kind === 'segments') {
    const bySegment = kernel(store.segmentFeatures);
    const unassigned = kernel(new Float32Array(dim));
    return unassigned.map((zero, j) => {
      const width = zero.length;
      const source = bySegment[j]!;
      const out = like(zero, n * width);
      for (let i = 0; i < n; i++) {
        const s = segmentOf(store, i);
        if (s === NO_SEGMENT) out.set(zero, i * width);
        else if (width === 1) out[i] = source[s]!;
        else out.set(source.subarray(s * width, (s + 1) * width), i * width);
      }
      return out;
    });
  }
  let outputs: RowArray[] | null = null;
  const scratch = new Float32Array(ROW_CHUNK * dim);
  for (let first = 0; first < n; first += ROW_CHUNK) {
    const count = Math.min(ROW_CHUNK, n - first);
    const rows = readFeatureRows(store, first, count, scratch).subarray(0, count * dim);
    const chunk = kernel(rows);
    outputs ??= chunk.map((a) => like(a, (a.length / count) * n));
    chunk.forEach((a, j) => outputs![j]!.set(a, (a.length / count) * first));
  }
  return outputs ?? kernel(new Float32Array(0)).map((a) => like(a, 0));
}

/**
 * `relevancyLayers` (core/query/formulas.ts) over a compact store: one layer per positive query.
 * `negativeTerms` (fp16 only, from `storeNegativeTerms`): the negatives' cached per-point terms.
 */
export function storeRelevancyLayers(
  store: CompactFeatures,
  queries: readonly Float32Array[],
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
  negativeTerms?: NegativeTerms,
): Float32Array[] {
  // fp16: the fused kernel reads each stored row once (halfKernels.ts).
  if (store.kind === 'fp16') return relevancyLayersFrom(store.pointCount, store.dim, queries, negatives, options, { negativeTerms }, halfCosines(store));
  return perPoint(store, (rows) => relevancyLayers(rows, store.dim, queries, negatives, options)) as Float32Array[];
}

/**
 * The negatives' per-point terms of a store (negativeTerms.ts), for formulas that use negatives,
 * cached per store: fp16 stores only — a segment store evaluates every formula on its S segment
 * rows, where the negatives cost nothing worth caching (undefined).
 */
export function storeNegativeTerms(
  store: CompactFeatures,
  phrases: readonly string[],
  negatives: readonly Float32Array[],
  options: RelevancyOptions,
): NegativeTerms | undefined {
  if (store.kind !== 'fp16' || options.kind === 'cosine' || negatives.length === 0) return undefined;
  return cachedNegativeTerms(store, phrases, options, () => negativeTermsFrom(store.pointCount, store.dim, negatives, options, halfCosines(store)));
}

/** OpenScene-style label argmax (`argmaxLabels`) over a compact store. */
export function storeArgmaxLabels(store: CompactFeatures, labels: readonly Float32Array[]): LabelMap {
  const [out, score] = perPoint(store, (rows) => {
    const map = argmaxLabels(rows, store.dim, labels);
    return [map.labels, map.score];
  });
  return { labels: out as Int32Array, score: score as Float32Array };
}

/** LangSplat-style softmax labels with negatives (`labelSegmentation`) over a compact store. */
export function storeLabelSegmentation(
  store: CompactFeatures,
  labels: readonly Float32Array[],
  negatives: readonly Float32Array[],
  options: LabelSegmentationOptions = {},
): LabelMap {
  const [out, score] = perPoint(store, (rows) => {
    const map = labelSegmentation(rows, store.dim, labels, negatives, options);
    return [map.labels, map.score];
  });
  return { labels: out as Int32Array, score: score as Float32Array };
}

/** `pointSimilarity` (cosine, or SparseDFF's 1 − minmax L2) to point `refIndex`'s feature. */
export function storePointSimilarity(store: CompactFeatures, refIndex: number, options: PointSimilarityOptions = { kind: 'cosine' }): Float32Array {
  if (!Number.isInteger(refIndex) || refIndex < 0 || refIndex >= store.pointCount)
    throw new Error(`pointSimilarity: reference index ${refIndex} is outside 0..${store.pointCount - 1}`);
  const dim = store.dim;
  const ref = readFeatureRows(store, refIndex, 1);
  if (options.kind === 'cosine') return storeRelevancyLayers(store, [ref], [], COSINE)[0]!;
  const [distances] = perPoint(store, (rows) => {
    const n = rows.length / dim;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) {
        const diff = rows[i * dim + d]! - ref[d]!;
        sum += diff * diff;
      }
      out[i] = Math.sqrt(sum);
    }
    return [out];
  });
  let min = Infinity;
  let max = -Infinity;
  for (const v of distances!) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  return Float32Array.from(distances!, (v) => (span > 0 ? 1 - (v - min) / span : 1));
}

/**
 * PCA of a compact store, with the float32 method of core/query/pca.ts: the same stratified
 * sample of points is gathered (≤ sampleLimit rows, the only rows ever expanded together), the
 * axes come from `pcaProject` on it, and every point is projected and centred by the mean
 * projection over all points.
 */
export function storePca(store: CompactFeatures, options: PcaOptions = {}): PcaResult {
  const dim = store.dim;
  if (store.pointCount === 0) throw new Error('pca: no points');
  const sample = stratifiedSample(store.pointCount, options.sampleLimit ?? PCA_DEFAULT_SAMPLE_LIMIT);
  const sampleRows = new Float32Array(sample.length * dim);
  sample.forEach((i, k) => readFeatureRows(store, i, 1, sampleRows.subarray(k * dim, (k + 1) * dim)));
  const fit = pcaProject(sampleRows, dim, { ...options, sampleLimit: Math.max(2, sample.length) });
  const k = fit.axes.length / dim;
  const normalise = options.normaliseRows ?? false;
  const [raw] = perPoint(store, (rows) => {
    const n = rows.length / dim;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += rows[i * dim + d]! * rows[i * dim + d]!;
      const scale = normalise ? (sq > 0 ? 1 / Math.sqrt(sq) : 0) : 1;
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += rows[i * dim + d]! * fit.axes[j * dim + d]!;
        out[i * k + j] = dot * scale;
      }
    }
    return [out];
  });
  const means = new Float64Array(k);
  for (let i = 0; i < raw!.length; i++) means[i % k] = means[i % k]! + raw![i]!;
  for (let j = 0; j < k; j++) means[j] = means[j]! / store.pointCount;
  const projected = Float32Array.from(raw!, (v, i) => v - means[i % k]!);
  return { ...fit, projected };
}

/** Per-point cosine between two stores of the same points (e.g. teacher segments vs student fp16). */
export function storeAgreement(a: CompactFeatures, b: CompactFeatures): FeatureAgreement {
  if (a.pointCount !== b.pointCount || a.dim !== b.dim) {
    throw new Error(`agreement: the feature sets have ${a.pointCount} and ${b.pointCount} rows of ${a.dim} and ${b.dim}; they must describe the same points`);
  }
  const perPointCosine = new Float32Array(a.pointCount);
  const otherRows = new Float32Array(ROW_CHUNK * a.dim);
  let sum = 0;
  let defined = 0;
  forEachRowChunk(a, (rows, first, n) => {
    const chunk = featureAgreement(rows, readFeatureRows(b, first, n, otherRows).subarray(0, n * a.dim), a.dim).perPoint;
    perPointCosine.set(chunk, first);
    for (const c of chunk) {
      if (Number.isNaN(c)) continue;
      sum += c;
      defined++;
    }
  });
  return { perPoint: perPointCosine, mean: defined > 0 ? sum / defined : Number.NaN };
}
