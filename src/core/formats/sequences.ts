/**
 * Frame lists and association for RGB-D sequences: TUM `rgb.txt` / `depth.txt`, Open3D `rgbd.match`,
 * timestamp association (TUM's associate.py semantics) and nearest ground-truth pose lookup.
 */
import type { CameraToWorld } from '../units.ts';
import { FormatError } from './formatError.ts';

export interface TimedPath {
  readonly timestamp: number;
  readonly path: string;
}

/**
 * TUM `rgb.txt` / `depth.txt`: `timestamp path` per line; `#` lines are comments (TUM's files open
 * with three). Commas and tabs count as separators, as in associate.py. Sorted by time.
 */
export function parseTumFileList(text: string, fileName: string): TimedPath[] {
  const out: TimedPath[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/[\s,]+/).filter((t) => t !== '');
    const timestamp = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tokens[0] ?? '') ? Number(tokens[0]) : NaN;
    if (tokens.length < 2 || !Number.isFinite(timestamp)) {
      throw new FormatError(
        `${fileName}: line ${i + 1}: expected "timestamp path" (e.g. "1305031102.175304 rgb/1305031102.175304.png"), found "${line.slice(0, 80)}"`,
      );
    }
    out.push({ timestamp, path: tokens[1]! });
  }
  if (out.length === 0) throw new FormatError(`${fileName}: no frames (expected lines of "timestamp path")`);
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

export interface RgbdPair {
  readonly depth: string;
  readonly color: string;
}

const COLOR_HINT = /(^|\/)(colou?r|rgb|image|images)\/|\.(jpe?g)$/i;
const DEPTH_HINT = /(^|\/)depths?\//i;

/**
 * Open3D / Redwood `rgbd.match`: one `depth/00000.png color/00000.jpg` pair per line (depth FIRST).
 * If a line is written the other way round — its first path is plainly colour (a color/ or rgb/
 * folder, or .jpg) and its second plainly depth (a depth/ folder) — it is read accordingly.
 */
export function parseRgbdMatch(text: string, fileName: string): RgbdPair[] {
  const out: RgbdPair[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/\s+/);
    if (tokens.length !== 2) {
      throw new FormatError(`${fileName}: line ${i + 1}: expected "depth/<name>.png color/<name>.jpg" (two paths), found "${line.slice(0, 80)}"`);
    }
    const [first, second] = tokens as [string, string];
    const swapped = COLOR_HINT.test(first) && !DEPTH_HINT.test(first) && DEPTH_HINT.test(second);
    out.push(swapped ? { depth: second, color: first } : { depth: first, color: second });
  }
  if (out.length === 0) throw new FormatError(`${fileName}: no pairs (expected lines of "depth/<name>.png color/<name>.jpg")`);
  return out;
}

export interface Association<A, B> {
  readonly a: A;
  readonly b: B;
  /** |a.timestamp − b.timestamp| in seconds. */
  readonly difference: number;
}

/**
 * Pairs entries of `a` with entries of `b` by timestamp, exactly as TUM's associate.py does: all
 * candidate pairs with |ta − tb| < maxDifference (strict), taken greedily in order of increasing
 * difference (ties: earlier a, then earlier b), each entry of either list used at most once; the
 * result sorted by a's timestamp. Lists need not be sorted.
 */
