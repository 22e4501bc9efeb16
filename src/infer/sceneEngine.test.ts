/**
 * The whole inference path as the worker runs it: models fetched over HTTP by the same URL loader
 * (sha256 checked), tiny ONNX models on onnxruntime-web (WASM under Node), the demo scene lifted
 * from public/demo, and the relevancy checked against the generator's instance masks.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSceneDescription } from '../core/ingest/posedScene.ts';
import { DEFAULT_LIFT_OPTIONS, loadCapture } from '../core/capture/loadCapture.ts';
import { parseModelManifest, type ModelManifest } from '../core/models/manifest.ts';
import { repoRoot } from '../testing/realData.ts';
import { SceneEngine } from './sceneEngine.ts';
import type { LoadProgress } from './modelLoader.ts';

let server: Server;
let baseUrl: URL;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    try {
      const bytes = readFileSync(join(repoRoot, decodeURIComponent((req.url ?? '').split('?')[0]!)));
      res.writeHead(200, { 'Content-Length': bytes.length });
      res.end(bytes);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/models/manifest.json`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const manifest = parseModelManifest(JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')));
const demoDir = join(repoRoot, 'public/demo');
const scene = parseSceneDescription(readFileSync(join(demoDir, 'scene.json'), 'utf8'), 'scene.json');
const cloud = loadCapture(
  ['scene.json', ...scene.views.flatMap((v) => [v.color, v.depth])].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
  { depthScale: 'auto', ...DEFAULT_LIFT_OPTIONS },
).cloud;
/** Instance id per point, read from the generator's instance masks via each point's (view, pixel). */
const instanceOfPoint = (() => {
  const masks = scene.views.map((_, i) => decode(readFileSync(join(demoDir, `view${i}_instance.png`))).data);
  return Uint8Array.from({ length: cloud.count }, (_, p) => masks[cloud.viewIndex[p]!]![cloud.pixelIndex[p]!]!);
})();
const objectId = (name: string): number => {
  const objects = (JSON.parse(readFileSync(join(demoDir, 'scene.json'), 'utf8')) as { objects: { id: number; name: string }[] }).objects;
  return objects.find((o) => o.name === name)!.id;
};

function engineWith(m: ModelManifest, progress?: (e: LoadProgress) => void): SceneEngine {
  const engine = new SceneEngine(() => Promise.resolve({ manifest: m, baseUrl, backend: 'wasm', fetch: { ...(progress ? { onProgress: progress } : {}) } }));
  engine.setCloud(cloud);
  return engine;
}

/** Fraction of the top-k most relevant points that belong to the object. */
function precisionAtK(relevancy: Float32Array, id: number): number {
  const k = instanceOfPoint.filter((x) => x === id).length;
  const order = Array.from(relevancy.keys()).sort((a, b) => relevancy[b]! - relevancy[a]!);
  return order.slice(0, k).filter((p) => instanceOfPoint[p] === id).length / k;
}

describe('SceneEngine on the demo scene with the tiny models', () => {
  it('lights up the object named by the query', async () => {
    const events: LoadProgress[] = [];
    const engine = engineWith(manifest, (e) => events.push(e));
    const dice = await engine.query('yellow dice');
    expect(dice.backend).toBe('wasm');
    expect(dice.relevancy).toHaveLength(cloud.count);
    expect(dice.modelIds).toEqual({ text: manifest.defaults['clip-text'], student: manifest.defaults.student3d });
    expect(precisionAtK(dice.relevancy, objectId('yellow dice'))).toBeGreaterThan(0.8);
    const mug = await engine.query('a photo of a red mug');
    expect(precisionAtK(mug.relevancy, objectId('red mug'))).toBeGreaterThan(0.9);
    const ball = await engine.query('blue ball');
    expect(precisionAtK(ball.relevancy, objectId('blue ball'))).toBeGreaterThan(0.9);
    // Models were fetched through the URL loader once, with progress, and reused.
    expect(events.filter((e) => e.status === 'ready').map((e) => e.status === 'ready' && e.file).sort()).toEqual(['clip-text-tiny.onnx', 'student3d-tiny.onnx', 'tokenizer.json']);
    expect(requests.filter((r) => r.endsWith('.onnx'))).toHaveLength(2);
  });

  it('reports the relevancy range and per-stage timings', async () => {
    const result = await engineWith(manifest).query('green box');
    let min = Infinity;
    let max = -Infinity;
    for (const v of result.relevancy) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(result.range).toEqual({ min, max });
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.studentMs + result.timings.textMs);
  });

  it('refuses a model whose bytes do not match the manifest sha256, naming both hashes', async () => {
    const tampered = { ...manifest, models: manifest.models.map((m) => (m.kind === 'student3d' ? { ...m, sha256: '0'.repeat(64) } : m)) };
    await expect(engineWith(tampered).query('red')).rejects.toThrow(/student3d-tiny\.onnx: sha256 mismatch \(expected 0{64}, found [0-9a-f]{64}\)/);
  });

  it('reports a missing model file as an HTTP error naming the URL', async () => {
    const missing = { ...manifest, models: manifest.models.map((m) => (m.kind === 'clip-text' ? { ...m, file: 'tiny/nope.onnx' } : m)) };
    await expect(engineWith(missing).query('red')).rejects.toThrow(/models\/tiny\/nope\.onnx: HTTP 404/);
  });

  it('refuses an ONNX file whose signature differs from the manifest', async () => {
    const renamed = { ...manifest, models: manifest.models.map((m) => (m.kind === 'student3d' ? { ...m, inputs: [{ ...m.inputs[0]!, name: 'xyz' }, m.inputs[1]!] } : m)) };
    await expect(engineWith(renamed).query('red')).rejects.toThrow(/signature mismatch — the manifest expects inputs \[xyz, colors\].*the ONNX file has inputs \[positions, colors\]/);
  });

  it('refuses to compare text and features from different embedding spaces', async () => {
    const other = { ...manifest, models: manifest.models.map((m) => (m.kind === 'student3d' ? { ...m, space: 'openai-clip-vit-b32' } : m)) };
    await expect(engineWith(other).query('red')).rejects.toThrow(/lives in fieldlens-tiny-colour-16 .* but student .* in openai-clip-vit-b32/);
  });

  it('refuses an empty query and a query with no cloud', async () => {
    await expect(engineWith(manifest).query('   ')).rejects.toThrow(/type a phrase/);
    await expect(new SceneEngine(() => Promise.resolve({ manifest, baseUrl, backend: 'wasm' })).query('red')).rejects.toThrow(/no point cloud is loaded/);
  });
});
