/**
 * Mask mode through the engine on the demo scene, for each segment source: the top segment for
 * "yellow dice" is the dice of the generator's instance masks (IoU over the fused cloud's points).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { queryEngine } from '../cli/queryCommand.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { repoRoot } from '../testing/realData.ts';
import { SEGMENT_SOURCE_IDS, SegmentQueries } from './segmentQueries.ts';

const demoDir = join(repoRoot, 'public/demo');
const files = readdirSync(demoDir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) }));
const DICE = 2; // the demo recipe's second object

describe('segment queries on the demo', () => {
  it('every segment source ranks the yellow dice first (IoU ≥ 0.5 with its instance mask)', async () => {
    const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
    const masks = [0, 1, 2, 3].map((v) => decode(readFileSync(join(demoDir, `view${v}_instance.png`))).data);
    const instance = Array.from({ length: loaded.cloud.count }, (_, i) => masks[loaded.cloud.viewIndex[i]!]![loaded.cloud.pixelIndex[i]!]);
    const engine = queryEngine({ manifestPath: defaultManifestFile });
    engine.setCloud(loaded.cloud, loaded.features);
    const queries = new SegmentQueries(engine);
    for (const source of SEGMENT_SOURCE_IDS) {
      const outcome = await queries.maskQuery({ text: 'yellow dice', formula: 'cosine', template: 'single', source, threshold: 0.5 });
      const top = outcome.rows[0]!;
      let inter = 0;
      let union = 0;
      for (let i = 0; i < instance.length; i++) {
        const a = outcome.segmentation.segmentOfPoint[i] === top.id;
        const b = instance[i] === DICE;
        inter += a && b ? 1 : 0;
        union += a || b ? 1 : 0;
      }
      expect({ source, iou: inter / union > 0.5 }).toEqual({ source, iou: true });
      // Rows are best first and carry their sizes.
      for (let k = 1; k < outcome.rows.length; k++) expect(outcome.rows[k - 1]!.score).toBeGreaterThanOrEqual(outcome.rows[k]!.score);
      expect(top.count).toBe(outcome.segmentation.segmentOfPoint.filter((s) => s === top.id).length);
    }
  }, 120_000);
});
