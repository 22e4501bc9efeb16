/**
 * Evaluation of relation and mask queries on `fieldlens dataset` scenes (random tabletops rendered
 * with instance masks). Ground truth comes from the generator: each point of the fused cloud takes
 * the instance id of its source pixel (view + pixel index → the view's instance PNG), so object point
 * sets, centroids and boxes are the renderer's, not the segmenter's.
 *
 * Relation queries: for a colour shared by exactly two objects (targets) and a colour held by exactly
 * one object (the reference), each relation for which exactly one of the two targets satisfies the
 * rule on the ground-truth point sets (input camera 0's frame, the scene's declared up) becomes
 * "the <colour> object <relation> the <colour> object" — only the relation can tell the targets apart.
 * The CLI's `query` (runQueryCommand, what `fieldlens query --json` prints) answers; the answer is
 * right when its target centroid is nearer the true target's centroid than the other's.
 *
 * Mask queries: for every colour word of the scene's objects, mask mode's top segment; its IoU with
 * the best-overlapping object of that colour (point sets of the fused cloud).
 */
import { decode } from 'fast-png';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { relationFrame } from '../core/relations/relationFrame.ts';
import { frameSegments, judgeRelation } from '../core/relations/relationGeometry.ts';
import { RELATION_TABLE, type RelationKind } from '../core/relations/relationPhrases.ts';
import { buildDatasetScene, type DatasetOptions } from '../cli/datasetCommand.ts';
import { QUERY_DEFAULTS, queryEngine, runQueryCommand } from '../cli/queryCommand.ts';
import { SegmentQueries } from '../infer/segmentQueries.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';

/** Relations the generator's scenes can hold (objects stand apart on the table: no on / in). */
const EVAL_RELATIONS: readonly RelationKind[] = ['left-of', 'right-of', 'behind', 'in-front-of'];

interface SceneObject {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly table: boolean;
}

export interface RelationTrial {
  readonly scene: number;
  readonly text: string;
  readonly correct: boolean;
  readonly answerSegment: number;
  readonly distanceToTruthMetres: number;
}

export interface MaskTrial {
  readonly scene: number;
  readonly colour: string;
  readonly iou: number;
}

export interface EvalSummary {
  readonly relations: readonly RelationTrial[];
  readonly masks: readonly MaskTrial[];
  readonly accuracy: number;
  readonly meanIou: number;
  readonly scenes: number;
}

/** Ground-truth instance id of every point of the fused cloud. */
function pointInstances(files: Map<string, Uint8Array>, viewIndex: Uint16Array, pixelIndex: Uint32Array, viewNames: readonly string[]): Uint8Array {
  const masks = viewNames.map((name) => decode(files.get(`${name}_instance.png`)!).data);
  return Uint8Array.from({ length: viewIndex.length }, (_, i) => masks[viewIndex[i]!]![pixelIndex[i]!]!);
}

export async function evaluateRelations(o: DatasetOptions, log: (line: string) => void = () => undefined): Promise<EvalSummary> {
  const engine = queryEngine({ manifestPath: defaultManifestFile });
  const relations: RelationTrial[] = [];
  const masks: MaskTrial[] = [];
  for (let index = 0; index < o.scenes; index++) {
    const built = buildDatasetScene(o, index);
    const files: CaptureFile[] = [...built].map(([name, bytes]) => ({ name, bytes }));
    const description = JSON.parse(new TextDecoder().decode(built.get('scene.json'))) as { objects: SceneObject[]; views: { name: string }[] };
    const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
    const { cloud } = loaded;
    const instance = pointInstances(
      built,
      cloud.viewIndex,
      cloud.pixelIndex,
      description.views.map((v) => v.name),
    );
    const objects = description.objects.filter((x) => !x.table);
    const camera0 = loaded.capture.views![0]!.cameraToWorld;
    const frame = relationFrame([0, 0, 1], camera0, 'capture', 'input camera 0');
    const gtIds = Int32Array.from(instance, (id) => (objects.some((x) => x.id === id) ? id : -1));
    const maxId = Math.max(0, ...objects.map((x) => x.id)) + 1;
    const truth = frameSegments(cloud.positions, gtIds, maxId, frame);
    const byColour = new Map<string, SceneObject[]>();
    for (const x of objects) if (truth[x.id]!.count > 0) byColour.set(x.color, [...(byColour.get(x.color) ?? []), x]);

    for (const [colour, pair] of byColour) {
      if (pair.length !== 2) continue;
      for (const [refColour, refs] of byColour) {
        if (refs.length !== 1 || refColour === colour) continue;
        const ref = truth[refs[0]!.id]!;
        for (const relation of EVAL_RELATIONS) {
          const holds = pair.map((t) => judgeRelation(relation, truth[t.id]!, ref).holds);
          if (holds[0] === holds[1]) continue;
          const right = pair[holds[0] ? 0 : 1]!;
          const wrong = pair[holds[0] ? 1 : 0]!;
          const text = `the ${colour} object ${RELATION_TABLE[relation].label} the ${refColour} object`;
          const result = await runQueryCommand(
            {
              ...QUERY_DEFAULTS,
              files,
              capture: DEFAULT_CAPTURE_SETTINGS,
              text,
              segmentQuery: { masks: false, segments: 'objects', relation: true },
            },
            engine,
          );
          const answer = result.relation!.target;
          const d = (x: SceneObject) => Math.hypot(...[0, 1, 2].map((a) => answer.centroid[a]! - truth[x.id]!.worldCentroid[a]!));
          const correct = d(right) < d(wrong);
          relations.push({ scene: index, text, correct, answerSegment: answer.segment, distanceToTruthMetres: d(right) });
          log(`scene ${index}: ${correct ? 'right' : 'WRONG'}  "${text}" (answer ${d(right).toFixed(3)} m from the true target)`);
        }
      }
    }

    // Mask mode on the same engine: the cloud is set by the last query, or here.
    engine.setCloud(cloud, loaded.halfFeatures ?? loaded.features);
    const queries = new SegmentQueries(engine);
    for (const [colour, members] of byColour) {
      const outcome = await queries.maskQuery({ text: colour, formula: 'cosine', template: 'single', source: 'objects' });
      const top = outcome.rows[0]!.id;
      let best = 0;
      for (const m of members) {
        let inter = 0;
        let union = 0;
        for (let i = 0; i < instance.length; i++) {
          const a = outcome.segmentation.segmentOfPoint[i] === top;
          const b = instance[i] === m.id;
          if (a && b) inter++;
          if (a || b) union++;
        }
        best = Math.max(best, union > 0 ? inter / union : 0);
      }
      masks.push({ scene: index, colour, iou: best });
      log(`scene ${index}: mask "${colour}" top segment IoU ${best.toFixed(3)}`);
    }
  }
  const accuracy = relations.length > 0 ? relations.filter((r) => r.correct).length / relations.length : Number.NaN;
  const meanIou = masks.length > 0 ? masks.reduce((s, m) => s + m.iou, 0) / masks.length : Number.NaN;
  return { relations, masks, accuracy, meanIou, scenes: o.scenes };
}
