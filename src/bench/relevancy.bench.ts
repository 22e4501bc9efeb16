/**
 * Relevancy throughput: `npx tsx src/bench/relevancy.bench.ts [points] [dims]`.
 *
 * Times cosine relevancy and LERF (4 negatives) over a 300,000 × 512 feature field against one
 * plain pass over the same bytes (a loop summing every feature float, with one and with four
 * accumulators) as the yardstick, in rotating rounds (compare.ts). LERF is timed twice: the first
 * query with a negative set (all 1 + 4 dot products per point) and later queries, whose negative
 * terms (max negative cosine per point, negativeTerms.ts) are cached per field. Goals: cosine ≤ 2×
 * and LERF ≤ 2× the plain pass.
 */
import { COSINE, LERF, PAIRED_SOFTMAX, inverseNorms, relevancy, relevancyLayers } from '../core/query/formulas.ts';
import { negativeTerms } from '../core/query/negativeTerms.ts';
import { assertSameOutput, compare, loadNow } from './compare.ts';

const points = Number(process.argv[2] ?? 300_000);
const dims = Number(process.argv[3] ?? 512);
const WARMUP = 2;
const RUNS = 5;

/** Deterministic pseudo-random features in [−1, 1) (xorshift32; the bench must not vary by run). */
function makeFeatures(n: number, d: number, seed: number): Float32Array {
  const out = new Float32Array(n * d);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state / 2147483648 - 1;
  }
  return out;
}

let sink = 0;
function plainSum(features: Float32Array): number {
  const length = features.length;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += features[i]!;
  return sum;
}

function plainSum4(features: Float32Array): number {
  const length = features.length;
  const end = length - (length & 3);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < end; i += 4) {
    s0 += features[i]!;
    s1 += features[i + 1]!;
    s2 += features[i + 2]!;
    s3 += features[i + 3]!;
  }
  for (; i < length; i++) s0 += features[i]!;
  return s0 + s1 + s2 + s3;
}

// Give the yardsticks type feedback on every path (tail loops included) before the big runs:
// otherwise V8 compiles them on-stack mid-loop and deoptimises at the never-seen tail each call.
for (let r = 0; r < 50; r++) sink += plainSum(new Float32Array(1003)) + plainSum4(new Float32Array(1003));

const features = makeFeatures(points, dims, 12345);
const texts = Array.from({ length: 8 }, (_, k) => makeFeatures(1, dims, 777 + k));
const query = texts[0]!;
const negatives = texts.slice(1, 5);
const out = new Float32Array(points);
const outLayers = [new Float32Array(points), new Float32Array(points)];

const mb = (features.byteLength / 2 ** 20).toFixed(0);
console.log(`relevancy bench: ${points.toLocaleString('en')} points × ${dims} dims (${mb} MiB of features), ${RUNS} rotating rounds after ${WARMUP} warm-up`);
console.log(`node ${process.version}, ${process.arch}, load ${loadNow().toFixed(2)}`);

const norms = inverseNorms(features, dims);
const lerfTerms = negativeTerms(features, dims, negatives, LERF, norms);
const yardstick = { name: 'one plain pass (sum, 1 accumulator)', run: () => plainSum(features) };
const yardstick4 = { name: 'one plain pass (sum, 4 accumulators)', run: () => plainSum4(features) };
const figure = (what: string) => `${what}, ${points.toLocaleString('en')} × ${dims} float32`;
const cases: [string, () => unknown][] = [
  ['cosine', () => relevancy(features, dims, query, [], COSINE, { out })],
  ['cosine, cached inverse norms', () => relevancy(features, dims, query, [], COSINE, { out, inverseNorms: norms })],
  ['LERF 4 negatives, first query (negatives computed)', () => relevancy(features, dims, query, negatives, LERF, { out, inverseNorms: norms })],
  [
    'LERF 4 negatives, later queries (cached negative terms)',
    () => relevancy(features, dims, query, negatives, LERF, { out, inverseNorms: norms, negativeTerms: lerfTerms }),
  ],
  ['paired-softmax 4 negatives, first query', () => relevancy(features, dims, query, negatives, PAIRED_SOFTMAX, { out })],
  ['LERF 2 positives, 4 negatives, first query', () => relevancyLayers(features, dims, [query, texts[5]!], negatives, LERF, { out: outLayers })],
  ['inverseNorms (once per field)', () => inverseNorms(features, dims, norms)],
];
// Cached and uncached LERF agree (the cache stores the max negative cosine as float32).
const cachedLerf = relevancy(features, dims, query, negatives, LERF, { inverseNorms: norms, negativeTerms: lerfTerms });
assertSameOutput('LERF cached vs uncached', cachedLerf, relevancy(features, dims, query, negatives, LERF, { inverseNorms: norms }), 1e-5);
for (const [name, run] of cases)
  await compare('relevancy', figure(name), { name: 'FieldLens', run }, [yardstick, yardstick4], { rounds: RUNS, warmup: WARMUP });
if (Number.isNaN(sink)) console.log('(sink is NaN)');
