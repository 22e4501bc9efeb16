/**
 * Relevancy throughput: `npx tsx src/bench/relevancy.bench.ts [points] [dims]`.
 *
 * Times cosine relevancy and LERF (4 negatives) over a 300,000 × 512 feature field, and a plain
 * pass over the same bytes (a loop summing every feature float) as the yardstick. Each figure is
 * the median of 5 timed rounds after 2 warm-up rounds (a round runs every case once; ratios are
 * per round, then the median). The cosine goal is ≤ 2× the plain pass.
 *
 * Two yardsticks are printed: the naive one-accumulator sum (what "a loop summing all floats"
 * is; bound by the latency of its single add chain) and a 4-accumulator sum (closer to the memory
 * bound). Ratios are given against both. Rows marked "cached inverse norms" pass
 * `inverseNorms(features, dims)` (computed once per feature field, timed on its own row), so the
 * per-query pass does dot products only.
 */
import { COSINE, LERF, PAIRED_SOFTMAX, inverseNorms, relevancy, relevancyLayers } from '../core/query/formulas.ts';

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

let sink = 0;
/** Wall time of one call in ms; the result feeds a sink so the work cannot be dropped. */
function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  sink += typeof result === 'number' ? result : result instanceof Float32Array ? result[0]! : Array.isArray(result) ? (result[0] as Float32Array)[0]! : 0;
  return ms;
}

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
console.log(`relevancy bench: ${points.toLocaleString('en')} points × ${dims} dims (${mb} MiB of features), median of ${RUNS} after ${WARMUP} warm-up`);
console.log(`node ${process.version}, ${process.arch}`);

const norms = inverseNorms(features, dims);
const cases: [string, () => unknown][] = [
  ['plain sum (1 accumulator)', () => plainSum(features)],
  ['plain sum (4 accumulators)', () => plainSum4(features)],
  ['cosine', () => relevancy(features, dims, query, [], COSINE, { out })],
  ['lerf (4 negatives)', () => relevancy(features, dims, query, negatives, LERF, { out })],
  ['paired-softmax (4 negatives)', () => relevancy(features, dims, query, negatives, PAIRED_SOFTMAX, { out })],
  ['lerf, 2 positives (4 negatives)', () => relevancyLayers(features, dims, [query, texts[5]!], negatives, LERF, { out: outLayers })],
  ['inverseNorms (once per field)', () => inverseNorms(features, dims, norms)],
  ['cosine, cached inverse norms', () => relevancy(features, dims, query, [], COSINE, { out, inverseNorms: norms })],
  ['lerf (4 negatives), cached inverse norms', () => relevancy(features, dims, query, negatives, LERF, { out, inverseNorms: norms })],
];

// Rounds run every case in turn, so a busy machine slows all cases of a round alike; each ratio
// is taken within a round (case / that round's plain sum) and the median over rounds reported.
const times = cases.map((): number[] => []);
for (let round = 0; round < WARMUP + RUNS; round++) {
  const row = cases.map(([, fn]) => timeOnce(fn));
  if (round >= WARMUP) row.forEach((ms, c) => times[c]!.push(ms));
}
if (Number.isNaN(sink)) console.log('(sink is NaN)');
const base1 = median(times[0]!);
const base4 = median(times[1]!);
const ratio = (c: number, base: number) => median(times[c]!.map((ms, r) => ms / times[base]![r]!));

const gbps = (ms: number) => (features.byteLength / 1e9 / (ms / 1000)).toFixed(2);
console.log(`${'plain sum (1 accumulator)'.padEnd(42)} ${base1.toFixed(1).padStart(8)} ms  ${gbps(base1)} GB/s  (yardstick)`);
console.log(`${'plain sum (4 accumulators)'.padEnd(42)} ${base4.toFixed(1).padStart(8)} ms  ${gbps(base4)} GB/s`);
for (let c = 2; c < cases.length; c++) {
  const ms = median(times[c]!);
  console.log(
    `${cases[c]![0].padEnd(42)} ${ms.toFixed(1).padStart(8)} ms  ${gbps(ms)} GB/s  ratio ${ratio(c, 0).toFixed(2)}× (vs 4-acc sum ${ratio(c, 1).toFixed(2)}×)`,
  );
}
