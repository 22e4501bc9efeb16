/**
 * `fieldlens batch` in-process through the CLI's own `main`: outputs per item, a failed item that
 * does not stop the shard (exit code 1), re-runs that skip complete outputs, `batch status`.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDatasetCommand } from './datasetCommand.ts';
import { readBatchStatus } from './batchStatus.ts';
import { main } from './main.ts';

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('fieldlens batch info', () => {
  it('writes one output per capture, records a bad capture without stopping, skips complete outputs on a re-run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-batch-'));
    const data = join(dir, 'data');
    runDatasetCommand({ seed: 3, scenes: 3, views: 1, width: 32, height: 24, out: data });
    mkdirSync(join(data, 'broken'));
    writeFileSync(join(data, 'broken', 'notes.bin'), 'not a capture');
    const out = join(dir, 'out');

    expect(await main(['batch', 'info', data, '--out', out])).toBe(1);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith('_'))
        .sort(),
    ).toEqual(['scene_000.info.json', 'scene_001.info.json', 'scene_002.info.json']);
    const info = JSON.parse(readFileSync(join(out, 'scene_001.info.json'), 'utf8')) as { points: number; views: number };
    expect(info.views).toBe(1);
    expect(info.points).toBeGreaterThan(100);
    // One line per item, in sorted order, no carriage returns.
    const items = stderr
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('[0-of-1]'));
    expect(items.map((l) => l.split(' ').slice(1, 4).join(' '))).toEqual(['1/4 broken error', '2/4 scene_000 ok', '3/4 scene_001 ok', '4/4 scene_002 ok']);
    expect(stderr.join('')).not.toContain('\r');

    const status = readBatchStatus(out);
    expect(status).toMatchObject({ task: 'info', items: 4, done: 3, ok: 3, skipped: 0, missing: [] });
    expect(status.failed.map((f) => f.item)).toEqual(['broken']);
    expect(status.failed[0]!.message).toMatch(/broken|notes\.bin|format|recogni/i);

    // Shard 1 of 2 again (sorted: broken, scene_000, scene_001, scene_002 → 1 of 2 = scene_000, scene_002): both skipped.
    stderr = [];
    expect(await main(['batch', 'info', data, '--out', out, '--shard-index', '1', '--shard-count', '2'])).toBe(0);
    expect(stderr.join('')).toContain('shard 1-of-2 done: 0 ok, 2 skipped, 0 failed');
    expect(readBatchStatus(out)).toMatchObject({ done: 3, ok: 1, skipped: 2 });
  });

  it('refuses to mix outputs made with other options in one folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-batch-'));
    runDatasetCommand({ seed: 4, scenes: 1, views: 1, width: 32, height: 24, out: join(dir, 'data') });
    expect(await main(['batch', 'info', join(dir, 'data'), '--out', join(dir, 'out')])).toBe(0);
    expect(await main(['batch', 'info', join(dir, 'data'), '--out', join(dir, 'out'), '--voxel', '0.05'])).toBe(1);
    expect(stderr.join('')).toMatch(/holds a "info" batch made with other options/);
  });
});
