import { expect, test, type Page } from '@playwright/test';
import { ensureStandins } from '../models/build/standins.ts';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { mulberry32 } from '../src/core/synth/prng.ts';
import { waitForDrawn } from './helpers.ts';
import { serveStandins, type StandinHost } from './standinServer.ts';

/**
 * Operator coverage of the real CLIP ViT-B/32 text tower in Chromium: the 2-layer stand-ins (same
 * operators, signatures and embedding table as full size; seeded random weights) encode a phrase
 * on WebGPU (the SwiftShader adapter here, forced with ?backend=webgpu) and on WASM, and the
 * relevancy of 512-d features brought in a PLY agrees to 1e-3. The stand-ins are built on demand
 * (cached under .cache/standins/) and served by a local model host (e2e/standinServer.ts), as a set
 * of the text tower alone (the vision tower never runs here: its 68 MB would only be downloaded and
 * hashed), beside the feature PLY that `?scene=` opens (no demo lift to replace first).
 */
const standins = ensureStandins({ layers: 2 });
const POINTS = 300;
const DIM = 512;
const PLY_NAME = 'features512.ply';

function featurePly(): Uint8Array {
  const random = mulberry32(11);
  const positions = Float32Array.from({ length: POINTS * 3 }, () => random() - 0.5);
  const colors = Uint8Array.from({ length: POINTS * 3 }, () => Math.floor(random() * 256));
  const scalars = Array.from({ length: DIM }, (_, d) => ({ name: `feat_${d}`, values: Float32Array.from({ length: POINTS }, () => random() * 2 - 1) }));
  return encodePly({ positions, colors, scalars }, 'binary_little_endian');
}

interface ManifestJson {
  models: { id: string; kind: string; bytes: number; tokenizer?: { bytes: number } }[];
  defaults: Record<string, string>;
  modelSets: Record<string, unknown>[];
}

/** The stand-ins' manifest with its set reduced to the text tower (the only model this test runs). */
function textTowerOnly(raw: Record<string, unknown>): Record<string, unknown> {
  const manifest = raw as unknown as ManifestJson;
  const text = manifest.models.find((m) => m.kind === 'clip-text')!;
  const defaults = { 'clip-text': text.id };
  const modelSets = manifest.modelSets.map((set) => ({ ...set, image: undefined, totalBytes: text.bytes + (text.tokenizer?.bytes ?? 0) }));
  return { ...manifest, models: [text], defaults, modelSets };
}

async function relevancyOn(page: Page, host: StandinHost, backend: 'webgpu' | 'wasm', first: boolean): Promise<number[]> {
  await page.goto(`./?backend=${backend}&models=${encodeURIComponent(host.manifestUrl)}&scene=${encodeURIComponent(host.url(PLY_NAME))}`);
  await expect(page.getByTestId('point-count')).toHaveText(String(POINTS));
  await waitForDrawn(page);
  // Another origin: the set downloads (asked once per browser context; later re-verified from the cache).
  const panel = page.getByTestId('model-set-panel');
  if (first) {
    await expect(panel).toHaveAttribute('data-state', 'consent');
    await page.getByTestId('model-set-accept').click();
  }
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('model-set')).toHaveValue('standin-clip-vit-b32');
  await page.getByTestId('query-input').fill('a photo of a chair');
  await page.getByTestId('query-input').press('Enter');
  // A first WebGPU run compiles every kernel on the software adapter: minutes on a busy 2-core machine.
  await expect(page.getByTestId('backend')).toHaveText(backend, { timeout: 240_000 });
  await waitForDrawn(page);
  const values = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
  expect(values).toHaveLength(POINTS);
  return values!;
}

test('2-layer CLIP text stand-ins: WebGPU and WASM give the same relevancy on 512-d features (to 1e-3)', async ({ page }) => {
  test.setTimeout(420_000);
  const host = await serveStandins(standins.dir, { manifest: textTowerOnly, files: new Map([[PLY_NAME, featurePly()]]) });
  try {
    const cpu = await relevancyOn(page, host, 'wasm', true);
    const gpu = await relevancyOn(page, host, 'webgpu', false);
    let maxDiff = 0;
    for (let i = 0; i < POINTS; i++) maxDiff = Math.max(maxDiff, Math.abs(gpu[i]! - cpu[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
    // Not a constant field: the comparison means something.
    expect(Math.max(...cpu) - Math.min(...cpu)).toBeGreaterThan(1e-3);
    // Each model file crossed the network once: the WebGPU run loaded the WASM run's cached copies.
    const models = host.requests.filter((p) => p.endsWith('.onnx'));
    expect(models).toEqual([host.manifestUrl.replace(/^https?:\/\/[^/]+/, '').replace('manifest.json', 'onnx/text_model.onnx')]);
  } finally {
    await host.close();
  }
});
