/**
 * The `fieldlens batch` runner of the command table: items from the inputs, the shard from the
 * options or the array job's environment, progress to stderr (one line per item, no carriage
 * returns: cluster logs are files). Task options are parsed exactly as for the single command.
 */
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { runBatch } from './batchCommand.ts';
import { expandBatchInputs } from './batchItems.ts';
import { resolveShard } from './batchShards.ts';
import { formatBatchStatus, readBatchStatus } from './batchStatus.ts';
import { BATCH_TASK_NAMES, type BatchSettings, type BatchTaskName } from './batchTasks.ts';
import { cliRuntime } from '../node/nativeRuntime.ts';
import { captureOptions, numberOption, readInputs, requiredOption, type ParsedArgs } from './cliArgs.ts';
import { querySettings } from './queryCommand.ts';
import { teacherSettings } from './teacherCommand.ts';

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

export async function batchCli(args: ParsedArgs): Promise<number> {
  const [task, ...inputs] = args.positional;
  if (task === 'status') {
    if (inputs.length !== 1) throw new Error('batch status: give one batch folder');
    return runBatchStatusCli(inputs[0]!, args.options.has('json'));
  }
  if (!(BATCH_TASK_NAMES as readonly (string | undefined)[]).includes(task))
    throw new Error(`batch: the task is one of ${BATCH_TASK_NAMES.join(', ')}, or status; found ${task ?? 'none'}`);
  const out = requiredOption(args, 'out', 'batch: --out DIR is required');
  const { options, extraFiles } = captureOptions(args);
  const settings = task === 'teacher' ? teacherSettings(args) : task === 'query' ? querySettings(args) : {};
  return runBatchCli({
    task: task as BatchTaskName,
    inputs,
    out,
    shardIndex: numberOption(args, 'shard-index'),
    shardCount: numberOption(args, 'shard-count'),
    settings,
    capture: options,
    readCapture: (path) => [...readInputs([path]), ...extraFiles],
  });
}
