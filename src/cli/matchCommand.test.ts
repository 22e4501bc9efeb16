/**
 * `fieldlens match`: bring-your-own random features against a rigidly moved, shuffled copy of the
 * same cloud — every queried point's best match is its moved twin (the reference is the known
 * transform and permutation) — and the command line's JSON shape.
 */
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it, vi } from 'vitest';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { repoRoot } from '../testing/realData.ts';
import { captureSettings } from '../core/capture/captureSettings.ts';
import { encodeNpy } from '../core/formats/npyEncode.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { readInputs } from './cliArgs.ts';
import { main } from './main.ts';
import { parsePointList, runMatchCommand } from './matchCommand.ts';
import { pointFeatures, sceneEngine } from './sceneModels.ts';
import { readFeatureRows } from '../core/features/featureStores.ts';
import { crossViewAgreement, refineAcrossViews } from '../core/match/refineFeatures.ts';
import { rowCosine } from '../core/match/spatialNeighbours.ts';

const N = 4000;
const D = 32;

/** Writes a points .npy (N×3) and a features .npy (N×D) into a new folder. */
function writeCloud(dir: string, positions: Float32Array, features: Float32Array): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'points.npy'), encodeNpy(positions, [positions.length / 3, 3]));
  writeFileSync(join(dir, 'features.npy'), encodeNpy(features, [positions.length / 3, D]));
  return dir;
}

function scenes() {
  const random = mulberry32(7);
  const positions = Float32Array.from({ length: 3 * N }, () => random() * 2 - 1);
  const features = Float32Array.from({ length: N * D }, () => random() * 2 - 1);
  // Target: rotated 30° about z, moved (0.5, −0.2, 1) m, points shuffled.
  const order = Array.from({ length: N }, (_, i) => i).sort(() => random() - 0.5);
  const twinOf = new Int32Array(N);
  const a = Math.PI / 6;
  const moved = new Float32Array(3 * N);
  const movedFeatures = new Float32Array(N * D);
  order.forEach((source, j) => {
    twinOf[source] = j;
    const [x, y, z] = [positions[3 * source]!, positions[3 * source + 1]!, positions[3 * source + 2]!];
    moved.set([Math.cos(a) * x - Math.sin(a) * y + 0.5, Math.sin(a) * x + Math.cos(a) * y - 0.2, z + 1], 3 * j);
    movedFeatures.set(features.subarray(source * D, (source + 1) * D), j * D);
  });
  const dir = mkdtempSync(join(tmpdir(), 'fieldlens-match-'));
  return { reference: writeCloud(join(dir, 'reference'), positions, features), target: writeCloud(join(dir, 'target'), moved, movedFeatures), twinOf, moved };
}

