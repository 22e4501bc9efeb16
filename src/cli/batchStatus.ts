/**
 * `fieldlens batch status DIR [--json]`: merges every shard's status file of a batch folder.
 * An item is `done` when its output file exists (outputs are renamed into place complete), `failed`
 * when its latest record is an error, `missing` otherwise (never run, or its output was deleted).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_META_DIR, type BatchManifest, type BatchRecord } from './batchCommand.ts';

export interface BatchStatus {
  readonly dir: string;
  readonly task: string;
  readonly items: number;
  readonly done: number;
  /** Latest record per done item: ran in its last run (ok) or found complete (skipped). */
  readonly ok: number;
  readonly skipped: number;
  readonly failed: readonly { readonly item: string; readonly message: string; readonly shard: string; readonly host: string; readonly at: string }[];
  readonly missing: readonly string[];
  readonly statusFiles: number;
  /** Sum of every record's time (all runs, all shards). */
  readonly computeMs: number;
  /** First start to last finish over all records. */
  readonly wallMs: number;
}

export function readBatchStatus(dir: string): BatchStatus {
  const metaDir = join(dir, BATCH_META_DIR);
  const manifestPath = join(metaDir, 'batch.json');
  if (!existsSync(manifestPath))
    throw new Error(`${dir}: not a batch folder (no ${BATCH_META_DIR}/batch.json; run \`fieldlens batch <task> … --out ${dir}\` first)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BatchManifest;
  const files = readdirSync(metaDir).filter((f) => /^status-\d+-of-\d+\.jsonl$/.test(f));
  const latest = new Map<string, BatchRecord>();
  let computeMs = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const file of files) {
    for (const line of readFileSync(join(metaDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let record: BatchRecord;
      try {
        record = JSON.parse(line) as BatchRecord;
      } catch {
        continue; // a line cut short by a killed task
      }
      const previous = latest.get(record.item);
      if (!previous || previous.at <= record.at) latest.set(record.item, record);
      const end = Date.parse(record.at);
      computeMs += record.ms;
      first = Math.min(first, end - record.ms);
      last = Math.max(last, end);
    }
  }
  let ok = 0;
  let skipped = 0;
  const failed: BatchStatus['failed'][number][] = [];
  const missing: string[] = [];
  for (const { name } of manifest.items) {
    const record = latest.get(name);
    if (existsSync(join(dir, `${name}${manifest.suffix}`))) {
      if (record?.status === 'skipped') skipped++;
      else ok++;
    } else if (record?.status === 'error') {
      failed.push({ item: name, message: record.message ?? '', shard: record.shard, host: record.host, at: record.at });
    } else {
      missing.push(name);
    }
  }
  return {
    dir,
    task: manifest.task,
    items: manifest.items.length,
    done: ok + skipped,
    ok,
    skipped,
    failed,
    missing,
    statusFiles: files.length,
    computeMs,
    wallMs: Number.isFinite(first) ? last - first : 0,
  };
}

export function formatBatchStatus(s: BatchStatus): string {
  const lines = [
    `${s.task} batch in ${s.dir}: ${s.items} items, ${s.statusFiles} shard status files`,
    `  done     ${s.done} (${s.ok} ran, ${s.skipped} found complete on a re-run)`,
    `  failed   ${s.failed.length}`,
    `  missing  ${s.missing.length}`,
    `  time     ${(s.computeMs / 1000).toFixed(1)} s of work, ${(s.wallMs / 1000).toFixed(1)} s from first start to last finish`,
  ];
  for (const f of s.failed) lines.push(`  failed ${f.item} (shard ${f.shard} on ${f.host}): ${f.message}`);
  if (s.missing.length > 0) lines.push(`  missing: ${s.missing.slice(0, 20).join(', ')}${s.missing.length > 20 ? `, … (${s.missing.length - 20} more)` : ''}`);
  return `${lines.join('\n')}\n`;
}
