/**
 * `fieldlens batch teacher` on a real single-node Slurm (Debian's slurmctld, slurmd, munge; `.ci/run`
 * installs them): a minimal configuration in a temporary folder (linuxproc process tracking, no task
 * plugin, no accounting, state, spool, logs and a munge key of its own, free ports), an
 * `sbatch --array=0-3` over 8 generated scenes, then one task's outputs deleted and the array
 * resubmitted: only those items run again. Every daemon started here is stopped in afterAll.
 * Where Slurm is not installed the test fails with the reason.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePly } from '../core/formats/ply.ts';
import { repoRoot } from '../testing/realData.ts';
import { readBatchStatus } from './batchStatus.ts';
import { runDatasetCommand } from './datasetCommand.ts';

const SCENES = 8;
const daemons: ChildProcess[] = [];
let dir = '';
let env: NodeJS.ProcessEnv = {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const run = (command: string, args: readonly string[]) => execFileSync(command, args, { env, encoding: 'utf8' });

/** Polls `check` until it returns a value (no fixed sleeps); fails with `what` and the daemons' logs. */
async function until<T>(what: string, check: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logs = readdirSync(join(dir, 'log')).map((f) => `--- ${f}\n${readFileSync(join(dir, 'log', f), 'utf8').slice(-2000)}`);
      throw new Error(`timed out waiting for ${what}\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startDaemon(command: string, args: readonly string[], name: string): void {
  const log = openSync(join(dir, 'log', `${name}.out`), 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', log, log] });
  child.on('error', () => undefined);
  daemons.push(child);
}

async function startSlurm(): Promise<void> {
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'].filter((c) => {
    try {
      execFileSync('which', [c], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0)
    throw new Error(`Slurm cannot start here: ${missing.join(', ')} not installed (Debian: apt-get install -y slurmctld slurmd munge; .ci/run installs them)`);
  dir = mkdtempSync(join(tmpdir(), 'fieldlens-slurm-'));
  for (const sub of ['state', 'spool', 'log']) execFileSync('mkdir', ['-p', join(dir, sub)]);
  const key = join(dir, 'munge.key');
  writeFileSync(key, crypto.getRandomValues(new Uint8Array(1024)), { mode: 0o600 });
  const socket = join(dir, 'munge.socket');
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const user = userInfo().username;
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=fieldlens',
      `SlurmctldHost=${hostname()}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'SlurmdParameters=config_overrides',
      'MailProg=/bin/true',
      `NodeName=fieldlens-node NodeAddr=127.0.0.1 NodeHostname=${hostname()} CPUs=${Math.min(4, Math.max(2, availableParallelism()))} State=UNKNOWN`,
      'PartitionName=batch Nodes=fieldlens-node Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  env = { ...process.env, SLURM_CONF: conf };
  startDaemon(
    'munged',
    ['-F', '-f', '-S', socket, `--key-file=${key}`, `--log-file=${dir}/log/munged.log`, `--pid-file=${dir}/munged.pid`, `--seed-file=${dir}/munged.seed`],
    'munged',
  );
  await until('munged to create its socket', () => (existsSync(socket) ? true : undefined), 20_000);
  startDaemon('slurmctld', ['-D', '-f', conf], 'slurmctld');
  startDaemon('slurmd', ['-D', '-f', conf, '-N', 'fieldlens-node'], 'slurmd');
  await until(
    'the Slurm node to be idle',
    () => {
      try {
        return run('sinfo', ['-h', '-o', '%T']).trim() === 'idle' ? true : undefined;
      } catch {
        return undefined; // slurmctld not listening yet
      }
    },
    30_000,
  );
}

/** Submits the array and waits until every task has finished; returns the task states and exit codes. */
async function runArray(script: string): Promise<string[]> {
  const jobId = run('sbatch', ['--parsable', '--array=0-3', `--output=${dir}/log/task-%A_%a.out`, script]).trim();
  return until(`array job ${jobId} to finish`, () => {
    if (run('squeue', ['-h', '-j', jobId]).trim() !== '') return undefined;
    const tasks = run('scontrol', ['show', 'job', '-o', jobId]).trim().split('\n');
    return tasks.length === 4
      ? tasks.map((t) => `${/ArrayTaskId=(\S+)/.exec(t)?.[1]} ${/JobState=(\S+)/.exec(t)?.[1]} ${/ExitCode=(\S+)/.exec(t)?.[1]}`).sort()
      : undefined;
  });
}

afterAll(async () => {
  if (env.SLURM_CONF) {
    try {
      run('scancel', ['--user', userInfo().username]);
    } catch {
      // the controller may already be down
    }
  }
  await Promise.all(
    daemons.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => (clearTimeout(force), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fieldlens batch on a real Slurm', () => {
  it(
    "an sbatch --array=0-3 of `batch teacher` writes every scene once; after one task's outputs are deleted, a resubmission re-runs only those",
    { timeout: 180_000 },
    async () => {
      await startSlurm();
      const data = join(dir, 'scenes');
      const out = join(dir, 'features');
      runDatasetCommand({ seed: 11, scenes: SCENES, views: 2, width: 64, height: 48, out: data });
      const script = join(dir, 'teacher.sbatch');
      writeFileSync(script, `#!/bin/bash\nexec node ${join(repoRoot, 'src/cli/fieldlens.mjs')} batch teacher ${data} --out ${out} --runtime wasm\n`, {
        mode: 0o755,
      });

      expect(await runArray(script)).toEqual(['0 COMPLETED 0:0', '1 COMPLETED 0:0', '2 COMPLETED 0:0', '3 COMPLETED 0:0']);
      const expected = Array.from({ length: SCENES }, (_, i) => `scene_${String(i).padStart(3, '0')}.teacher.ply`);
      expect(
        readdirSync(out)
          .filter((f) => f.endsWith('.ply'))
          .sort(),
      ).toEqual(expected);
      for (const file of expected) {
        const ply = parsePly(new Uint8Array(readFileSync(join(out, file))), file);
        expect(ply.count).toBeGreaterThan(500);
        expect(ply.features?.dim).toBe(16);
      }
      // Each scene ran exactly once, in the shard the round-robin split gives it.
      const records = (shard: number) =>
        readFileSync(join(out, '_batch', `status-${shard}-of-4.jsonl`), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { item: string; status: string });
      for (let shard = 0; shard < 4; shard++) {
        expect(records(shard)).toEqual([
          expect.objectContaining({ item: `scene_00${shard}`, status: 'ok' }),
          expect.objectContaining({ item: `scene_00${shard + 4}`, status: 'ok' }),
        ]);
      }
      expect(readBatchStatus(out)).toMatchObject({ task: 'teacher', items: SCENES, done: SCENES, ok: SCENES, failed: [], missing: [] });

      // Delete task 2's outputs and resubmit: tasks 0, 1, 3 find theirs complete; task 2 runs its two again.
      const kept = expected.filter((f) => !['scene_002.teacher.ply', 'scene_006.teacher.ply'].includes(f));
      const mtimes = new Map(kept.map((f) => [f, statSync(join(out, f)).mtimeMs]));
      rmSync(join(out, 'scene_002.teacher.ply'));
      rmSync(join(out, 'scene_006.teacher.ply'));
      expect(readBatchStatus(out).missing).toEqual(['scene_002', 'scene_006']);
      expect(await runArray(script)).toEqual(['0 COMPLETED 0:0', '1 COMPLETED 0:0', '2 COMPLETED 0:0', '3 COMPLETED 0:0']);
      expect(
        readdirSync(out)
          .filter((f) => f.endsWith('.ply'))
          .sort(),
      ).toEqual(expected);
      for (const f of kept) expect(statSync(join(out, f)).mtimeMs).toBe(mtimes.get(f));
      expect(
        records(2)
          .slice(2)
          .map((r) => `${r.item} ${r.status}`),
      ).toEqual(['scene_002 ok', 'scene_006 ok']);
      expect(
        records(0)
          .slice(2)
          .map((r) => `${r.item} ${r.status}`),
      ).toEqual(['scene_000 skipped', 'scene_004 skipped']);
      expect(readBatchStatus(out)).toMatchObject({ done: SCENES, ok: 2, skipped: SCENES - 2, failed: [], missing: [] });
    },
  );
});