describe('fieldlens match', () => {
  it('finds the moved twin of every queried point (random bring-your-own features, rigid copy, shuffled)', async () => {
    const s = scenes();
    const points = Array.from({ length: 60 }, (_, j) => (j * 67) % N);
    const result = await runMatchCommand({
      reference: { files: readInputs([s.reference]), capture: captureSettings() },
      target: { files: readInputs([s.target]), capture: captureSettings() },
      points,
      k: 3,
      prune: false,
      refine: false,
      models: { manifestPath: defaultManifestFile },
    });
    expect(result.featureSource).toBe('file');
    for (const q of result.queries) {
      const twin = s.twinOf[q.point]!;
      expect(q.matches[0]!.index).toBe(twin);
      expect(q.matches[0]!.similarity).toBeCloseTo(1, 5);
      expect(q.matches[0]!.position.map((v) => Math.round(v * 1e5))).toEqual([0, 1, 2].map((c) => Math.round(s.moved[3 * twin + c]! * 1e5)));
      expect(q.matches).toHaveLength(3);
    }
  }, 60_000);

  it('prints { matches: [{ index, similarity, position }] } with --json, and refuses a bad --points file by entry', async () => {
    const s = scenes();
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
    expect(await main(['match', s.reference, s.target, '--point', '5', '--k', '2', '--json'])).toBe(0);
    vi.restoreAllMocks();
    const out = JSON.parse(stdout.join('')) as { matches: { index: number; similarity: number; position: number[] }[] };
    expect(out.matches.map((m) => m.index)[0]).toBe(s.twinOf[5]);
    expect(Object.keys(out.matches[0]!).sort()).toEqual(['index', 'position', 'similarity']);
    expect(out.matches).toHaveLength(2);
    expect(parsePointList('3, 4\n5', 'p.txt')).toEqual([3, 4, 5]);
    expect(parsePointList('[7, 8]', 'p.json')).toEqual([7, 8]);
    expect(() => parsePointList('3 x', 'p.txt')).toThrow('p.txt: entry 2 is not a point index (a whole number ≥ 0), found "x"');
  }, 60_000);

  it('on the demo, matches between two views’ single-frame clouds land on the same object for ≥ 90 % of points sampled on objects', async () => {
    const demo = join(repoRoot, 'public/demo');
    const scene = JSON.parse(readFileSync(join(demo, 'scene.json'), 'utf8')) as {
      views: { color: string; depth: string; instance: string }[];
      objects: { id: number; name: string }[];
    };
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-match-demo-'));
    // One scene per view: the demo's scene.json with that view only.
    const single = [0, 1].map((v) => {
      const folder = join(dir, `view${v}`);
      mkdirSync(folder);
      const view = scene.views[v]!;
      for (const file of [view.color, view.depth]) copyFileSync(join(demo, file), join(folder, file));
      writeFileSync(join(folder, 'scene.json'), JSON.stringify({ ...scene, views: [view] }));
      return { folder, instance: decode(readFileSync(join(demo, view.instance))).data as Uint8Array };
    });
    const objectIds = new Set(scene.objects.filter((o) => o.name !== 'wooden table').map((o) => o.id));
    const clouds = single.map((s) => loadCapture(readInputs([s.folder]), captureSettings()).cloud);
    const instanceOf = (v: number, point: number) => single[v]!.instance[clouds[v]!.pixelIndex[point]!]!;
    const onObjects = Array.from({ length: clouds[0]!.count }, (_, i) => i).filter((i) => objectIds.has(instanceOf(0, i)));
    const points = Array.from({ length: 200 }, (_, j) => onObjects[Math.floor((j * onObjects.length) / 200)]!);
    const result = await runMatchCommand({
      reference: { files: readInputs([single[0]!.folder]), capture: captureSettings() },
      target: { files: readInputs([single[1]!.folder]), capture: captureSettings() },
      points,
      k: 1,
      prune: false,
      refine: false,
      models: { manifestPath: defaultManifestFile },
    });
    const same = result.queries.filter((q) => instanceOf(1, q.matches[0]!.index) === instanceOf(0, q.point)).length;
    console.log(`demo view 0 → view 1 (${result.featureSource} features, ${result.dim}-d): ${same}/${points.length} matches on the same object`);
    expect(same / points.length).toBeGreaterThanOrEqual(0.9);
  }, 180_000);

  // The trained linear map lowers its loss and pulls objects apart, but on the demo, whose views
  // already agree to 0.9956, it does not raise the agreement (0.9956 → 0.9881 measured): a global
  // map cannot fix per-point view noise. It does raise it where views differ by a bias
  // (core/match/pruneRefine.test.ts: 0.879 → 0.939). Bounded here so a regression shows.
  it('refinement on the demo’s 4 views: loss falls, objects move apart, cross-view agreement stays within 0.01', async () => {
    const demo = join(repoRoot, 'public/demo');
    const loaded = loadCapture(readInputs([demo]), captureSettings());
    const store = await pointFeatures(sceneEngine(loaded, { manifestPath: defaultManifestFile }), loaded);
    const { dim } = store;
    const values = readFeatureRows(store, 0, store.pointCount);
    const refined = refineAcrossViews(loaded.cloud, values, dim);
    const scene = JSON.parse(readFileSync(join(demo, 'scene.json'), 'utf8')) as { views: { instance: string }[] };
    const masks = scene.views.map((v) => decode(readFileSync(join(demo, v.instance))).data as Uint8Array);
    const objectOf = (i: number) => masks[loaded.cloud.viewIndex[i]!]![loaded.cloud.pixelIndex[i]!]!;
    const betweenObjects = (f: Float32Array) => {
      const random = mulberry32(4);
      let sum = 0;
      let m = 0;
      while (m < 5000) {
        const a = Math.floor(random() * loaded.cloud.count);
        const b = Math.floor(random() * loaded.cloud.count);
        if (objectOf(a) === objectOf(b) || objectOf(a) === 0 || objectOf(b) === 0) continue;
        sum += rowCosine(f, dim, a, b);
        m++;
      }
      return sum / m;
    };
    const before = crossViewAgreement(values, dim, refined.partner);
    const after = crossViewAgreement(refined.values, dim, refined.partner);
    const [apartBefore, apartAfter] = [betweenObjects(values), betweenObjects(refined.values)];
    console.log(
      `demo refine: ${refined.pairs} cross-view pairs, agreement ${before.toFixed(4)} → ${after.toFixed(4)}, mean cosine between objects ${apartBefore.toFixed(3)} → ${apartAfter.toFixed(3)}`,
    );
    expect(refined.losses[refined.losses.length - 1]!).toBeLessThan(refined.losses[0]!);
    expect(after).toBeGreaterThan(before - 0.01);
    expect(apartAfter).toBeLessThan(0.5);
    expect(apartAfter).toBeLessThanOrEqual(apartBefore + 0.02);
  }, 180_000);
});
