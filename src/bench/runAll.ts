/**
 * `npm run bench`: runs the Node benchmarks one after another (each in its own process, so one's
 * heap and JIT state do not colour the next), then merges the rows they recorded (compare.ts) into
 * `bench-results/results.json` and a Markdown table `bench-results/results.md` (figure, ours, peer,
 * ratio, load). Pass bench names to run a subset: `npm run bench -- lift parse`.
 *
 * Browser and model benchmarks (render, text, teacher, studio, GPU) have their own scripts; those
 * that record rows (text) are merged here too when their part file exists from the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../node/repoPaths.ts';
import { resultsDir, type ComparisonRow } from './compare.ts';

/** Bench name → script (the part file is named after the bench name each script records under). */
const BENCHES: Readonly<Record<string, string>> = {
  parse: 'src/bench/parsePly.bench.ts',
  lift: 'src/bench/lift.bench.ts',
  outliers: 'src/bench/outliers.bench.ts',
  relevancy: 'src/bench/relevancy.bench.ts',
  text: 'src/bench/textEncoder.bench.ts',
};

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHES);
for (const name of chosen) if (!BENCHES[name]) throw new Error(`npm run bench: unknown bench "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);

const partsDir = join(resultsDir, 'parts');
rmSync(partsDir, { recursive: true, force: true });
mkdirSync(partsDir, { recursive: true });
const failures: string[] = [];
for (const name of chosen) {
  console.log(`\n=== ${name}: ${BENCHES[name]} ===`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', BENCHES[name]!], { cwd: repoRoot, stdio: 'inherit' });
  } catch (err) {
    failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
  }
}

const rows: ComparisonRow[] = [];
for (const file of existsSync(partsDir) ? readdirSync(partsDir).sort() : []) {
  for (const line of readFileSync(join(partsDir, file), 'utf8').split('\n')) if (line.trim()) rows.push(JSON.parse(line) as ComparisonRow);
}
const meta = { date: new Date().toISOString(), node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, failures };
writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({ ...meta, rows }, null, 2) + '\n');

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const table = [
  `Benchmarks, ${meta.date} (node ${meta.node}, ${meta.cpus}). Ratio = ours time / peer time per round (below 1: ours faster): median (min–max).`,
  '',
  '| figure | ours | ms | peer | ms | ratio | load |',
  '|---|---|---:|---|---:|---|---:|',
  ...rows.map(
    (r) =>
      `| ${r.figure} | ${r.ours} | ${fmt(r.oursMs)} | ${r.peer} | ${fmt(r.peerMs)} | ${r.ratio.median.toFixed(2)}× (${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)}) | ${r.load.toFixed(1)} |`,
  ),
  ...(failures.length > 0 ? ['', `Failed: ${failures.join('; ')}`] : []),
  '',
].join('\n');
writeFileSync(join(resultsDir, 'results.md'), table);
console.log(`\n${table}`);
console.log(`wrote ${join(resultsDir, 'results.json')} and results.md (${rows.length} rows)`);
if (failures.length > 0) process.exitCode = 1;
