/**
 * Cross-scene feature matching: `npm run bench:match [-- points dims queries]`.
 *
 * Target: a synthetic smooth feature field (core/synth/featureField.ts: boxes whose features vary
 * smoothly in space, plus noise) of 1 M points × 512-d stored as fp16; queries are target rows
 * with extra noise. Ours: the exact cluster-tree matcher (core/match/matchIndex.ts, index built
 * once per target); peer: a plain loop over the same fp16 rows (decode, dot, keep the top k) —
 * featureMatch.ts's loop made half-aware. Both must return the same top-k before timing.
 *
 * 1. Ratio, rotating rounds on a query subset (the plain loop over 1 M × 512 costs seconds per query).
 * 2. The full 1 k queries: ours exact, ours approximate (at most 64 clusters per query) with its
 *    recall@k against exact, and the peer's time for all queries from its measured time per query.
 */
import { halfTable } from '../core/features/float16.ts';
import { halfFeatures, type HalfFeatures } from '../core/features/featureStores.ts';
import { buildMatchIndex, matchWithIndex, type FeatureMatch } from '../core/match/matchIndex.ts';
import { syntheticFeatureField } from '../core/synth/featureField.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { compare } from './compare.ts';

const points = Number(process.argv[2] ?? 1_000_000);
const dims = Number(process.argv[3] ?? 512);
const queryCount = Number(process.argv[4] ?? 1000);
const RATIO_QUERIES = Number(process.env.MATCH_RATIO_QUERIES ?? 8);
const K = 5;

/** The peer: every query against every row, decoding the halves, sorted insertion into the top k. */
function plainLoop(store: HalfFeatures, queries: Float32Array, k: number): FeatureMatch[][] {
  const table = halfTable();
  const dim = store.dim;
  const out: FeatureMatch[][] = [];
  for (let q = 0; q < queries.length / dim; q++) {
    let qn = 0;
    for (let d = 0; d < dim; d++) qn += queries[q * dim + d]! ** 2;
    const best: FeatureMatch[] = [];
    for (let t = 0; t < store.pointCount; t++) {
      let dot = 0;
      let tn = 0;
      for (let d = 0; d < dim; d++) {
        const v = table[store.halves[t * dim + d]!]!;
        dot += queries[q * dim + d]! * v;
        tn += v * v;
      }
      const sim = dot / Math.sqrt(qn * tn);
      if (best.length < k || sim > best[best.length - 1]!.similarity) {
        best.push({ index: t, similarity: sim });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > k) best.pop();
      }
    }
    out.push(best);
  }
  return out;
}

const t0 = performance.now();
const field = syntheticFeatureField({ count: points, dim: dims, seed: 11, halves: true });
const store = halfFeatures(field.halves!, dims);
console.log(
  `match bench: ${points.toLocaleString('en')} target points × ${dims}-d fp16 (${(store.halves.byteLength / 2 ** 20).toFixed(0)} MiB), ${queryCount} queries, k ${K}; field built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const random = mulberry32(99);
const queries = new Float32Array(queryCount * dims);
const table = halfTable();
for (let q = 0; q < queryCount; q++) {
  const row = Math.floor(random() * points);
  for (let d = 0; d < dims; d++) queries[q * dims + d] = table[store.halves[row * dims + d]!]! + (random() - 0.5) * (0.2 / Math.sqrt(dims));
}
let t = performance.now();
const index = buildMatchIndex(store, field.positions);
const buildMs = performance.now() - t;
console.log(`index: ${index.fineStart.length - 1} fine / ${index.coarseStart.length - 1} coarse clusters, built in ${buildMs.toFixed(0)} ms`);

const subset = queries.subarray(0, RATIO_QUERIES * dims);
const ids = (m: FeatureMatch[][]) => m.map((l) => l.map((x) => x.index).join(',')).join(';');
if (ids(matchWithIndex(index, subset, K)) !== ids(plainLoop(store, subset, K))) throw new Error('match bench: ours and the plain loop disagree on the top k');
await compare(
  'match',
  `${RATIO_QUERIES} queries vs ${points.toLocaleString('en')} × ${dims} fp16, top ${K}`,
  { name: 'cluster tree (exact, index built)', run: () => matchWithIndex(index, subset, K) },
  [{ name: 'plain loop', run: () => plainLoop(store, subset, K) }],
  { rounds: 3, warmup: 0 },
);

const stats = { rowsScored: 0 };
t = performance.now();
const exact = matchWithIndex(index, queries, K, {}, stats);
const exactMs = performance.now() - t;
t = performance.now();
const approx = matchWithIndex(index, queries, K, { maxClusters: 64 });
const approxMs = performance.now() - t;
let hits = 0;
approx.forEach((list, q) => {
  const truth = new Set(exact[q]!.map((m) => m.index));
  hits += list.filter((m) => truth.has(m.index)).length;
});
t = performance.now();
plainLoop(store, queries.subarray(0, dims), K);
const peerPerQuery = performance.now() - t;
console.log(
  `${queryCount} queries: exact ${(exactMs / 1000).toFixed(2)} s (+ index ${(buildMs / 1000).toFixed(2)} s; ${((100 * stats.rowsScored) / (queryCount * points)).toFixed(2)} % of rows scored), ` +
    `approximate (≤ 64 clusters) ${(approxMs / 1000).toFixed(2)} s, recall@${K} ${(hits / (K * queryCount)).toFixed(3)}; ` +
    `plain loop ${((peerPerQuery * queryCount) / 1000).toFixed(1)} s (${peerPerQuery.toFixed(0)} ms per query × ${queryCount})`,
);
