/**
 * How `fieldlens batch` divides work: items sorted by key, shard I of N takes every N-th item
 * (round-robin, so shards stay within one item of each other whatever the order of the data), and
 * the shard's index and count default to the cluster engine's array-job variables.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
  /** Where the numbers came from, for logs ("SLURM_ARRAY_TASK_ID=2, SLURM_ARRAY_TASK_COUNT=4"). */
  readonly source: string;
}

/** Code-unit order (not the locale's), so every node of a cluster sorts the same way. */
export function sortKeys<T extends { readonly key: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Shard `index` of `count`: every count-th item of the sorted list, starting at `index`. */
export function itemsOfShard<T extends { readonly key: string }>(items: readonly T[], shard: Pick<Shard, 'index' | 'count'>): T[] {
  return sortKeys(items).filter((_, position) => position % shard.count === shard.index);
}

function integer(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : NaN;
}

/** The shard index (and count, where the engine says it) from an array job's environment, or null. */
function fromEngine(env: Readonly<Record<string, string | undefined>>): { index: number; count: number | undefined; source: string } | null {
  const slurmId = integer(env.SLURM_ARRAY_TASK_ID);
  if (slurmId !== undefined) {
    // --array=1-8 numbers tasks from 1, --array=0-15:4 in steps: the shard is the task's position.
    const min = integer(env.SLURM_ARRAY_TASK_MIN) ?? 0;
    const step = integer(env.SLURM_ARRAY_TASK_STEP) ?? 1;
    const max = integer(env.SLURM_ARRAY_TASK_MAX);
    const count = integer(env.SLURM_ARRAY_TASK_COUNT) ?? (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    const index = (slurmId - min) / step;
    const vars = ['ID', 'MIN', 'MAX', 'STEP', 'COUNT']
      .filter((v) => env[`SLURM_ARRAY_TASK_${v}`] !== undefined)
      .map((v) => `SLURM_ARRAY_TASK_${v}=${env[`SLURM_ARRAY_TASK_${v}`]}`);
    if (!Number.isInteger(index) || (count !== undefined && index >= count)) {
      throw new Error(
        `the Slurm array task ids are not one range (${vars.join(', ')}): submit --array=0-N (a step is fine), or pass --shard-index and --shard-count`,
      );
    }
    return { index, count, source: vars.join(', ') };
  }
  const k8s = integer(env.JOB_COMPLETION_INDEX);
  if (k8s !== undefined) return { index: k8s, count: undefined, source: `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} (Kubernetes Indexed Job)` };
  const aws = integer(env.AWS_BATCH_JOB_ARRAY_INDEX);
  if (aws !== undefined) {
    const size = integer(env.AWS_BATCH_JOB_ARRAY_SIZE);
    return {
      index: aws,
      count: size,
      source: `AWS_BATCH_JOB_ARRAY_INDEX=${env.AWS_BATCH_JOB_ARRAY_INDEX}${size !== undefined ? `, AWS_BATCH_JOB_ARRAY_SIZE=${env.AWS_BATCH_JOB_ARRAY_SIZE}` : ''}`,
    };
  }
  return null;
}

/**
 * The shard this process runs: `--shard-index` / `--shard-count` where given, else the engine's
 * variables (Slurm array, Kubernetes Indexed Job, AWS Batch array), else the whole list (0 of 1).
 */
export function resolveShard(
  explicit: { readonly index?: number | undefined; readonly count?: number | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Shard {
  const engine = fromEngine(env);
  const index = explicit.index ?? engine?.index ?? 0;
  const count = explicit.count ?? engine?.count ?? (explicit.index === undefined && engine === null ? 1 : undefined);
  const source = [
    explicit.index !== undefined ? `--shard-index ${explicit.index}` : '',
    explicit.count !== undefined ? `--shard-count ${explicit.count}` : '',
    engine?.source ?? '',
  ]
    .filter(Boolean)
    .join(', ');
  if (count === undefined) {
    throw new Error(`the shard count is unknown (${source}): pass --shard-count N (a Kubernetes Indexed Job's completions, an AWS Batch array's size)`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error(`--shard-count: expected a whole number ≥ 1, found ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`shard index ${index} is outside 0…${count - 1} (${source})`);
  return { index, count, source: source || 'no array job: the whole list' };
}

const UNSAFE = /[^A-Za-z0-9._-]+/g;
const CAPTURE_EXTENSION = /\.(zip|ply|pcd|npy|npz|e57|las|laz|xyz|pts|txt|json)$/i;

/**
 * Output names per item, stable across runs and shards: the capture's file or folder name
 * (extension off, unsafe characters → `_`); names that two items share get `-` and 8 hex digits
 * of their key's sha256, so `a/scene_0` and `b/scene_0` never overwrite each other.
 */
export function stableNames(keys: readonly string[]): Map<string, string> {
  const base = new Map(
    keys.map((key) => [key, (key.split(/[/\\]/).filter(Boolean).pop() ?? 'item').replace(CAPTURE_EXTENSION, '').replace(UNSAFE, '_') || 'item']),
  );
  const uses = new Map<string, number>();
  for (const name of base.values()) uses.set(name, (uses.get(name) ?? 0) + 1);
  return new Map(
    keys.map((key) => {
      const name = base.get(key)!;
      return [key, uses.get(name)! > 1 ? `${name}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : name];
    }),
  );
}
