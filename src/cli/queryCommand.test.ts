/**
 * `fieldlens query` in-process (the subprocess adds only argument parsing, tested in main.test.ts):
 * the written PLY is re-read by FieldLens's own parser and checked against the demo's instance masks.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { parsePly } from '../core/formats/ply.ts';
import { decodeResultPly } from '../core/export/resultPly.ts';
import { repoRoot } from '../testing/realData.ts';
import { runQueryCommand } from './queryCommand.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';

const demoDir = join(repoRoot, 'public/demo');
const files = readdirSync(demoDir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) }));

describe('fieldlens query', () => {
  it('writes x y z rgb relevancy label instance per point; the top points are the queried object', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fieldlens-query-')), 'result.ply');
    const result = await runQueryCommand({
      files,
      capture: DEFAULT_CAPTURE_SETTINGS,
      text: 'blue ball',
      labels: false,
      formula: 'cosine',
      template: 'single',
      negatives: '',
      threshold: 0.8,
      manifestPath: defaultManifestFile,
      out,
    });
    const ply = parsePly(new Uint8Array(readFileSync(out)), 'result.ply');
    expect(ply.count).toBe(result.points);
    expect(ply.features?.names).toEqual(['relevancy', 'label', 'instance']);
    // Instance masks of the generator, in the order the scene's views were lifted.
    const masks = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
    const depths = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_depth.png`))).data);
    const instanceOfPoint: number[] = [];
    depths.forEach((d, v) => d.forEach((units, pix) => units > 0 && instanceOfPoint.push(masks[v]![pix]!)));
    expect(instanceOfPoint).toHaveLength(ply.count);
    const ballId = 3;
    const relevancy = Array.from({ length: ply.count }, (_, i) => ply.features!.values[i * 3]!);
    const k = instanceOfPoint.filter((x) => x === ballId).length;
    const top = relevancy
      .map((r, i) => [r, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, k);
    expect(top.filter(([, i]) => instanceOfPoint[i] === ballId).length / k).toBeGreaterThan(0.9);
    expect(result.instances).toBeGreaterThanOrEqual(1);
    const instance0 = Array.from({ length: ply.count }, (_, i) => ply.features!.values[i * 3 + 2]).filter((x) => x === 0).length;
    expect(instance0).toBeGreaterThan(0.8 * k);
    // The file carries what produced it, so the studio restores the result on re-import.
    const restored = decodeResultPly(ply, 'result.ply')!.result;
    expect(restored.query).toMatchObject({ text: 'blue ball', mode: 'relevancy', threshold: 0.8 });
    expect(restored.instances).toHaveLength(result.instances);
  });
});
