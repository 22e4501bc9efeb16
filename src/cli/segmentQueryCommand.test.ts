/**
 * `fieldlens query`'s relation and mask JSON on the demo scene, checked against the generator's
 * instance masks (each point's source pixel), not against the segmenter.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { repoRoot } from '../testing/realData.ts';
import { parseNpy } from '../core/formats/npy.ts';
import { QUERY_DEFAULTS, runQueryCommand } from './queryCommand.ts';

const demoDir = join(repoRoot, 'public/demo');
const files = readdirSync(demoDir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) }));
const masks = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
const depths = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_depth.png`))).data);
const instanceOfPoint: number[] = [];
depths.forEach((d, v) => d.forEach((units, pix) => units > 0 && instanceOfPoint.push(masks[v]![pix]!)));

const base = { ...QUERY_DEFAULTS, files, capture: DEFAULT_CAPTURE_SETTINGS };

describe('fieldlens query: relations and masks', () => {
  it('"the red mug on the table": target = the mug, reference = the table top, in metres, world frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-relation-'));
    const result = await runQueryCommand({
      ...base,
      text: 'the red mug on the table',
      segmentQuery: { masks: true, segments: 'objects', relation: true, masksOut: join(dir, 'masks') },
    });
    expect(result.out).toBeNull();
    const relation = result.relation!;
    expect(relation).toMatchObject({ kind: 'on', target: { phrase: 'red mug', holds: true }, reference: { phrase: 'table' } });
    expect(relation.frame).toMatchObject({ up: [0, 0, 1], upSource: 'capture', camera: 'input camera 0 (view0)' });
    // The demo's mug stands on the 0.74 m table top (tabletopScene.ts): its centroid is above it, the table's at it.
    expect(relation.target.centroid[2]).toBeGreaterThan(0.75);
    expect(relation.reference.centroid[2]).toBeCloseTo(0.74, 1);
    expect(relation.target.score).toBeGreaterThan(0);
    expect(relation.target.score).toBeLessThanOrEqual(1);

    // --masks: segments best first; the written masks agree with the JSON rows and the generator's mug mask.
    const rows = result.masks!;
    for (let k = 1; k < rows.length; k++) expect(rows[k - 1]!.score).toBeGreaterThanOrEqual(rows[k]!.score);
    const npy = parseNpy(new Uint8Array(readFileSync(join(dir, 'masks.npy'))), 'masks.npy');
    expect(npy.shape).toEqual([rows.length, instanceOfPoint.length]);
    const table = JSON.parse(readFileSync(join(dir, 'masks.segments.json'), 'utf8')) as { segments: { id: number; count: number }[] };
    expect(table.segments.map((s) => s.id)).toEqual(rows.map((r) => r.id));
    const mugRow = rows.findIndex((r) => r.id === relation.target.segment);
    let inter = 0;
    let union = 0;
    for (let i = 0; i < instanceOfPoint.length; i++) {
      const a = Number(npy.data[mugRow * instanceOfPoint.length + i]) !== 0;
      const b = instanceOfPoint[i] === 1;
      inter += a && b ? 1 : 0;
      union += a || b ? 1 : 0;
    }
    expect(inter / union).toBeGreaterThan(0.8);
  });

  it('a plain phrase has no relation; --masks ranks the yellow dice first', async () => {
    const result = await runQueryCommand({ ...base, text: 'yellow dice', segmentQuery: { masks: true, segments: 'objects', relation: true } });
    expect(result.relation).toBeUndefined();
    const top = result.masks![0]!;
    // The dice is the 2nd object of the demo recipe; its points, from the generator's masks:
    const dicePoints = instanceOfPoint.filter((id) => id === 2).length;
    expect(top.points).toBeGreaterThan(0.8 * dicePoints);
    expect(top.points).toBeLessThan(1.25 * dicePoints);
  });
});
