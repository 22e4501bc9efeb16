/**
 * Cross-scene feature matching: `npm run bench:match [-- points dims queries]` (default 1 M × 512
 * fp16, 1 k queries, k 5).
 *
 * Target: a synthetic smooth feature field (core/synth/featureField.ts: boxes whose features vary
 * smoothly in space, plus noise) stored as fp16; queries are target rows with extra noise.
 *
 * - Ours, the default for large targets: the approximate inverted file (core/match/approximateIndex.ts),
 *   all queries, timed in full (index build printed apart), at several probe counts.
 * - Peer 1, exact: the blocked exact kernel (core/match/blockedExact.ts) on the first
 *   MATCH_EXACT_QUERIES queries (default 64), its time scaled to all queries — labelled extrapolated
 *   (the whole product is 5·10¹¹ multiply-adds, minutes). Its answers are the truth for recall@k.
 * - Peer 2: a plain loop (decode, dot, keep the top k; featureMatch.ts's loop made half-aware) on
 *   MATCH_PLAIN_QUERIES queries (default 2), checked equal to the exact kernel, scaled the same way.
 * The 1 k × 1 M row goes to bench-results/parts/match.jsonl with the peers' extrapolation noted.
 */
import { halfTable } from '../core/features/float16.ts';
import { halfFeatures, type HalfFeatures } from '../core/features/featureStores.ts';
import { buildApproximateIndex, DEFAULT_PROBES, searchApproximate } from '../core/match/approximateIndex.ts';
import { exactTopK } from '../core/match/blockedExact.ts';
import type { FeatureMatch } from '../core/match/matchIndex.ts';
import { syntheticFeatureField } from '../core/synth/featureField.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { loadNow, recordRows } from './compare.ts';

const points = Number(process.argv[2] ?? 1_000_000);
const dims = Number(process.argv[3] ?? 512);
const queryCount = Number(process.argv[4] ?? 1000);
const EXACT_QUERIES = Math.min(queryCount, Number(process.env.MATCH_EXACT_QUERIES ?? 64));
const PLAIN_QUERIES = Math.min(EXACT_QUERIES, Number(process.env.MATCH_PLAIN_QUERIES ?? 2));
const PROBES = [16, DEFAULT_PROBES, 64].filter((p, i, all) => all.indexOf(p) === i).sort((a, b) => a - b);
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** CPU time of this (single-threaded) process in the last `timed` run: what the run costs on an idle core. */
let lastCpuMs = 0;
const timed = <T>(run: () => T): [T, number] => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return [value, performance.now() - t];
};
/** "12.34 s (CPU 5.67 s)" for the last timed run. */
const both = (ms: number) => `${seconds(ms)} (CPU ${seconds(lastCpuMs)})`;

const [field, fieldMs] = timed(() => syntheticFeatureField({ count: points, dim: dims, seed: 11, halves: true }));
const store = halfFeatures(field.halves!, dims);
console.log(
  `match bench: ${points.toLocaleString('en')} target points × ${dims}-d fp16 (${(store.halves.byteLength / 2 ** 20).toFixed(0)} MiB), ${queryCount} queries, k ${K}; field built in ${both(fieldMs)}, load ${loadNow().toFixed(1)}`,
);
console.log("times: wall clock, and in brackets this process's CPU time (single-threaded: the time on an idle core; the machine is shared)");
const random = mulberry32(99);
const queries = new Float32Array(queryCount * dims);
const table = halfTable();
for (let q = 0; q < queryCount; q++) {
  const row = Math.floor(random() * points);
  for (let d = 0; d < dims; d++) queries[q * dims + d] = table[store.halves[row * dims + d]!]! + (random() - 0.5) * (0.2 / Math.sqrt(dims));
}

