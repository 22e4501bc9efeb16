/**
 * Compact feature stores: `npm run bench:features [-- points dims]`.
 *
 * Times relevancy over a 300,000 × 512 fp16 per-point store (core/features) — cosine, and LERF
 * with the 4 canonical negatives — against one plain pass over the same stored bytes (a loop
 * summing every stored half as an integer: the least work that reads them all), and a second
 * yardstick that also decodes every half through the table. Rounds alternate the cases so a busy
 * machine slows a round's cases alike; each ratio is taken within a round and reported as
 * min / median / max over the rounds. Goals (issue 18): cosine ≤ 2×, LERF ≤ 3× the plain pass;
 * issue 17: LERF ≤ 2×. LERF is timed for a first query with a negative set (1 + 4 dot products
 * per row; one sigmoid per point, of the largest negative cosine) and for later queries, which
 * read the cached largest negative cosine per point and do the positive's dot product only.
 * Also prints the memory per point of the fp16 store and of a segment store at Redwood scale.
 */
import { COSINE, LERF } from '../core/query/formulas.ts';
import { encodeHalves, halfTable } from '../core/features/float16.ts';
import { featureBytes, halfFeatures, segmentFeatures } from '../core/features/featureStores.ts';
import { storeNegativeTerms, storeRelevancyLayers } from '../core/features/storeKernels.ts';
import { negativeTermsFrom } from '../core/query/negativeTerms.ts';
import { halfCosines } from '../core/features/halfKernels.ts';
import { assertSameOutput, loadNow } from './compare.ts';

const points = Number(process.argv[2] ?? 300_000);
const dims = Number(process.argv[3] ?? 512);
const WARMUP = 2;
const RUNS = 7;

/** Deterministic values in [−1, 1) (xorshift32), written as halves chunk by chunk. */
function randomHalves(count: number, seed: number): Uint16Array {
  const out = new Uint16Array(count);
  const chunk = new Float32Array(65536);
  let state = seed >>> 0 || 1;
  for (let start = 0; start < count; start += chunk.length) {
    const n = Math.min(chunk.length, count - start);
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      chunk[i] = state / 2147483648 - 1;
    }
    encodeHalves(chunk.subarray(0, n), out.subarray(start, start + n));
  }
  return out;
}

function plainPass(halves: Uint16Array): number {
  let sum = 0;
  for (let i = 0; i < halves.length; i++) sum += halves[i]!;
  return sum;
}

function decodingPass(halves: Uint16Array): number {
  const table = halfTable();
  let sum = 0;
  for (let i = 0; i < halves.length; i++) sum += table[halves[i]!]!;
  return sum;
}

let sink = 0;
function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  sink += typeof result === 'number' ? result : Array.isArray(result) ? (result[0] as Float32Array)[0]! : 0;
  return ms;
}
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

for (let r = 0; r < 50; r++) sink += plainPass(new Uint16Array(1003)) + decodingPass(new Uint16Array(1003));

const store = halfFeatures(randomHalves(points * dims, 12345), dims);
const text = (k: number) => {
  const v = new Float32Array(dims);
  for (let d = 0; d < dims; d++) v[d] = Math.sin(d * 0.37 + k * 1.3);
  return v;
};
const query = text(0);
const negatives = [1, 2, 3, 4].map(text);

console.log(
  `features bench: ${points.toLocaleString('en')} points × ${dims} fp16 (${(store.halves.byteLength / 2 ** 20).toFixed(0)} MiB stored), ${RUNS} rounds after ${WARMUP} warm-up`,
);
console.log(`node ${process.version}, ${process.arch}, load ${loadNow().toFixed(2)}`);
// What the studio keeps per field (storeNegativeTerms): computed ahead of the first query for the
// default formula's canonical negatives (infer/featureWarmup.ts), so a LERF query with them does
// the positive's dot product only; a new negative set pays the negatives' pass once.
const lerfTerms = storeNegativeTerms(store, ['n1', 'n2', 'n3', 'n4'], negatives, LERF);
assertSameOutput(
  'LERF cached vs uncached, fp16',
  storeRelevancyLayers(store, [query], negatives, LERF, lerfTerms)[0]!,
  storeRelevancyLayers(store, [query], negatives, LERF)[0]!,
  1e-5,
);
const cases: [string, () => unknown][] = [
  ['plain pass over the stored halves', () => plainPass(store.halves)],
  ['decoding pass (table lookup per half)', () => decodingPass(store.halves)],
  ['cosine, fp16 store', () => storeRelevancyLayers(store, [query], [], COSINE)],
  ['lerf (4 negatives), fp16 store', () => storeRelevancyLayers(store, [query], negatives, LERF)],
  [
    'lerf, later queries (cached max negative; the studio computes it before the first query)',
    () => storeRelevancyLayers(store, [query], negatives, LERF, lerfTerms),
  ],
  ['lerf negative terms alone (4 dots per row)', () => negativeTermsFrom(points, dims, negatives, LERF, halfCosines(store)).max],
];
const times = cases.map((): number[] => []);
for (let round = 0; round < WARMUP + RUNS; round++) {
  const row = cases.map(([, fn]) => timeOnce(fn));
  if (round >= WARMUP) row.forEach((ms, c) => times[c]!.push(ms));
}
if (Number.isNaN(sink)) console.log('(sink is NaN)');
console.log(`load ${loadNow().toFixed(2)}`);
const fmt = (v: number[]) => `${v[0]!.toFixed(2)} / ${v[Math.floor(v.length / 2)]!.toFixed(2)} / ${v[v.length - 1]!.toFixed(2)}`;
for (let c = 0; c < cases.length; c++) {
  const ms = sorted(times[c]!);
  const ratios = sorted(times[c]!.map((t, r) => t / times[0]![r]!));
  console.log(
    `${cases[c]![0].padEnd(44)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(1).padStart(7)} ms   ratio to plain pass (min / median / max) ${c === 0 ? '1 (yardstick)' : fmt(ratios)}`,
  );
}

// Memory per point.
console.log(
  `fp16 store: ${(featureBytes(store) / points).toFixed(1)} B per point (${dims} halves; the kernels sum each row's squares in their sweep, no norm is stored); float32 would be ${4 * dims} B`,
);
const redwoodPoints = 1_070_000;
const segments = 400;
const segmentStore = segmentFeatures(new Float32Array(segments * 512), 512, new Uint16Array(redwoodPoints));
console.log(
  `segment store, ${redwoodPoints.toLocaleString('en')} points / ${segments} segments × 512: ${(featureBytes(segmentStore) / 2 ** 20).toFixed(2)} MiB = ${(featureBytes(segmentStore) / redwoodPoints).toFixed(2)} B per point (per-point float32 would be ${((redwoodPoints * 2048) / 2 ** 30).toFixed(2)} GiB)`,
);
