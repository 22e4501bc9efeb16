import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireRealData } from '../testing/realData.ts';

const bin = join(repoRoot, 'src/cli/fieldlens.mjs');

describe('fieldlens CLI', () => {
  it('prints help', () => {
    expect(execFileSync('node', [bin, '--help'], { encoding: 'utf8' })).toMatch(/^fieldlens \d+\.\d+\.\d+ — .*\n\nUsage:\n {2}fieldlens info/);
  });

  it('help lists every relevancy formula with its parameters; an unknown one is refused by name', () => {
    const help = execFileSync('node', [bin, '--help'], { encoding: 'utf8' });
    expect(help).toContain('--formula F            cosine | lerf | paired-softmax (default cosine)');
    expect(help).toMatch(/ lerf +LERF \(pairwise min vs negatives\) — T = 10; negatives: object, things, stuff, texture\n/);
    expect(help).toMatch(/ paired-softmax +DROP-CLIP paired softmax \(τ 0\.1\) — τ = 0\.1; negatives: object, thing, texture, stuff\n/);
    const run = spawnSync(
      'node',
      [bin, 'query', mkdtempSync(join(tmpdir(), 'fieldlens-cli-')), '--text', 'mug', '--out', join(tmpdir(), 'never.ply'), '--formula', 'sparkles'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('fieldlens: --formula: expected one of cosine, lerf, paired-softmax, found sparkles\n');
  });

  it('info --json lifts every valid pixel and reports bounds in metres', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-cli-'));
    // 3×2 depth, fx = fy = 2, cx = 1, cy = 0.5; two pixels missing.
    const units = new Uint16Array([1000, 0, 2000, 500, 1000, 0]);
    writeFileSync(join(dir, 'd.png'), encode({ width: 3, height: 2, data: units, depth: 16, channels: 1 }));
    writeFileSync(join(dir, 'k.json'), JSON.stringify({ width: 3, height: 2, intrinsic_matrix: [2, 0, 0, 0, 2, 0, 1, 0.5, 1] }));
    const out = JSON.parse(execFileSync('node', [bin, 'info', join(dir, 'd.png'), join(dir, 'k.json'), '--json'], { encoding: 'utf8' })) as {
      points: number;
      min: number[];
      max: number[];
      centroid: number[];
    };
    // Points: (u0,v0,1 m) → (−0.5, −0.25, 1); (u2,v0,2 m) → (1, −0.5, 2); (u0,v1,0.5 m) → (−0.25, 0.125, 0.5); (u1,v1,1 m) → (0, 0.25, 1)
    expect(out.points).toBe(4);
    expect(out.min).toEqual([-0.5, -0.5, 0.5]);
    expect(out.max).toEqual([1, 0.25, 2]);
    [(-0.5 + 1 - 0.25 + 0) / 4, (-0.25 - 0.5 + 0.125 + 0.25) / 4, (1 + 2 + 0.5 + 1) / 4].forEach((v, i) => expect(out.centroid[i]).toBeCloseTo(v, 6));
  });

  it('fails with a specific message and a non-zero exit code on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-cli-'));
    writeFileSync(join(dir, 'depth.png'), 'nope');
    const run = spawnSync('node', [bin, 'info', join(dir, 'depth.png')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^fieldlens: depth\.png: not a PNG or JPEG image/);
  });

  it('tokenize prints CLIP ids with the real tokenizer, and the tiny model tokenizer by default', (ctx) => {
    const real = requireRealData(ctx, 'clip/tokenizer.json');
    expect(JSON.parse(execFileSync('node', [bin, 'tokenize', 'yellow dice', '--tokenizer', real, '--json'], { encoding: 'utf8' }))).toEqual([
      49406, 4481, 14406, 49407,
    ]);
    const ids = JSON.parse(execFileSync('node', [bin, 'tokenize', 'yellow dice', '--json'], { encoding: 'utf8' })) as number[];
    // The tiny tokenizer: its own start/end ids from the manifest, one token per word.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as {
      models: { kind: string; tokenizer?: { startId: number; endId: number } }[];
    };
    const spec = manifest.models.find((m) => m.kind === 'clip-text')!.tokenizer!;
    expect(ids).toHaveLength(4);
    expect([ids[0], ids[3]]).toEqual([spec.startId, spec.endId]);
  });

  it('info on a folder detects the layout and fuses its views', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-cli-scan-'));
    const units = new Uint16Array([1000, 1000, 0, 1000, 1000, 1000]);
    for (const sub of ['depth', 'pose', 'intrinsic']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'intrinsic', 'intrinsic_depth.txt'), '2 0 1 0\n0 2 0.5 0\n0 0 1 0\n0 0 0 1\n');
    for (const [i, tx] of [
      [0, 0],
      [1, 10],
    ] as const) {
      writeFileSync(join(dir, 'depth', `${i}.png`), encode({ width: 3, height: 2, data: units, depth: 16, channels: 1 }));
      writeFileSync(join(dir, 'pose', `${i}.txt`), `1 0 0 ${tx}\n0 1 0 0\n0 0 1 0\n0 0 0 1\n`);
    }
    const out = JSON.parse(execFileSync('node', [bin, 'info', dir, '--json'], { encoding: 'utf8' })) as {
      format: string;
      points: number;
      views: number;
      min: number[];
      max: number[];
    };
    expect(out.format).toBe('scannet');
    expect([out.points, out.views]).toEqual([10, 2]);
    // Pixel (u 0, v 0) at 1 m → x = (0 − 1)·1/2 = −0.5; the second camera is 10 m along x.
    expect(out.min[0]).toBeCloseTo(-0.5, 6);
    expect(out.max[0]).toBeCloseTo(10 + (2 - 1) / 2, 6);
  });
});