const [exact, exactMs] = timed(() => exactTopK(queries.subarray(0, EXACT_QUERIES * dims), store, K));
const exactCpuMs = lastCpuMs;
const exactAllMs = (exactMs * queryCount) / EXACT_QUERIES;
const exactAllCpuMs = (exactCpuMs * queryCount) / EXACT_QUERIES;
console.log(
  `exact, blocked kernel: ${EXACT_QUERIES} queries in ${both(exactMs)}, ${((EXACT_QUERIES * points * dims) / exactCpuMs / 1e6).toFixed(2)} G multiply-adds per CPU second → ` +
    `${queryCount} queries ${seconds(exactAllMs)} (CPU ${seconds(exactAllCpuMs)}) extrapolated`,
);
const [plain, plainMs] = timed(() => plainLoop(store, queries.subarray(0, PLAIN_QUERIES * dims), K));
const ids = (m: FeatureMatch[][]) => m.map((l) => l.map((x) => x.index).join(',')).join(';');
if (ids(plain) !== ids(exact.slice(0, PLAIN_QUERIES))) throw new Error('match bench: the blocked exact kernel and the plain loop disagree on the top k');
const plainAllMs = (plainMs * queryCount) / PLAIN_QUERIES;
const plainAllCpuMs = (lastCpuMs * queryCount) / PLAIN_QUERIES;
console.log(
  `plain loop: ${PLAIN_QUERIES} queries in ${both(plainMs)}, same top ${K} as the exact kernel → ${queryCount} queries ${seconds(plainAllMs)} (CPU ${seconds(plainAllCpuMs)}) extrapolated`,
);

const [index, buildMs] = timed(() => buildApproximateIndex(store, field.positions));
const buildCpuMs = lastCpuMs;
console.log(`approximate index: ${index.listStart.length - 1} lists, ${index.reducedDim}-d ranking, built in ${both(buildMs)}`);
for (const probes of PROBES) {
  const [approx, approxMs] = timed(() => searchApproximate(index, queries, K, { probes }));
  let hits = 0;
  exact.forEach((truth, q) => {
    const want = new Set(truth.map((m) => m.index));
    hits += approx[q]!.filter((m) => want.has(m.index)).length;
  });
  const recall = hits / (K * EXACT_QUERIES);
  console.log(
    `approximate, ${probes} lists per query${probes === DEFAULT_PROBES ? ' (default)' : ''}: ${queryCount} queries in ${both(approxMs)} (+ index ${seconds(buildMs)}, CPU ${seconds(buildCpuMs)}), ` +
      `recall@${K} ${recall.toFixed(3)} against exact on the first ${EXACT_QUERIES}; exact ${seconds(exactAllMs)} (CPU ${seconds(exactAllCpuMs)}) and plain loop ${seconds(plainAllMs)} (CPU ${seconds(plainAllCpuMs)}) extrapolated`,
  );
  if (probes !== DEFAULT_PROBES) continue;
  const figure = `${queryCount} queries vs ${points.toLocaleString('en')} × ${dims} fp16, top ${K}`;
  const note =
    `recall@${K} ${recall.toFixed(3)}; CPU ours ${seconds(lastCpuMs)}, exact ${seconds(exactAllCpuMs)}, plain loop ${seconds(plainAllCpuMs)}; ` +
    `index build ${seconds(buildMs)} (CPU ${seconds(buildCpuMs)}) not included; peer times extrapolated from ${EXACT_QUERIES} (exact) / ${PLAIN_QUERIES} (plain loop) queries`;
  const row = (peer: string, peerMs: number) => ({
    bench: 'match',
    figure,
    ours: `approximate inverted file (${probes} lists per query)`,
    peer,
    oursMs: approxMs,
    peerMs,
    ratio: { min: approxMs / peerMs, median: approxMs / peerMs, max: approxMs / peerMs },
    rounds: 1,
    load: loadNow(),
    note,
  });
  recordRows([row('blocked exact kernel (extrapolated)', exactAllMs), row('plain loop (extrapolated)', plainAllMs)]);
}
