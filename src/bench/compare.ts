/**
 * The one way benchmarks time ours against peers. The machine is shared (2 cores, many
 * processes), so absolute times drift with load: every round runs each case once, in an order that
 * rotates by one each round, and the ratio ours / peer is taken within the round. The figure is
 * the min / median / max of those per-round ratios (robust to a load change between rounds), with
 * the 1-minute load average printed beside it.
 *
 * Ratio convention everywhere: ours time / peer time, so below 1 means ours is faster.
 *
 * Results: every comparison is printed and appended to `bench-results/parts/<bench>.json`
 * (git-ignored); `npm run bench` (src/bench/runAll.ts) merges the parts into one results file and a
 * Markdown table.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../node/repoPaths.ts';

export interface BenchCase {
  readonly name: string;
  /** One run of the work; the returned value feeds a sink so the work cannot be dropped. */
  readonly run: () => unknown;
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** One row of the results table: ours against one peer on the same work. */
export interface ComparisonRow {
  readonly bench: string;
  readonly figure: string;
  readonly ours: string;
  readonly peer: string;
  readonly oursMs: number;
  readonly peerMs: number;
  /** Per-round ours / peer. */
  readonly ratio: Spread;
  readonly rounds: number;
  /** 1-minute load average when the comparison finished. */
  readonly load: number;
  readonly note?: string;
}

export const resultsDir = join(repoRoot, 'bench-results');
const partsDir = join(resultsDir, 'parts');

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

export function loadNow(): number {
  return loadavg()[0]!;
}

let sink = 0;
function consume(result: unknown): void {
  if (typeof result === 'number') sink += result;
  else if (result && typeof result === 'object' && 'length' in result) sink += Number((result as { length: number }).length) || 0;
  else sink += 1;
}

/**
 * Times `ours` and every peer in `rounds` rounds (after `warmup` untimed rounds), rotating the
 * order each round, and returns the per-case sample times (ms) in case order [ours, ...peers].
 */
export async function timeRounds(cases: readonly BenchCase[], rounds: number, warmup = 1): Promise<number[][]> {
  const samples = cases.map((): number[] => []);
  for (let r = 0; r < warmup + rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      const c = (j + r) % cases.length;
      const t0 = performance.now();
      consume(await cases[c]!.run());
      const ms = performance.now() - t0;
      if (r >= warmup) samples[c]!.push(ms);
    }
  }
  if (Number.isNaN(sink)) console.log('(sink is NaN)');
  return samples;
}

/**
 * Times ours against each peer (all in the same rotating rounds), prints one line per peer and
 * records the rows under `bench`. `figure` names the work (e.g. "back-projection 640×480").
 */
export async function compare(
  bench: string,
  figure: string,
  ours: BenchCase,
  peers: readonly BenchCase[],
  options: { rounds?: number; warmup?: number; note?: string } = {},
): Promise<ComparisonRow[]> {
  const rounds = options.rounds ?? 7;
  const samples = await timeRounds([ours, ...peers], rounds, options.warmup ?? 1);
  const load = loadNow();
  const rows = peers.map((peer, p): ComparisonRow => {
    const ratios = samples[0]!.map((ms, r) => ms / samples[p + 1]![r]!);
    return {
      bench,
      figure,
      ours: ours.name,
      peer: peer.name,
      oursMs: spread(samples[0]!).median,
      peerMs: spread(samples[p + 1]!).median,
      ratio: spread(ratios),
      rounds,
      load,
      ...(options.note ? { note: options.note } : {}),
    };
  });
  for (const row of rows) printRow(row);
  recordRows(rows);
  return rows;
}

export function formatRatio(s: Spread): string {
  return `${s.median.toFixed(2)}× (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
}

export function printRow(row: ComparisonRow): void {
  console.log(
    `${row.figure}: ${row.ours} ${row.oursMs.toFixed(1)} ms vs ${row.peer} ${row.peerMs.toFixed(1)} ms — ours/peer ${formatRatio(row.ratio)} over ${row.rounds} rounds, load ${row.load.toFixed(2)}${row.note ? ` (${row.note})` : ''}`,
  );
}

/** Appends rows to this bench's part file (one JSON object per line). */
export function recordRows(rows: readonly ComparisonRow[]): void {
  if (rows.length === 0) return;
  mkdirSync(partsDir, { recursive: true });
  appendFileSync(join(partsDir, `${rows[0]!.bench}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Throws unless `ours` and `theirs` agree element-wise within `tolerance` (before any timing). */
export function assertSameOutput(what: string, ours: ArrayLike<number>, theirs: ArrayLike<number>, tolerance = 0): void {
  if (ours.length !== theirs.length) throw new Error(`${what}: ours has ${ours.length} values, the peer ${theirs.length}`);
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (!(Math.abs(a - b) <= tolerance) && !(Number.isNaN(a) && Number.isNaN(b))) throw new Error(`${what}: value ${i} differs (ours ${a}, peer ${b})`);
  }
}
