/**
 * Export, re-import, URL state, embed mode and the production build served from a sub-path.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { parseNpy } from '../src/core/formats/npy.ts';
import {
  acceptRemoteLoads,
  canvasPixels,
  changedFraction,
  download,
  dropFiles,
  maxDifference,
  nonBackgroundFraction,
  pointCount,
  repoRoot,
  waitForDrawn,
} from './helpers.ts';
import { startStaticServer } from '../src/node/staticServer.ts';

interface Api {
  relevancy(layer?: number): number[] | null;
  colorMode(): string;
  setColorMode(mode: string): void;
  state(): { query: { text: string } | null };
}
const api = (page: Page) => ({
  relevancy: () => page.evaluate(() => (window as unknown as { fieldlens: Api }).fieldlens.relevancy(0)),
  colorMode: () => page.evaluate(() => (window as unknown as { fieldlens: Api }).fieldlens.colorMode()),
  setColorMode: (mode: string) => page.evaluate((m) => (window as unknown as { fieldlens: Api }).fieldlens.setColorMode(m), mode),
});

async function runQuery(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('colorbar')).toBeVisible();
  await waitForDrawn(page);
}

test.describe('export and re-import', () => {
  test('an exported PLY loads back with its result: same points, relevancy and heatmap pixels; exporting again gives the same bytes', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
    await runQuery(page, 'yellow dice');
    const relevancy = (await api(page).relevancy())!;
    const points = await pointCount(page);
    const ply = await download(page, 'ply');
    expect(ply.name).toBe('demo-yellow-dice.ply');
    expect(new TextDecoder().decode(ply.bytes.subarray(0, 600))).toContain('comment fieldlens-result {');

    await dropFiles(page, [{ name: ply.name, mime: 'application/octet-stream', bytes: ply.bytes }]);
    await expect(page.getByTestId('scene-description')).toContainText(ply.name);
    await waitForDrawn(page);
    expect(await pointCount(page)).toBe(points);
    expect(await api(page).colorMode()).toBe('relevancy');
    expect(maxDifference(await api(page).relevancy(), relevancy)).toBe(0);
    const restored = await canvasPixels(page);
    await api(page).setColorMode('rgb');
    await waitForDrawn(page);
    expect(changedFraction(restored, await canvasPixels(page))).toBeGreaterThan(0.02);
    await api(page).setColorMode('relevancy');
    await waitForDrawn(page);

    const again = await download(page, 'ply');
    expect(Buffer.from(again.bytes).equals(Buffer.from(ply.bytes))).toBe(true);

    // The same query run by the model on the re-imported cloud draws the same pixels.
    await runQuery(page, 'yellow dice');
    const rerun = (await api(page).relevancy())!;
    const maxDiff = rerun.reduce((m, v, i) => Math.max(m, Math.abs(v - relevancy[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-5);
    expect(changedFraction(restored, await canvasPixels(page))).toBeLessThan(0.002);
    await expect(page.getByTestId('error')).toHaveCount(0);

    // ?scene= may name a PLY on another host: it opens with its result too.
    const folder = mkdtempSync(join(tmpdir(), 'fieldlens-out-'));
    writeFileSync(join(folder, 'result.ply'), ply.bytes);
    const host = await startStaticServer({ root: folder, base: '/files/', isolation: false, cors: true });
    try {
      await page.goto(`./?backend=wasm&scene=${encodeURIComponent(`${host.url}result.ply`)}`);
      await acceptRemoteLoads(page);
      await expect(page.getByTestId('colorbar')).toBeVisible();
      await waitForDrawn(page);
      expect(maxDifference(await api(page).relevancy(), relevancy)).toBe(0);
      // The URL follows the state once the link's start-up has finished (after the model sets are read).
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('yellow dice');
    } finally {
      await host.close();
    }
  });

  test('masks (.npy and JSON) match the instance list; the PNG is the canvas; the state file restores the query', async ({ page }) => {
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
    await runQuery(page, 'blue ball; green box');
    const instances = JSON.parse(new TextDecoder().decode((await download(page, 'instances')).bytes)) as { instances: { id: number; count: number }[] };
    expect(instances.instances.length).toBeGreaterThan(0);
    const n = await pointCount(page);

    const npy = parseNpy((await download(page, 'masks-npy')).bytes, 'masks.npy');
    const json = JSON.parse(new TextDecoder().decode((await download(page, 'masks-json')).bytes)) as {
      pointCount: number;
      masks: { name: string; count: number; indices: number[] }[];
    };
    expect(npy.dtype).toBe('bool');
    expect(npy.shape).toEqual([2 + instances.instances.length, n]);
    expect(json.pointCount).toBe(n);
    expect(json.masks.map((m) => m.name)).toEqual(['relevancy:blue ball', 'relevancy:green box', ...instances.instances.map((i) => `instance:${i.id}`)]);
    json.masks.forEach((m, r) => {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += npy.data[r * n + i] as number;
      expect(ones).toBe(m.indices.length);
      if (r >= 2) expect(m.indices.length).toBe(instances.instances[r - 2]!.count);
    });

    const png = decode((await download(page, 'png')).bytes);
    const size = await page.locator('[data-testid="viewport"] canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect([png.width, png.height]).toEqual(size);
    const rgba = new Uint8Array(png.width * png.height * 4);
    for (let i = 0; i < png.width * png.height; i++)
      for (let c = 0; c < 4; c++) rgba[i * 4 + c] = c < png.channels ? (png.data[i * png.channels + c] as number) : 255;
    expect(nonBackgroundFraction({ width: png.width, height: png.height, rgba })).toBeGreaterThan(0.05);

    const state = await download(page, 'state');
    const relevancy = await api(page).relevancy();
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
    expect(await api(page).relevancy()).toBeNull();
    await dropFiles(page, [{ name: state.name, mime: 'application/json', bytes: state.bytes }]);
    await expect(page.getByTestId('colorbar')).toBeVisible();
    await waitForDrawn(page);
    expect(maxDifference(await api(page).relevancy(), relevancy)).toBe(0);
    expect(new URL(page.url()).searchParams.get('q')).toBe('blue ball; green box');
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
});

test.describe('URL state and embedding', () => {
  test('?q=…&mode=relevancy reproduces the heatmap of a typed query; the URL follows the view', async ({ page }) => {
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
    await runQuery(page, 'yellow dice');
    const typed = await canvasPixels(page);
    const relevancy = await api(page).relevancy();
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('yellow dice');
    expect(url.searchParams.get('mode')).toBe('relevancy');

    await page.goto('./?backend=wasm&q=yellow%20dice&mode=relevancy');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    await waitForDrawn(page);
    expect(maxDifference(await api(page).relevancy(), relevancy)).toBe(0);
    expect(changedFraction(typed, await canvasPixels(page))).toBeLessThan(0.002);

    await page.goto('./?backend=wasm&q=yellow%20dice&mode=sparkles');
    await expect(page.getByTestId('error')).toContainText('unknown mode "sparkles"');
  });

  test('?mode=agreement, as the agreement view writes it, loads without an error; the colour bar keeps the formula of the query shown', async ({ page }) => {
    await page.goto('./?backend=wasm&q=yellow%20dice&mode=agreement');
    await expect(page.getByTestId('colorbar')).toContainText('cosine relevancy · yellow dice');
    await waitForDrawn(page);
    await expect(page.getByTestId('error')).toHaveCount(0);
    // The picker names the next query's formula; the bar describes the result drawn now.
    await page.getByTestId('query-settings').locator('summary').click();
    await page.getByTestId('formula').selectOption('lerf');
    await expect(page.getByTestId('formula')).toHaveValue('lerf');
    await expect(page.getByTestId('colorbar')).toContainText('cosine relevancy · yellow dice');
  });

  test('?embed=1 hides the panels and shows the scene name, a query box and a link to the full studio', async ({ page }) => {
    await page.goto('./?backend=wasm&embed=1');
    await waitForDrawn(page);
    await expect(page.locator('aside.panel')).toBeHidden();
    await expect(page.getByTestId('query-input')).toBeHidden();
    await expect(page.getByTestId('embed-scene')).toHaveText('demo');
    const rgb = await canvasPixels(page);
    // The canvas spans the whole width of the page.
    expect(rgb.width).toBeGreaterThan(1000);
    await page.getByTestId('embed-query').fill('blue ball');
    await page.getByTestId('embed-query').press('Enter');
    await expect.poll(() => api(page).colorMode()).toBe('relevancy');
    await waitForDrawn(page);
    expect(changedFraction(rgb, await canvasPixels(page))).toBeGreaterThan(0.02);
    const params = new URL(page.url()).searchParams;
    expect([params.get('embed'), params.get('q')]).toEqual(['1', 'blue ball']);
    await page.getByTestId('embed-open').hover();
    const link = new URL((await page.getByTestId('embed-open').getAttribute('href'))!);
    expect(link.searchParams.get('embed')).toBeNull();
  });
});

test.describe('static build from a sub-path', () => {
  for (const isolation of [true, false]) {
    test(`dist/ under /lab/demo/ ${isolation ? 'with' : 'without'} COOP/COEP loads the demo and runs a query`, async ({ page }) => {
      const server = await startStaticServer({ root: join(repoRoot, 'dist'), base: '/lab/demo/', isolation });
      try {
        await page.goto(`${server.url}?backend=wasm`);
        await waitForDrawn(page);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolation);
        expect(await pointCount(page)).toBeGreaterThan(1000);
        await runQuery(page, 'yellow dice');
        await expect(page.getByTestId('backend')).toHaveText('wasm');
        expect((await api(page).relevancy())!.length).toBe(await pointCount(page));
        await expect(page.getByTestId('error')).toHaveCount(0);
        // Every local file the manifest names — models, tokenizer, fp16 variants — is in the build.
        const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as {
          models: { file: string; tokenizer?: { file: string }; variants?: { fp16?: { file: string } } }[];
        };
        const local = manifest.models.flatMap((m) => [m.file, m.tokenizer?.file, m.variants?.fp16?.file]).filter((f): f is string => !!f && !f.includes('://'));
        expect(local).toContain('tiny/clip-text-tiny-fp16.onnx');
        for (const file of new Set(local)) expect((await page.request.get(`${server.url}models/${file}`)).status(), file).toBe(200);
      } finally {
        await server.close();
      }
    });
  }
});
