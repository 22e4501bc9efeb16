/**
 * `fieldlens batch <task> <inputs…> --out DIR`: runs one shard of a dataset-wide task, resumably.
 *
 * Layout of DIR (what `batch status` and re-runs read):
 * - `<name><suffix>` per item, written to a dot-file beside it and renamed into place, so an
 *   output that exists is complete; a re-run (a retried array task, a replaced pod) skips it.
 * - `_batch/batch.json`: the task, its options and the item list (every shard writes the same).
 * - `_batch/status-<I>-of-<N>.jsonl`: one line per item the shard handled (ok / error / skipped),
 *   appended as it goes, so a killed shard still leaves the record of what it finished.
 * A failed item is recorded and the shard goes on; the exit code is 1 if any item failed.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { itemsOfShard, type Shard } from './batchShards.ts';
import type { BatchItem } from './batchItems.ts';
import { BATCH_TASKS, type BatchSettings, type BatchTaskName } from './batchTasks.ts';

export const BATCH_META_DIR = '_batch';

export interface BatchManifest {
  readonly format: 'fieldlens-batch@1';
  readonly task: BatchTaskName;
  readonly suffix: string;
  /** Task and capture options, as JSON: a re-run with other options must not mix outputs. */
  readonly options: unknown;
  readonly items: readonly { readonly name: string; readonly source: string }[];
}

export interface BatchRecord {
  readonly item: string;
  readonly source: string;
  readonly status: 'ok' | 'error' | 'skipped';
  readonly message?: string;
  readonly ms: number;
  /** ISO time the item finished. */
  readonly at: string;
  readonly shard: string;
  readonly host: string;
}

export interface BatchRunOptions<K extends BatchTaskName> {
  readonly task: K;
  readonly items: readonly BatchItem[];
  readonly out: string;
  readonly shard: Shard;
  readonly settings: BatchSettings[K];
  readonly capture: CaptureSettings;
  /** Reads one capture's files (the CLI's reader, plus any --intrinsics file). */
  readonly readCapture: (path: string) => CaptureFile[];
  readonly runtime: string;
  readonly log: (line: string) => void;
}

/** JSON of options as they will compare on the next run (Infinity → null, like JSON itself). */
const canonical = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null)) as unknown;

/** A dot-file beside `path`, unique per process: never mistaken for an output, renamed over it when complete. */
const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${hostname()}-${process.pid}`);

function writeAtomically(path: string, text: string): void {
  const temp = tempPathFor(path);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function claimManifest(metaDir: string, manifest: BatchManifest): void {
  const path = join(metaDir, 'batch.json');
  if (existsSync(path)) {
    const previous = JSON.parse(readFileSync(path, 'utf8')) as BatchManifest;
    if (previous.task !== manifest.task || JSON.stringify(previous.options) !== JSON.stringify(manifest.options)) {
      throw new Error(
        `${join(metaDir, '..')} holds a "${previous.task}" batch made with other options (${JSON.stringify(previous.options)}); use another --out`,
      );
    }
  }
  writeAtomically(path, `${JSON.stringify(manifest, null, 1)}\n`);
}

export async function runBatch<K extends BatchTaskName>(o: BatchRunOptions<K>): Promise<{ ok: number; skipped: number; failed: number }> {
  const task = BATCH_TASKS[o.task];
  const metaDir = join(o.out, BATCH_META_DIR);
  mkdirSync(metaDir, { recursive: true });
  claimManifest(metaDir, {
    format: 'fieldlens-batch@1',
    task: o.task,
    suffix: task.suffix,
    options: canonical({ ...o.settings, capture: o.capture }),
    items: o.items.map((i) => ({ name: i.name, source: i.key })),
  });
  const mine = itemsOfShard(o.items, o.shard);
  const label = `${o.shard.index}-of-${o.shard.count}`;
  const statusPath = join(metaDir, `status-${o.shard.index}-of-${o.shard.count}.jsonl`);
  o.log(`batch ${o.task}: shard ${o.shard.index} of ${o.shard.count} (${o.shard.source}): ${mine.length} of ${o.items.length} items → ${o.out}; ${o.runtime}`);
  const engine = mine.length > 0 ? task.prepare(o.settings) : null;
  const counts = { ok: 0, skipped: 0, failed: 0 };
  for (const [position, item] of mine.entries()) {
    const output = join(o.out, `${item.name}${task.suffix}`);
    const started = performance.now();
    let record: Omit<BatchRecord, 'ms' | 'at' | 'shard' | 'host'>;
    let note: string;
    if (existsSync(output)) {
      record = { item: item.name, source: item.key, status: 'skipped' };
      note = 'output exists';
      counts.skipped++;
    } else {
      const temp = tempPathFor(output);
      try {
        note = await task.run(o.readCapture(item.key), o.capture, o.settings, temp, engine);
        renameSync(temp, output);
        record = { item: item.name, source: item.key, status: 'ok' };
        counts.ok++;
      } catch (error) {
        rmSync(temp, { force: true });
        note = (error as Error).message;
        record = { item: item.name, source: item.key, status: 'error', message: note };
        counts.failed++;
      }
    }
    const ms = Math.round(performance.now() - started);
    appendFileSync(statusPath, `${JSON.stringify({ ...record, ms, at: new Date().toISOString(), shard: label, host: hostname() } satisfies BatchRecord)}\n`);
    o.log(`[${label}] ${position + 1}/${mine.length} ${item.name} ${record.status} ${(ms / 1000).toFixed(1)} s: ${note}`);
  }
  o.log(`batch ${o.task}: shard ${label} done: ${counts.ok} ok, ${counts.skipped} skipped, ${counts.failed} failed`);
  return counts;
}
