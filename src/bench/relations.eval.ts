/**
 * `npm run eval:relations [-- --scenes N]`: relation-query accuracy and mask-query IoU on
 * `fieldlens dataset` scenes (seed 7301, used nowhere else; see relationsEval.ts for the protocol),
 * then timings of relation resolution and mask ranking on the fused Redwood capture (1.07 M points)
 * beside the ordinary per-point query in the same run (skipped with the reason when the real data
 * is absent).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { queryEngine } from '../cli/queryCommand.ts';
import { SegmentQueries } from '../infer/segmentQueries.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { readBytes, realDataRoot } from '../testing/realData.ts';
import { evaluateRelations } from './relationsEval.ts';

const { values } = parseArgs({ options: { scenes: { type: 'string', default: '150' }, 'skip-timing': { type: 'boolean', default: false } } });
const scenes = Number(values.scenes);

const t0 = performance.now();
const summary = await evaluateRelations({ seed: 7301, scenes, views: 4, width: 160, height: 120 }, (line) => console.error(line));
const right = summary.relations.filter((r) => r.correct).length;
console.log(
  `relation queries: ${right}/${summary.relations.length} right = ${(100 * summary.accuracy).toFixed(1)} % (goal ≥ 95 %), ${summary.scenes} scenes, seed 7301, tiny models`,
);
console.log(
  `mask queries: mean IoU of the top segment per colour word ${summary.meanIou.toFixed(3)} over ${summary.masks.length} (goal ≥ 0.5); min ${Math.min(...summary.masks.map((m) => m.iou)).toFixed(3)}`,
);
console.log(`evaluation took ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const root = realDataRoot();
if (values['skip-timing']) {
  console.log('Redwood timing: skipped (--skip-timing)');
} else if (!root) {
  console.log('Redwood timing: skipped — real data not found (../shared/data beside the repo or FIELDLENS_REAL_DATA)');
} else {
  const dir = join(root, 'rgbd', 'redwood-tum-nyu-sun');
  const files = [
    ...['color', 'depth'].flatMap((s) => readdirSync(join(dir, s)).map((name) => ({ name: `${s}/${name}`, bytes: readBytes(join(dir, s, name)) }))),
    { name: 'trajectory.log', bytes: readBytes(join(dir, 'trajectory.log')) },
    { name: 'rgbd.match', bytes: readBytes(join(dir, 'rgbd.match')) },
    { name: 'camera_primesense.json', bytes: readBytes(join(root, 'rgbd', 'camera_primesense.json')) },
  ];
  const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
  const engine = queryEngine({ manifestPath: defaultManifestFile });
  engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features);
  const request = { mode: 'relevancy', formula: 'cosine', template: 'single' } as const;
  const first = await engine.query({ text: 'white', ...request });
  const point = await engine.query({ text: 'white', ...request });
  const queries = new SegmentQueries(engine);
  const camera0 = loaded.capture.views![0]!;
  const viewpoint = { viewer: camera0.cameraToWorld, viewerName: 'input camera 0', firstCamera: camera0.cameraToWorld };
  const text = 'the white object left of the brown object';
  const cold = await queries.relationQuery(text, { formula: 'cosine', template: 'single', viewpoint });
  const warm = await queries.relationQuery(text, { formula: 'cosine', template: 'single', viewpoint });
  const mask = await queries.maskQuery({ text: 'white', formula: 'cosine', template: 'single', source: 'objects' });
  console.log(
    `Redwood ${loaded.cloud.count} points (student once: ${(first.timings.studentMs / 1000).toFixed(1)} s, not counted below); ${cold!.segmentation.segmentCount} object segments`,
  );
  console.log(`  peer — per-point query (text + cosine over every point): ${point.timings.totalMs.toFixed(0)} ms`);
  console.log(
    `  relation: segmentation ${cold!.timings.segmentationMs.toFixed(0)} ms (once per cloud), resolution ${cold!.timings.resolveMs.toFixed(0)} ms; warm total ${warm!.timings.totalMs.toFixed(0)} ms`,
  );
  console.log(`  mask ranking (segmentation cached): pooling + ranking ${mask.timings.rankingMs.toFixed(0)} ms, total ${mask.timings.totalMs.toFixed(0)} ms`);
}
