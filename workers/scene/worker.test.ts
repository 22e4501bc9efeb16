/**
 * The scene worker's protocol in Node, without a browser: the real worker module, exposed by its
 * own `Comlink.expose` on one port of a MessageChannel, driven through `Comlink.wrap` on the other
 * — the same messages, transfers and proxies as in the page. Models and the demo scene come over
 * HTTP from the repo; relevancy is checked against the demo generator's instance masks.
 */
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/node/repoPaths.ts';
import { serveRepoFiles, type RepoHttpServer } from '../../src/testing/repoHttpServer.ts';
import type { DrawableCloud, IngestOptions, SceneWorkerApi, TaskProgress } from './protocol.ts';
import { DEFAULT_QUERY } from '../../src/infer/queryTypes.ts';

let server: RepoHttpServer;
let origin = '';
let worker: Comlink.Remote<SceneWorkerApi>;
/** The transfer list of every message the worker posted. */
const sentTransfers: Transferable[][] = [];
const channel = new MessageChannel();
const globals = globalThis as unknown as Record<string, unknown>;

beforeAll(async () => {
  server = await serveRepoFiles();
  origin = server.origin;
  // The worker's global scope, as Comlink.expose sees it (it listens on and posts to globalThis).
  const port = channel.port1;
  globals.addEventListener = port.addEventListener.bind(port);
  globals.removeEventListener = port.removeEventListener.bind(port);
  globals.postMessage = (message: unknown, transfer: Transferable[] = []) => {
    sentTransfers.push(transfer);
    port.postMessage(message, transfer);
  };
  port.start();
  await import('./worker.ts');
  worker = Comlink.wrap<SceneWorkerApi>(channel.port2);
  await worker.configure({ manifestUrl: `${origin}/models/manifest.json`, backend: 'wasm' });
});

afterAll(async () => {
  worker[Comlink.releaseProxy]();
  channel.port1.close();
  channel.port2.close();
  for (const name of ['addEventListener', 'removeEventListener', 'postMessage']) delete globals[name];
  await server.close();
});

