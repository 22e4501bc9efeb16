import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODEL_HOST, ROUTED_FILES, ROUTED_SET, routedManifest, routeModels } from './modelRoutes.ts';
import { pointCount, waitForDrawn } from './helpers.ts';

/** The demo is in, the routed set is offered: pick it. */
async function chooseRouted(page: Page): Promise<void> {
  await waitForDrawn(page);
  await expect(page.getByTestId('model-set').locator(`option[value="${ROUTED_SET}"]`)).toHaveCount(1);
  await page.getByTestId('model-set').selectOption(ROUTED_SET);
}

/** A query on the loaded demo scene still answers (with whatever set is in use). */
async function queryWorks(page: Page): Promise<void> {
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText(/webgpu|wasm/);
  await waitForDrawn(page);
  expect(await pointCount(page)).toBeGreaterThan(0);
}

/** The stall timeout the stalling-download test sets with ?stall= (seconds). */
const STALL_S = 5;

const totalBytes = () => [...ROUTED_FILES.values()].reduce((n, b) => n + b.length, 0);

test.describe('model sets', () => {
  test('the picker lists the manifest sets; a download set asks once, streams per file, and a reload uses the cache', async ({ page }) => {
    const seen = await routeModels(page, () => 'ok');
    await page.goto('./?backend=wasm');
    await chooseRouted(page);
    // The size comes first, from the manifest (nothing is fetched before the yes).
    await expect(page.getByTestId('model-set-consent')).toBeVisible();
    await expect(page.getByTestId('model-set-size')).toHaveText(`${Math.round(totalBytes() / 1e3)} kB`);
    expect(seen).toEqual([]);
    await page.getByTestId('model-set-accept').click();
    await expect(page).toHaveURL(new RegExp(`[?&]models=${ROUTED_SET}(&|$)`));
    expect(new Set(seen)).toEqual(new Set(ROUTED_FILES.keys()));
    await queryWorks(page);
    // Second visit: the consent is remembered and every model comes from Cache Storage.
    seen.length = 0;
    await page.reload();
    await waitForDrawn(page);
    await expect(page.getByTestId('model-set')).toHaveValue(ROUTED_SET);
    await expect(page.getByTestId('model-set-consent')).toHaveCount(0);
    await queryWorks(page);
    expect(seen).toEqual([]);
  });

  test('?models=<set id> selects the set; declining leaves the demo set in use', async ({ page }) => {
    const seen = await routeModels(page, () => 'ok');
    await page.goto(`./?backend=wasm&models=${ROUTED_SET}`);
    await expect(page.getByTestId('model-set-consent')).toBeVisible();
    await page.getByTestId('model-set-decline').click();
    await expect(page.getByTestId('model-set')).toHaveValue('demo');
    expect(seen).toEqual([]);
    await queryWorks(page);
  });

  for (const [fault, message] of [
    ['404', /HTTP 404/],
    ['truncated', /truncated — received \d[\d,]* bytes, the manifest declares/],
    ['wrong-hash', /sha256 mismatch \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)/],
  ] as const) {
    test(`a download answering ${fault} ends with a clear message, a retry, and the scene kept`, async ({ page }) => {
      let failing = true;
      await routeModels(page, (file) => (failing && file === 'clip-text-tiny.onnx' ? fault : 'ok'));
      await page.goto('./?backend=wasm');
      const points = (await chooseRouted(page), await pointCount(page));
      await page.getByTestId('model-set-accept').click();
      await expect(page.getByTestId('model-set-download')).toHaveAttribute('data-phase', 'failed');
      await expect(page.getByTestId('model-set-status')).toHaveText(message);
      await expect(page.getByTestId('error').filter({ hasText: `${MODEL_HOST}/clip-text-tiny.onnx` })).toBeVisible();
      await expect(page.getByTestId('model-set')).toHaveValue('demo');
      expect(await pointCount(page)).toBe(points);
      await queryWorks(page);
      // The server recovers: retry downloads and uses the set.
      failing = false;
      await page.getByTestId('model-set-retry').click();
      await expect(page.getByTestId('model-set')).toHaveValue(ROUTED_SET);
      await expect(page.getByTestId('model-set-download')).toHaveCount(0);
    });
  }

  test('a download stalling mid-stream times out with a retry; a cancel stops a running one', async ({ page }) => {
    // A real server: Playwright's route answers whole bodies. 'stall' sends half and then nothing;
    // 'trickle' sends half and then a byte every 100 ms (running, never stalled, never done).
    let mode: 'stall' | 'trickle' | 'ok' = 'stall';
    const server: Server = createServer((request, response) => {
      const bytes = ROUTED_FILES.get(request.url!.slice(1))!;
      response.writeHead(200, { 'access-control-allow-origin': '*', 'content-length': String(bytes.length) });
      if (mode === 'ok') return void response.end(Buffer.from(bytes));
      let sent = bytes.length >> 1;
      response.write(Buffer.from(bytes.subarray(0, sent)));
      if (mode === 'stall') return;
      const trickle = setInterval(() => response.write(Buffer.from(bytes.subarray(sent, ++sent))), 100);
      response.on('close', () => clearInterval(trickle));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stallHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await routeModels(
        page,
        () => 'ok',
        routedManifest((file) => (file === 'clip-text-tiny.onnx' ? stallHost : MODEL_HOST)),
      );
      // ?stall= shortens the stall timeout (default 15 s): the test waits for it once.
      await page.goto(`./?backend=wasm&stall=${STALL_S}`);
      await chooseRouted(page);
      await page.getByTestId('model-set-accept').click();
      // Progress shows the half that arrived, then the stall timeout ends it.
      await expect(page.getByTestId('model-set-file').filter({ hasText: 'clip-text-tiny.onnx' })).toBeVisible();
      await expect(page.getByTestId('model-set-status')).toHaveText(new RegExp(`download stalled — no data for ${STALL_S} s`));
      await expect(page.getByTestId('model-set')).toHaveValue('demo');
      await queryWorks(page);
      // Cancel while a download runs: the set in use stays.
      mode = 'trickle';
      await page.getByTestId('model-set-retry').click();
      await expect(page.getByTestId('model-set-cancel')).toBeVisible();
      await page.getByTestId('model-set-cancel').click();
      await expect(page.getByTestId('model-set-download')).toHaveAttribute('data-phase', 'cancelled');
      await expect(page.getByTestId('model-set')).toHaveValue('demo');
      mode = 'ok';
      await page.getByTestId('model-set-retry').click();
      await expect(page.getByTestId('model-set')).toHaveValue(ROUTED_SET);
      await queryWorks(page);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a corrupt Cache Storage entry is evicted and downloaded again', async ({ page }) => {
    const seen = await routeModels(page, () => 'ok');
    await page.goto('./?backend=wasm');
    await chooseRouted(page);
    await page.getByTestId('model-set-accept').click();
    await expect(page.getByTestId('model-set')).toHaveValue(ROUTED_SET);
    await page.evaluate(async (url) => {
      const cache = await caches.open('fieldlens-models-v1');
      await cache.put(url, new Response(new Uint8Array([1, 2, 3])));
    }, `${MODEL_HOST}/clip-text-tiny.onnx`);
    seen.length = 0;
    await page.reload();
    await expect(page.getByTestId('model-set-notice')).toHaveText(/1 cached model file\(s\) failed their hash check; they were removed and downloaded again/);
    expect(seen).toEqual(['clip-text-tiny.onnx']);
    await expect(page.getByTestId('model-set')).toHaveValue(ROUTED_SET);
    await queryWorks(page);
  });

  test('storage quota too small: refused before the download, saying how much is needed and available', async ({ page }) => {
    const seen = await routeModels(page, () => 'ok');
    // What navigator.storage.estimate reports on a nearly full disk.
    await page.addInitScript(() => {
      navigator.storage.estimate = () => Promise.resolve({ quota: 60_000, usage: 40_000 });
    });
    await page.goto('./?backend=wasm');
    await chooseRouted(page);
    await page.getByTestId('model-set-accept').click();
    await expect(page.getByTestId('model-set-status')).toHaveText(
      `model set "Routed test models (download)": not enough browser storage — ${Math.round(totalBytes() / 1e3)} kB needed, 20 kB available; free some space (or allow this site more) and retry`,
    );
    expect(seen).toEqual([]);
    await expect(page.getByTestId('model-set')).toHaveValue('demo');
    await queryWorks(page);
  });

  test('storage quota exceeded while storing: the message names the file and the bytes still needed', async ({ page }) => {
    await routeModels(page, () => 'ok');
    await page.goto('./?backend=wasm');
    // The browser refuses the cache writes (the estimate may still report the disk's quota).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 20_000 });
    await chooseRouted(page);
    await page.getByTestId('model-set-accept').click();
    await expect(page.getByTestId('model-set-status')).toHaveText(
      /^https:\/\/models\.fieldlens\.test\/\S+: browser storage is full — \d+ kB needed, [\d.]+ [kM]B available/,
    );
    await expect(page.getByTestId('model-set')).toHaveValue('demo');
    await queryWorks(page);
  });
});
