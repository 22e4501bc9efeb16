/**
 * Locates the real captures beside the repo (../shared/data) or at $FIELDLENS_REAL_DATA, for tests
 * that check parsers and lifting against real files. Tests call `requireRealData(ctx, …)`, which
 * skips them WITH the reason when the data is absent — never a silent pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../node/repoPaths.ts';

/** The `data` folder of the shared real data (holding rgbd/ and clip/), or null. */
export function realDataRoot(): string | null {
  const candidates = [process.env.FIELDLENS_REAL_DATA, join(repoRoot, '..', 'shared', 'data')].filter((p): p is string => !!p);
  for (const c of candidates) {
    if (existsSync(join(c, 'rgbd')) || existsSync(join(c, 'clip'))) return c;
    if (existsSync(join(c, 'data', 'rgbd'))) return join(c, 'data');
  }
  return null;
}

interface SkippableContext {
  skip(note?: string): never;
}

/** Absolute path of `relative` under the real data root; skips the test with a reason if absent. */
export function requireRealData(ctx: SkippableContext, relative: string): string {
  const root = realDataRoot();
  if (!root) ctx.skip(`real data not found: expected ../shared/data beside the repo or FIELDLENS_REAL_DATA (looking for ${relative})`);
  const path = join(root, relative);
  if (!existsSync(path)) ctx.skip(`real data file missing: ${path}`);
  return path;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export { repoRoot };
