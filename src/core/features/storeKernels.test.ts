/**
 * The compact stores against float32 references: every kernel's result on a store equals the
 * core/query float32 kernel's on the expanded per-point field (segments) or on the original
 * float32 field before fp16 rounding (relevancy to 1e-3).
 */
import { describe, expect, it } from 'vitest';
import { featureAgreement } from '../query/agreement.ts';
import { COSINE, LERF, PAIRED_SOFTMAX, pointSimilarity, relevancyLayers } from '../query/formulas.ts';
import { pcaProject } from '../query/pca.ts';
import { argmaxLabels, labelSegmentation } from '../query/segmentation.ts';
import { encodeFeaturePly } from '../export/featurePly.ts';
import { mulberry32 } from '../synth/prng.ts';
import { featureBytes, halfFeaturesFromFloat32, NO_SEGMENT, readFeatureRows, segmentFeatures, type CompactFeatures } from './featureStores.ts';
import { featurePlyParts } from './featurePlyStream.ts';
import {
  storeAgreement,
  storeArgmaxLabels,
  storeLabelSegmentation,
  storeNegativeTerms,
  storePca,
  storePointSimilarity,
  storeRelevancyLayers,
} from './storeKernels.ts';

const DIM = 64;
const random = mulberry32(7);
const gaussianish = () => random() + random() + random() - 1.5;
const vector = (dim = DIM) => Float32Array.from({ length: dim }, gaussianish);

/** 700 points over 12 segments (some points in none), expanded by hand as the float32 reference. */
function segmentFixture(index: 'int32' | 'uint16') {
  const segments = new Float32Array(12 * DIM).map(gaussianish);
  const n = 700;
  const ids = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 : Math.floor(random() * 12)));
  const segmentOfPoint = index === 'int32' ? Int32Array.from(ids) : Uint16Array.from(ids, (s) => (s < 0 ? 0xffff : s));
  const expanded = new Float32Array(n * DIM);
  ids.forEach((s, i) => s >= 0 && expanded.set(segments.subarray(s * DIM, (s + 1) * DIM), i * DIM));
  return { store: segmentFeatures(segments, DIM, segmentOfPoint), expanded };
}

/** 1000 per-point rows (rows 3 and 500 zero) — more than one decode chunk. */
function halfFixture() {
  const values = new Float32Array(1000 * DIM).map(gaussianish);
  values.fill(0, 3 * DIM, 4 * DIM);
  values.fill(0, 500 * DIM, 501 * DIM);
  return { store: halfFeaturesFromFloat32(values, DIM), expanded: values };
}

const query = vector();
const negatives = [vector(), vector(), vector(), vector()];
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const fixtures: [string, () => { store: CompactFeatures; expanded: Float32Array }, number][] = [
  ['segments (Int32 index)', () => segmentFixture('int32'), 1e-6],
  ['segments (Uint16 index)', () => segmentFixture('uint16'), 1e-6],
  ['fp16 per point', halfFixture, 1e-3],
];

