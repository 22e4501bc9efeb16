/**
 * `npm run fuzz [-- --runs N --seed S --family NAME]`: every parser family, N cases each
 * (default 10,000), the table of outcomes, and up to 5 examples of each failure. Exits 1 when any
 * case escaped with another exception type, loaded with bad output or took over 1 s.
 */
import { parseArgs } from 'node:util';
import { fuzzFamilies } from './fuzzFamilies.ts';
import { realSeeds } from './fuzzRealSeeds.ts';
import { formatTable, fuzzFamily, type FamilyTally } from './fuzzRunner.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261203' }, family: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const real = realSeeds();
console.log(real.skipped ?? `real-data seeds: ${real.ply.length} PLY, ${real.pcd.length} PCD, ${real.frames.length} frames, ${real.rig.length} rig`);
const tallies: FamilyTally[] = [];
for (const family of fuzzFamilies(real)) {
  if (values.family && family.name !== values.family) continue;
  const start = performance.now();
  const tally = fuzzFamily(family, runs, seed);
  tallies.push(tally);
  console.log(`${family.name}: ${tally.cases} cases in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  for (const e of tally.examples) console.log(`  ${e}`);
}
console.log(formatTable(tallies));
const failed = tallies.some((t) => t.other + t.badLoads + t.hangs > 0);
process.exitCode = failed ? 1 : 0;
