/**
 * `fieldlens teacher` in-process: the written PLY is re-read by FieldLens's own parser as
 * bring-your-own features, then queried by `fieldlens query`; the top points must be the object asked
 * for, per the demo generator's instance masks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { parsePly } from '../core/formats/ply.ts';
import { repoRoot } from '../testing/realData.ts';
import { runQueryCommand } from './queryCommand.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { runTeacherCommand } from './teacherCommand.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';

const demoDir = join(repoRoot, 'public/demo');
const files = readdirSync(demoDir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) }));
const capture = DEFAULT_CAPTURE_SETTINGS;

describe('fieldlens teacher', () => {
  it('writes x y z rgb feat_0..feat_15 with a provenance comment; `query` on that file finds the green box', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-teacher-'));
    const out = join(dir, 'scene.ply');
    const progress: string[] = [];
    const result = await runTeacherCommand({
      files,
      capture,
      fusion: 'best-k',
      k: 2,
      method: 'objects',
      manifestPath: defaultManifestFile,
      out,
      onProgress: (p) => progress.push(`${p.stage} ${p.done}/${p.total}`),
    });
    expect(result).toMatchObject({ dim: 16, space: 'fieldlens-tiny-colour-16', imageModel: 'clip-image-tiny', views: 4, fusion: 'best-k' });
    expect(progress.filter((p) => p.startsWith('views'))).toEqual(['views 1/4', 'views 2/4', 'views 3/4', 'views 4/4']);
    expect(progress[progress.length - 1]).toBe(`objects ${result.objects}/${result.objects}`);

    const bytes = new Uint8Array(readFileSync(out));
    const header = new TextDecoder().decode(bytes.subarray(0, 1200));
    expect(header).toContain('comment fieldlens-features space=fieldlens-tiny-colour-16 source=teacher fusion=best-k method=objects\n');
    const ply = parsePly(bytes, 'scene.ply');
    expect(ply.count).toBe(result.points);
    expect(ply.features?.names).toEqual(Array.from({ length: 16 }, (_, d) => `feat_${d}`));
    // Every point of a segment carries a unit-length fused feature.
    let unit = 0;
    for (let i = 0; i < ply.count; i++) {
      let sq = 0;
      for (let d = 0; d < 16; d++) sq += ply.features!.values[i * 16 + d]! ** 2;
      if (Math.abs(sq - 1) < 1e-4) unit++;
    }
    expect(unit / ply.count).toBeGreaterThan(0.95);

    const queried = join(dir, 'box.ply');
    const answer = await runQueryCommand({
      files: [{ name: 'scene.ply', bytes }],
      capture,
      text: 'green box',
      labels: false,
      formula: 'cosine',
      template: 'single',
      negatives: '',
      threshold: 0.9,
      manifestPath: defaultManifestFile,
      out: queried,
    });
    expect(answer.featureSource).toBe('file');
    const relevancy = parsePly(new Uint8Array(readFileSync(queried)), 'box.ply').features!;
    const masks = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
    const depths = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_depth.png`))).data);
    const instanceOfPoint: number[] = [];
    depths.forEach((d, v) => d.forEach((units, pix) => units > 0 && instanceOfPoint.push(masks[v]![pix]!)));
    const boxId = 4;
    const k = instanceOfPoint.filter((x) => x === boxId).length;
    const top = Array.from({ length: ply.count }, (_, i) => [relevancy.values[i * 3]!, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, k);
    expect(top.filter(([, i]) => instanceOfPoint[i] === boxId).length / k).toBeGreaterThan(0.85);
  });

  it('refuses a capture without posed views', async () => {
    await expect(
      runTeacherCommand({
        files: [
          {
            name: 'scene.ply',
            bytes: new Uint8Array(
              Buffer.from('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 1\n'),
            ),
          },
        ],
        capture,
        fusion: 'pixels',
        k: 3,
        method: 'objects',
        manifestPath: defaultManifestFile,
        out: join(tmpdir(), 'never.ply'),
      }),
    ).rejects.toThrow(/no posed RGB-D views/);
  });

  it.each([
    [['--fusion', 'mean'], /^fieldlens: --fusion: expected one of pixels, semantic, best-k, found mean/],
    [['--k', '0'], /^fieldlens: --k: expected a whole number ≥ 1, found 0/],
    [['--baseline', 'openscene'], /^fieldlens: --baseline: expected one of none, tiles, conceptfusion/],
  ])('the command line refuses %j with a specific message and exit code 1', (extra, message) => {
    const run = spawnSync('node', [join(repoRoot, 'src/cli/fieldlens.mjs'), 'teacher', demoDir, '--out', join(tmpdir(), 'never.ply'), ...extra], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
  });
});