describe.each(fixtures)('%s', (_, make, tolerance) => {
  const { store, expanded } = make();

  it('expands rows on demand to the reference rows', () => {
    expect(maxDiff(readFeatureRows(store, 0, store.pointCount), expanded)).toBeLessThan(tolerance === 1e-3 ? 0.01 : 1e-7);
  });

  it.each([COSINE, LERF, PAIRED_SOFTMAX])('relevancy ($kind) matches the float32 kernel', (options) => {
    const layers = storeRelevancyLayers(store, [query, negatives[0]!], negatives.slice(1), options);
    const reference = relevancyLayers(expanded, DIM, [query, negatives[0]!], negatives.slice(1), options);
    expect(maxDiff(layers[0]!, reference[0]!)).toBeLessThan(tolerance);
    expect(maxDiff(layers[1]!, reference[1]!)).toBeLessThan(tolerance);
  });

  it.each([LERF, PAIRED_SOFTMAX])('relevancy ($kind) with cached negative terms matches the float32 kernel', (options) => {
    const phrases = ['a', 'b', 'c'];
    const terms = storeNegativeTerms(store, phrases, negatives.slice(1), options);
    // Cached once per store (fp16); a segment store evaluates the formula per segment row instead.
    expect(terms === undefined).toBe(store.kind === 'segments');
    expect(storeNegativeTerms(store, phrases, negatives.slice(1), options)).toBe(terms);
    const layers = storeRelevancyLayers(store, [query], negatives.slice(1), options, terms);
    const reference = relevancyLayers(expanded, DIM, [query], negatives.slice(1), options);
    expect(maxDiff(layers[0]!, reference[0]!)).toBeLessThan(tolerance);
  });

  it('label argmax and softmax labels match the float32 kernels', () => {
    const labels = [query, ...negatives.slice(0, 2)];
    const argmax = storeArgmaxLabels(store, labels);
    const argmaxRef = argmaxLabels(expanded, DIM, labels);
    // fp16 rounding may flip a near-tie; the expanded segments must agree everywhere.
    const flips = argmax.labels.filter((l, i) => l !== argmaxRef.labels[i]).length;
    expect(flips).toBeLessThanOrEqual(tolerance === 1e-3 ? 2 : 0);
    const soft = storeLabelSegmentation(store, labels, negatives.slice(2));
    const softRef = labelSegmentation(expanded, DIM, labels, negatives.slice(2));
    expect(maxDiff(soft.score, softRef.score)).toBeLessThan(tolerance);
  });

  it.each([{ kind: 'cosine' }, { kind: 'l2-minmax' }] as const)('point similarity ($kind) matches', (options) => {
    const ref = 5;
    expect(maxDiff(storePointSimilarity(store, ref, options), pointSimilarity(expanded, DIM, ref, options))).toBeLessThan(tolerance);
  });

  it('PCA: same axes (up to rounding) and projection as pcaProject on the expanded field', () => {
    const pca = storePca(store, { sampleLimit: 300 });
    const reference = pcaProject(expanded, DIM, { sampleLimit: 300 });
    expect(maxDiff(pca.axes, reference.axes)).toBeLessThan(tolerance === 1e-3 ? 0.02 : 1e-5);
    expect(maxDiff(pca.projected, reference.projected)).toBeLessThan(tolerance === 1e-3 ? 0.02 : 1e-4);
    expect(pca.sampleCount).toBe(reference.sampleCount);
  });

  it('agreement with a per-point copy of itself is 1 where defined; with other features it matches', () => {
    const other = new Float32Array(expanded.length).map(gaussianish);
    const mixed = Float32Array.from(expanded, (v, i) => v + 0.5 * other[i]!);
    const got = storeAgreement(store, halfFeaturesFromFloat32(mixed, DIM));
    const reference = featureAgreement(expanded, mixed, DIM);
    expect(
      maxDiff(
        got.perPoint.map((v) => (Number.isNaN(v) ? 9 : v)),
        reference.perPoint.map((v) => (Number.isNaN(v) ? 9 : v)),
      ),
    ).toBeLessThan(2e-3);
    expect(Math.abs(got.mean - reference.mean)).toBeLessThan(1e-3);
  });

  it('streams the feature PLY: the parts are encodeFeaturePly of the expanded field', () => {
    const n = store.pointCount;
    const positions = new Float32Array(n * 3).map(gaussianish);
    const colors = new Uint8Array(n * 3).map((_, i) => i % 251);
    const parts = featurePlyParts({ positions, colors, features: store, provenance: { space: 'test', source: 'teacher' } }, 128);
    expect(parts.length).toBe(1 + Math.ceil(n / 128));
    const joined = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((o, p) => (joined.set(p, o), o + p.length), 0);
    const exact = encodeFeaturePly({
      count: n,
      positions,
      colors,
      features: readFeatureRows(store, 0, n),
      dim: DIM,
      provenance: { space: 'test', source: 'teacher' },
    });
    expect(joined.length).toBe(exact.length);
    expect(Buffer.from(joined).equals(Buffer.from(exact))).toBe(true);
  });
});

describe('store sizes and errors', () => {
  it('512-d fp16 costs 1 KiB of halves per point and nothing more; segments cost the index plus S rows', () => {
    const n = 100;
    const half = halfFeaturesFromFloat32(new Float32Array(n * 512), 512);
    expect(featureBytes(half) / n).toBe(1024);
    const seg = segmentFeatures(new Float32Array(10 * 512), 512, new Uint16Array(n));
    expect(featureBytes(seg)).toBe(10 * 512 * 4 + 2 * n);
  });

  it('refuses an index naming a segment that does not exist', () => {
    expect(() => segmentFeatures(new Float32Array(2 * 4), 4, Int32Array.from([0, 2]))).toThrow('segment features: point 1 names segment 2, there are 2');
    expect(() => segmentFeatures(new Float32Array(2 * 4), 4, Int32Array.from([-2]))).toThrow(`use ${NO_SEGMENT} for no segment`);
    expect(() => halfFeaturesFromFloat32(new Float32Array(5), 4)).toThrow('fp16 features: 5 values are not rows of 4');
  });
});
