import { expect, test, type Locator } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStandins } from '../models/build/standins.ts';
import { realDataRoot } from '../src/testing/realData.ts';
import { acceptRemoteLoads, dropFiles, waitForDrawn } from './helpers.ts';
import { serveStandins } from './standinServer.ts';

/**
 * Full size, end to end (`npm run test:full-size`): a local host serves the full-size ViT-B/32
 * stand-ins (63.4 M + 87.8 M parameters) under the pinned production URL layout; choosing the set
 * downloads them (≥ 600 MB with the tokenizer) with progress into Cache Storage; a reload uses the
 * cache without one model request; the teacher runs the image tower on a real TUM frame and a query
 * draws. Prints the download, cached-load and teacher times. It runs in a persistent browser profile:
 * Playwright's default contexts are off the record, and their in-memory Cache Storage refuses a
 * 351 MB entry ("Unexpected internal error").
 */
const TUM = 'rgbd/redwood-tum-nyu-sun/other_formats';

/** Waits for the model-set download to end, and fails at once with its message when it failed. */
async function downloadEnded(panel: Locator, timeout: number): Promise<void> {
  await expect(panel).not.toHaveAttribute('data-state', 'running', { timeout });
  const state = await panel.getAttribute('data-state');
  expect(state, state === 'ready' ? '' : ((await panel.textContent()) ?? '')).toBe('ready');
}

test('full-size stand-ins: download ≥ 600 MB with progress, reload from the cache offline, teacher on a TUM frame, a query draws', async ({
  playwright,
  baseURL,
}) => {
  const root = realDataRoot();
  const frame = root ? join(root, TUM) : null;
  test.skip(!frame || !existsSync(join(frame, 'TUM_color.png')), `real data not found: expected ../shared/data/${TUM}/TUM_color.png (or FIELDLENS_REAL_DATA)`);
  const standins = ensureStandins();
  const host = await serveStandins(standins.dir);
  const figures: Record<string, string> = {};
  const profile = mkdtempSync(join(tmpdir(), 'fieldlens-full-size-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    ...test.info().project.use.launchOptions,
    baseURL: baseURL!,
    viewport: { width: 1100, height: 700 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    const url = `./?backend=wasm&models=${encodeURIComponent(host.manifestUrl)}`;
    await page.goto(url);
    await acceptRemoteLoads(page);
    await waitForDrawn(page);
    const panel = page.getByTestId('model-set-panel');
    await expect(panel).toHaveAttribute('data-state', 'consent');
    const size = await page.getByTestId('model-set-size').textContent();
    expect(Number(size!.replace(/ MB$/, ''))).toBeGreaterThanOrEqual(600);
    const t0 = Date.now();
    await page.getByTestId('model-set-accept').click();
    // Progress per file, while it downloads.
    await expect(page.getByTestId('model-set-file').first()).toBeVisible();
    await downloadEnded(panel, 900_000);
    figures.download = `${((Date.now() - t0) / 1000).toFixed(1)} s for ${size}`;
    const downloaded = host.requests.filter((p) => !p.endsWith('manifest.json'));
    expect(downloaded.length).toBe(3);

    // Reload: every model comes from Cache Storage (re-verified), none from the host.
    host.requests.length = 0;
    const t1 = Date.now();
    await page.reload();
    await waitForDrawn(page);
    await downloadEnded(panel, 300_000);
    await expect(page.getByTestId('model-set')).toHaveValue('standin-clip-vit-b32');
    figures.cachedLoad = `${((Date.now() - t1) / 1000).toFixed(1)} s (reload to set verified from the cache)`;

    // A real TUM frame; the teacher computes 512-d features with the image tower.
    const bytes = (name: string) => new Uint8Array(readFileSync(join(frame!, name)));
    await dropFiles(page, [
      { name: 'TUM_color.png', mime: 'image/png', bytes: bytes('TUM_color.png') },
      { name: 'TUM_depth.png', mime: 'image/png', bytes: bytes('TUM_depth.png') },
      { name: 'camera.json', mime: 'application/json', bytes: new Uint8Array(readFileSync(join(root!, 'rgbd/camera_primesense.json'))) },
    ]);
    await waitForDrawn(page);
    const t2 = Date.now();
    // The set has no student: the teacher runs by itself once the frame is shown.
    await expect(page.getByTestId('features-state')).toHaveAttribute('data-features-ready', 'true', { timeout: 1_200_000 });
    await expect(page.getByTestId('features-from')).toHaveText(/^features from: teacher \(\d+ objects?, 1 view\)$/);
    await expect(page.getByTestId('teacher-summary')).toContainText('segments');
    figures.teacher = `${((Date.now() - t2) / 1000).toFixed(1)} s (${await page.getByTestId('teacher-summary').textContent()})`;
    const t3 = Date.now();
    await page.getByTestId('query-input').fill('a chair');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 300_000 });
    await waitForDrawn(page);
    await expect(page.getByTestId('colorbar')).toBeVisible();
    figures.firstQuery = `${((Date.now() - t3) / 1000).toFixed(1)} s`;
    expect(host.requests.filter((p) => p.endsWith('.onnx') || p.endsWith('tokenizer.json'))).toEqual([]);
  } finally {
    console.log(`full-size figures: ${JSON.stringify(figures, null, 1)}`);
    await host.close();
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
