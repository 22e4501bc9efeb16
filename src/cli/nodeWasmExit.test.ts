/**
 * The CLI process exits promptly once its work is done. With V8's default wasm tiering, TurboFan
 * re-compiles onnxruntime-web's wasm on background threads after the first runs and the process
 * cannot exit until that finishes: `fieldlens query` printed its result and exited 30–120 s later
 * (measured on this repo's demo). fieldlens.mjs keeps wasm on Liftoff (see there), so exit follows
 * the last line at once. The bound below is the gap between the CLI's own "wrote …" line and its
 * exit, not the query time, so a slow machine does not make it fail; without the fix it fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/realData.ts';

const bin = join(repoRoot, 'src/cli/fieldlens.mjs');

interface TimedRun {
  readonly code: number | null;
  readonly stdout: string;
  /** Seconds from the first stdout chunk (the CLI's result line) to the process's exit. */
  readonly exitAfterOutputS: number;
}

function runTimed(args: readonly string[], env: NodeJS.ProcessEnv): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let firstOutputAt: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      firstOutputAt ??= performance.now();
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitAt = performance.now();
      resolve({ code, stdout, exitAfterOutputS: firstOutputAt === null ? NaN : (exitAt - firstOutputAt) / 1000 });
    });
  });
}

describe('fieldlens CLI process exit', () => {
  it('query exits within seconds of writing its result (wasm stays on Liftoff)', { timeout: 180_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fieldlens-exit-')), 'result.ply');
    const env = { ...process.env };
    delete env.FIELDLENS_WASM_TURBOFAN;
    const run = await runTimed(['query', join(repoRoot, 'public/demo'), '--text', 'yellow dice', '--out', out], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote \d+ points to /);
    expect(statSync(out).size).toBeGreaterThan(1000);
    // Without --liftoff-only this gap was 30–120 s; with it, well under a second.
    expect(run.exitAfterOutputS).toBeLessThan(10);
  });
});