export function associateByTimestamp<A extends { readonly timestamp: number }, B extends { readonly timestamp: number }>(
  a: readonly A[],
  b: readonly B[],
  maxDifference = 0.02,
): Association<A, B>[] {
  if (!(maxDifference >= 0)) throw new Error(`associateByTimestamp: maxDifference must be ≥ 0, found ${maxDifference}`);
  // Entries with equal timestamps are interchangeable but for their order, so candidates are formed
  // between groups of equal timestamps (linear in distinct times, not quadratic in colliding
  // entries). Greedy on a group pair (in associate.py's order: difference, a's time, b's time, a's
  // index, b's index) pairs the group's unused entries in index order.
  const aGroups = groupByTimestamp(a);
  const bGroups = groupByTimestamp(b);
  const candidates: { diff: number; ag: number; bg: number }[] = [];
  for (let ag = 0; ag < aGroups.length; ag++) {
    const t = aGroups[ag]!.time;
    // Binary-search the first b with t − b < maxDifference, then walk while b − t < maxDifference.
    // Both tests use the same rounded differences as |t − b| below (floating subtraction is
    // monotone and antisymmetric), so no candidate at the edge is lost to rounding of t ± max.
    let lo = 0;
    let hi = bGroups.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t - bGroups[mid]!.time >= maxDifference) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < bGroups.length && bGroups[k]!.time - t < maxDifference; k++) {
      const diff = Math.abs(t - bGroups[k]!.time);
      if (diff < maxDifference) candidates.push({ diff, ag, bg: k });
    }
  }
  candidates.sort((x, y) => x.diff - y.diff || aGroups[x.ag]!.time - aGroups[y.ag]!.time || bGroups[x.bg]!.time - bGroups[y.bg]!.time);
  const out: Association<A, B>[] = [];
  for (const c of candidates) {
    const ga = aGroups[c.ag]!;
    const gb = bGroups[c.bg]!;
    while (ga.next < ga.indices.length && gb.next < gb.indices.length) {
      out.push({ a: a[ga.indices[ga.next++]!]!, b: b[gb.indices[gb.next++]!]!, difference: c.diff });
    }
  }
  return out.sort((x, y) => x.a.timestamp - y.a.timestamp);
}

interface TimestampGroup {
  readonly time: number;
  /** Entries with this timestamp, in input order; `next` is the first not yet paired. */
  readonly indices: number[];
  next: number;
}

function groupByTimestamp(list: readonly { readonly timestamp: number }[]): TimestampGroup[] {
  const order = list.map((_, i) => i).sort((i, j) => list[i]!.timestamp - list[j]!.timestamp || i - j);
  const groups: TimestampGroup[] = [];
  for (const i of order) {
    const t = list[i]!.timestamp;
    const last = groups[groups.length - 1];
    if (last && last.time === t) last.indices.push(i);
    else groups.push({ time: t, indices: [i], next: 0 });
  }
  return groups;
}

type TimedPoseLike = { readonly timestamp: number; readonly cameraToWorld: CameraToWorld };

/** Whether each ground-truth list is sorted by time, so repeated look-ups can binary-search. */
const sortedLists = new WeakMap<readonly TimedPoseLike[], boolean>();

function isSorted(gt: readonly TimedPoseLike[]): boolean {
  let sorted = sortedLists.get(gt);
  if (sorted === undefined) {
    sorted = gt.every((e, i) => i === 0 || gt[i - 1]!.timestamp <= e.timestamp);
    sortedLists.set(gt, sorted);
  }
  return sorted;
}

/**
 * The pose whose timestamp is nearest `t`, or null when none lies within `maxDifference` seconds
 * (inclusive). `gt` need not be sorted (sorted lists, as parseTumGroundTruth returns, are searched
 * in O(log n)); ties go to the earlier pose. No interpolation.
 */
export function poseForTimestamp(gt: readonly TimedPoseLike[], t: number, maxDifference = 0.02): CameraToWorld | null {
  let lo = 0;
  let hi = gt.length;
  if (isSorted(gt)) {
    // Candidates: the last entry ≤ t and the first entry > t.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gt[mid]!.timestamp <= t) lo = mid + 1;
      else hi = mid;
    }
    hi = Math.min(gt.length, lo + 1);
    lo = Math.max(0, lo - 1);
    // Walk back over equal timestamps so ties resolve to the earliest entry.
    while (lo > 0 && gt[lo - 1]!.timestamp === gt[lo]!.timestamp) lo--;
  } else {
    lo = 0;
    hi = gt.length;
  }
  let best: CameraToWorld | null = null;
  let bestDiff = Infinity;
  let bestTime = Infinity;
  for (let i = lo; i < hi; i++) {
    const entry = gt[i]!;
    const diff = Math.abs(entry.timestamp - t);
    if (diff < bestDiff || (diff === bestDiff && entry.timestamp < bestTime)) {
      best = entry.cameraToWorld;
      bestDiff = diff;
      bestTime = entry.timestamp;
    }
  }
  return bestDiff <= maxDifference ? best : null;
}
