/**
 * The `fieldlens batch` entry points main.ts calls once it has parsed the options: items from the
 * inputs, the shard from the options or the array job's environment, progress to stderr (one
 * line per item, no carriage returns: cluster logs are files).
 */
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { runBatch } from './batchCommand.ts';
import { expandBatchInputs } from './batchItems.ts';
import { resolveShard } from './batchShards.ts';
import { formatBatchStatus, readBatchStatus } from './batchStatus.ts';
import type { BatchSettings, BatchTaskName } from './batchTasks.ts';
import { cliRuntime } from '../node/nativeRuntime.ts';

export interface BatchCliOptions<K extends BatchTaskName> {
  readonly task: K;
  readonly inputs: readonly string[];
  readonly out: string;
  readonly shardIndex: number | undefined;
  readonly shardCount: number | undefined;
  readonly settings: BatchSettings[K];
  readonly capture: CaptureSettings;
  readonly readCapture: (path: string) => CaptureFile[];
}

/** Exit code: 0 when every item of the shard has its output, 1 when any failed. */
export async function runBatchCli<K extends BatchTaskName>(o: BatchCliOptions<K>): Promise<number> {
  const counts = await runBatch({
    task: o.task,
    items: expandBatchInputs(o.inputs),
    out: o.out,
    shard: resolveShard({ index: o.shardIndex, count: o.shardCount }, process.env),
    settings: o.settings,
    capture: o.capture,
    readCapture: o.readCapture,
    runtime: o.task === 'info' ? 'no models' : cliRuntime().description,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return counts.failed > 0 ? 1 : 0;
}

/** Exit code: 0 when every item is done, 1 when any failed or is missing. */
export function runBatchStatusCli(dir: string, json: boolean): number {
  const status = readBatchStatus(dir);
  process.stdout.write(json ? `${JSON.stringify(status)}\n` : formatBatchStatus(status));
  return status.done === status.items ? 0 : 1;
}