const demoDir = join(repoRoot, 'public/demo');
const sceneObjects = (JSON.parse(readFileSync(join(demoDir, 'scene.json'), 'utf8')) as { objects: { id: number; name: string }[] }).objects;
const masks = [0, 1, 2, 3].map((i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
const objectId = (name: string) => sceneObjects.find((o) => o.name === name)!.id;

/** Instance id per drawn point, from the generator's masks at each point's (view, pixel) source. */
function instancesOf(cloud: DrawableCloud): Uint8Array {
  const sources = cloud.sources!;
  return Uint8Array.from({ length: cloud.count }, (_, p) => masks[sources.view[p]!]![sources.pixel[p]!]!);
}

/** Fraction of the k most relevant points on the object (k = the object's point count). */
function precisionAtK(relevancy: Float32Array, instances: Uint8Array, id: number): number {
  const k = instances.filter((x) => x === id).length;
  const order = Array.from(relevancy.keys()).sort((a, b) => relevancy[b]! - relevancy[a]!);
  return order.slice(0, k).filter((p) => instances[p] === id).length / k;
}

const lastTransfer = () => sentTransfers[sentTransfers.length - 1] ?? [];

describe('scene worker protocol (comlink over a MessageChannel, in Node)', () => {
  let demo: DrawableCloud;

  it('loads the demo scene and transfers what is drawn', async () => {
    demo = await worker.loadSceneUrl(`${origin}/public/demo/scene.json`);
    expect(demo.count).toBeGreaterThan(10_000);
    expect(demo.positions).toBeInstanceOf(Float32Array);
    expect(demo.positions).toHaveLength(demo.count * 3);
    expect(demo.colors).toHaveLength(demo.count * 3);
    expect(demo.cameras.map((c) => c.name)).toEqual(['view0', 'view1', 'view2', 'view3']);
    expect(demo.thumbnails).toHaveLength(4);
    expect(demo.sources!.view).toHaveLength(demo.count);
    // Transferred, not copied: the worker's buffers are in the reply's transfer list and detached there.
    const transfer = lastTransfer() as ArrayBuffer[];
    expect(transfer.length).toBeGreaterThanOrEqual(2 + 4 + 2);
    for (const buffer of transfer) expect(buffer.byteLength).toBe(0);
    expect(demo.positions.buffer.byteLength).toBe(demo.count * 12);
  });

  it('runs two overlapping queries: relevancy per point, highest on the named object; each call hears its own progress', async () => {
    const dice: TaskProgress[] = [];
    const mugEvents: TaskProgress[] = [];
    // Both calls are in flight together while the models download: each passes its own proxy.
    const [result, mug] = await Promise.all([
      worker.query(
        { ...DEFAULT_QUERY, text: 'yellow dice' },
        Comlink.proxy((e: TaskProgress) => void dice.push(e)),
      ),
      worker.query(
        { ...DEFAULT_QUERY, text: 'a photo of a red mug' },
        Comlink.proxy((e: TaskProgress) => void mugEvents.push(e)),
      ),
    ]);
    const relevancy = result.layers[0]!.values;
    expect(relevancy).toBeInstanceOf(Float32Array);
    expect(relevancy).toHaveLength(demo.count);
    expect(relevancy.buffer.byteLength).toBe(demo.count * 4);
    expect(lastTransfer().length).toBeGreaterThanOrEqual(1);
    for (const buffer of lastTransfer() as ArrayBuffer[]) expect(buffer.byteLength).toBe(0);
    const instances = instancesOf(demo);
    expect(precisionAtK(relevancy, instances, objectId('yellow dice'))).toBeGreaterThan(0.8);
    expect(precisionAtK(mug.layers[0]!.values, instances, objectId('red mug'))).toBeGreaterThan(0.9);
    // The first queries downloaded the models: both callers heard it, each through its own proxy
    // (a single worker-wide listener would have given the downloads to the later call only).
    for (const events of [dice, mugEvents]) {
      expect(events.some((e) => 'status' in e && e.status === 'ready')).toBe(true);
      // Stage starts (the ends may still be in flight on their proxy's port when the reply lands).
      expect(events.filter((e) => e.status === 'stage' && e.ms === null).length).toBeGreaterThan(0);
    }
    // The first query loads onnxruntime's wasm and both models: minutes on a busy 2-core machine.
  }, 240_000);

  it('takes dropped files by transfer: the caller no longer holds their bytes', async () => {
    const bytes = readFileSync(join(demoDir, 'scene.json'));
    const names = ['scene.json', ...[0, 1, 2, 3].flatMap((i) => [`view${i}_color.png`, `view${i}_depth.png`])];
    const files = names.map((name) => ({ name, bytes: Uint8Array.from(name === 'scene.json' ? bytes : readFileSync(join(demoDir, name))).buffer }));
    const options: IngestOptions = { ...DEFAULT_CAPTURE_SETTINGS, maxFrames: 300 };
    const dropped = await worker.loadDroppedFiles(
      Comlink.transfer(
        files,
        files.map((f) => f.bytes),
      ),
      options,
    );
    for (const f of files) expect(f.bytes.byteLength).toBe(0);
    expect(dropped.count).toBe(demo.count);
  });

  it('errors come back as Errors with the specific message, and the loaded scene stays', async () => {
    const options: IngestOptions = { ...DEFAULT_CAPTURE_SETTINGS, maxFrames: 300 };
    const garbage = new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nend_header\n1\n').buffer;
    const failure = await worker.loadDroppedFiles([{ name: 'broken.ply', bytes: garbage }], options).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/broken\.ply/);
    const missingView = await worker.viewImage(99).catch((e: unknown) => e);
    expect(missingView).toBeInstanceOf(Error);
    expect((missingView as Error).message).toBe('view 99: the scene has 4 input view(s)');
    const noLayer = await worker.clusterInstances(7, 0.5).catch((e: unknown) => e);
    expect((noLayer as Error).message).toMatch(/no relevancy layer 7/);
    // The scene from before the failed load still answers queries for all its points.
    const after = await worker.query({ ...DEFAULT_QUERY, text: 'blue ball' });
    expect(after.layers[0]!.values).toHaveLength(demo.count);
  });

  it('restoreLayers replaces the kept layers: re-clustering then reads them, with no model run (what a restarted worker is sent)', async () => {
    // The points left of the median x are relevant (1), the others not (0).
    const xs = Array.from({ length: demo.count }, (_, i) => demo.positions[i * 3]!);
    const median = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const layer = Float32Array.from(xs, (x) => (x < median ? 1 : 0));
    await worker.restoreLayers([layer]);
    const { instanceIds } = await worker.clusterInstances(0, 0.5);
    expect(instanceIds).toHaveLength(demo.count);
    const inInstances = xs.filter((_, i) => instanceIds[i]! >= 0).length;
    // No irrelevant point is in an instance, and nearly every relevant one is (tiny clusters may be dropped).
    expect(xs.every((_, i) => instanceIds[i]! < 0 || layer[i] === 1)).toBe(true);
    expect(inInstances / layer.filter((v) => v === 1).length).toBeGreaterThan(0.9);
  });
});
