/**
 * Runs fuzz cases through `loadCapture` and classifies each: loaded (and then held to the output
 * checks), refused with a FormatError naming one of the dropped files, any other exception (a
 * bug), or a hang (over the per-case time limit). Shared by `npm run fuzz` and the in-suite fuzz
 * test, so both hold parsers to the same property.
 */
import fc from 'fast-check';
import { captureSettings } from '../../core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../../core/capture/loadCapture.ts';
import { isFormatError } from '../../core/formats/formatError.ts';
import type { FuzzCase, FuzzFamily } from './fuzzFamilies.ts';

export const CASE_TIME_LIMIT_MS = 1000;

export type Outcome =
  | { readonly kind: 'loaded'; readonly ms: number; readonly problem?: string }
  | { readonly kind: 'typed'; readonly ms: number; readonly message: string }
  | { readonly kind: 'other'; readonly ms: number; readonly message: string };

const SETTINGS = captureSettings({ maxFrames: 60 });

/** What is wrong with an accepted capture, or null: non-finite coordinates, a broken camera. */
export function loadedProblem(loaded: LoadedCapture): string | null {
  const p = loaded.cloud.positions;
  for (let i = 0; i < loaded.cloud.count * 3; i++) if (!Number.isFinite(p[i]!)) return `point ${Math.floor(i / 3)} has a non-finite coordinate (${p[i]})`;
  for (const view of loaded.capture.views ?? []) {
    const k = view.intrinsics;
    if (![k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) || k.fx <= 0 || k.fy <= 0) return `view ${view.name}: intrinsics ${JSON.stringify(k)}`;
    if (Math.abs(k.cx - k.width / 2) > k.width || Math.abs(k.cy - k.height / 2) > k.height)
      return `view ${view.name}: principal point (${k.cx}, ${k.cy}) far outside the ${k.width}×${k.height} image`;
    if (!Array.from(view.cameraToWorld).every(Number.isFinite)) return `view ${view.name}: non-finite pose`;
  }
  return null;
}

export function runCase(c: FuzzCase): Outcome {
  const start = performance.now();
  try {
    const loaded = loadCapture(c.files, SETTINGS);
    const problem = loadedProblem(loaded);
    return { kind: 'loaded', ms: performance.now() - start, ...(problem ? { problem } : {}) };
  } catch (error) {
    const ms = performance.now() - start;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return isFormatError(error) && namesAFile(error.message, c) ? { kind: 'typed', ms, message } : { kind: 'other', ms, message };
  }
}

/**
 * A refusal must name what it is about: it starts with a file or folder of the drop (or an entry of
 * a dropped zip), or, for a capture-level refusal ("no depth image among …"), lists the files.
 */
function namesAFile(message: string, c: FuzzCase): boolean {
  const subject = message.slice(0, Math.max(0, message.indexOf(': ')));
  const base = (name: string) => name.slice(name.lastIndexOf('/') + 1);
  if (subject !== '' && c.files.some((f) => subject.includes(base(f.name)) || f.name.startsWith(subject))) return true;
  // Inside a zip, the entries' names are what the message can name.
  if (c.files.some((f) => f.name.endsWith('.zip')) && /[\w-]+\.[A-Za-z0-9]+|\//.test(message)) return true;
  return c.files.some((f) => message.includes(base(f.name)));
}

/** Whether an outcome keeps the property (typed refusal or clean load, within the time limit). */
export function outcomeOk(o: Outcome): boolean {
  if (o.ms > CASE_TIME_LIMIT_MS) return false;
  if (o.kind === 'other') return false;
  return !(o.kind === 'loaded' && o.problem);
}

export interface FamilyTally {
  readonly family: string;
  cases: number;
  loaded: number;
  typed: number;
  other: number;
  badLoads: number;
  hangs: number;
  slowestMs: number;
  readonly examples: string[];
}

export function fuzzFamily(family: FuzzFamily, numRuns: number, seed: number): FamilyTally {
  const tally: FamilyTally = { family: family.name, cases: 0, loaded: 0, typed: 0, other: 0, badLoads: 0, hangs: 0, slowestMs: 0, examples: [] };
  for (const c of fc.sample(family.cases, { numRuns, seed })) {
    const o = runCase(c);
    tally.cases++;
    tally.slowestMs = Math.max(tally.slowestMs, o.ms);
    if (o.ms > CASE_TIME_LIMIT_MS) {
      tally.hangs++;
      if (tally.examples.length < 5) tally.examples.push(`hang ${o.ms.toFixed(0)} ms on ${c.target}`);
    }
    if (o.kind === 'loaded') {
      tally.loaded++;
      if (o.problem) {
        tally.badLoads++;
        if (tally.examples.length < 5) tally.examples.push(`bad load of ${c.target}: ${o.problem}`);
      }
    } else if (o.kind === 'typed') tally.typed++;
    else {
      tally.other++;
      if (tally.examples.length < 5) tally.examples.push(`${c.target}: ${o.message.slice(0, 200)}`);
    }
  }
  return tally;
}

export function formatTable(tallies: readonly FamilyTally[]): string {
  const rows = [
    '| family | cases | loaded | typed errors | other errors | bad loads | hangs > 1 s | slowest |',
    '|---|---|---|---|---|---|---|---|',
    ...tallies.map((t) => `| ${t.family} | ${t.cases} | ${t.loaded} | ${t.typed} | ${t.other} | ${t.badLoads} | ${t.hangs} | ${t.slowestMs.toFixed(0)} ms |`),
  ];
  return rows.join('\n');
}
