/**
 * The in-suite share of the parser fuzz (`npm run fuzz` runs 10,000 per family): 500 damaged
 * captures per family through loadCapture, each either loaded with finite output or refused with
 * a FormatError naming a dropped file, within 1 s. Real point clouds join the generated seeds when
 * the shared data is present; real RGB-D frames (slow to decode 500 times) only in `npm run fuzz`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzFamilies } from './fuzzFamilies.ts';
import { realSeeds } from './fuzzRealSeeds.ts';
import { runCase, outcomeOk, CASE_TIME_LIMIT_MS } from './fuzzRunner.ts';

const IN_SUITE_RUNS = 500;
const real = realSeeds();
const families = fuzzFamilies({ ...real, frames: [], rig: [], captures: [...real.ply, ...real.pcd].map((f) => [f]) });

describe('every parser family loads or refuses with a FormatError (fast-check)', () => {
  it.each(families.map((f) => [f.name, f] as const))('%s', (_, family) => {
    let cases = 0;
    fc.assert(
      fc.property(family.cases, (c) => {
        cases++;
        const outcome = runCase(c);
        if (!outcomeOk(outcome)) {
          const what =
            outcome.kind === 'loaded' ? outcome.problem : outcome.kind === 'other' ? outcome.message : `${outcome.ms.toFixed(0)} ms > ${CASE_TIME_LIMIT_MS} ms`;
          throw new Error(`${c.target}: ${what}`);
        }
      }),
      { numRuns: IN_SUITE_RUNS, seed: 20261203 },
    );
    expect(cases).toBeGreaterThanOrEqual(IN_SUITE_RUNS);
  });
});
