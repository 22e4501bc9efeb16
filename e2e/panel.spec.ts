/**
 * The query panel (issue 5): query history, threshold histogram + re-clustering, clickable
 * instances, progress bars, dismissible errors and keyboard shortcuts — in real Chromium.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, changedFraction, dropFiles, repoRoot, waitForDrawn } from './helpers.ts';

/** Waits until the camera rig has drawn the last camera request (of `kind`) made by the page. */
async function cameraRequestDrawn(page: Page, kind: string): Promise<void> {
  const root = page.getByTestId('drop-zone');
  await expect(root).toHaveAttribute('data-last-camera-request', new RegExp(`^${kind}:\\d+$`));
  const version = (await root.getAttribute('data-last-camera-request'))!.split(':')[1]!;
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-camera-request', version);
}

/** Types a query, presses Enter and waits until its last stage has finished and the result is drawn. */
async function query(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
  // Stage bars are reset when a task starts, so a finished relevancy stage belongs to this query.
  await expect(page.locator('[data-testid="stage-progress"][data-stage="relevancy"]')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('query-input')).toHaveAttribute('aria-busy', 'false');
  await waitForDrawn(page);
}

test.beforeEach(async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
});

test('↑ / ↓ in the query box walk earlier queries and the history survives a reload', async ({ page }) => {
  await query(page, 'red mug');
  await query(page, 'blue ball');
  const box = page.getByTestId('query-input');
  await box.fill('gre');
  const walk: string[] = [];
  for (const key of ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowDown', 'ArrowDown']) {
    await box.press(key);
    walk.push(await box.inputValue());
  }
  expect(walk).toEqual(['blue ball', 'red mug', 'red mug', 'blue ball', 'gre']);

  await page.reload();
  await waitForDrawn(page);
  await page.getByTestId('query-input').press('ArrowUp');
  await expect(page.getByTestId('query-input')).toHaveValue('blue ball');
});

test('the threshold histogram draws and moving the threshold re-makes instances without re-running the models', async ({ page }) => {
  await query(page, 'plate');
  const bars = page.locator('[data-testid="threshold-histogram"] rect');
  await expect(bars).toHaveCount(64);
  const heights = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
  expect(heights.filter((h) => h > 0).length).toBeGreaterThan(3);
  const markerAt = () => page.getByTestId('threshold-marker').getAttribute('x1');
  const marker = await markerAt();

  const queryTime = await page.getByTestId('query-time').textContent();
  const stageTimes = await page.getByTestId('stage-times').textContent();
  const instancesBefore = Number(await page.getByTestId('instance-count').textContent());
  await page.getByTestId('color-instances').check();
  await waitForDrawn(page);
  const before = await canvasPixels(page);

  await page.getByTestId('threshold').fill('0.3');
  await expect(page.getByTestId('recluster-time')).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId('instance-count').textContent())).toBeGreaterThan(instancesBefore);
  expect(await markerAt()).not.toBe(marker);
  await waitForDrawn(page);
  expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.005);
  // Same query timings: neither the text encoder nor the student ran again.
  await expect(page.getByTestId('query-time')).toHaveText(queryTime!);
  await expect(page.getByTestId('stage-times')).toHaveText(stageTimes!);
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('clicking an instance focuses the camera on its box: the view moves', async ({ page }) => {
  await query(page, 'blue ball');
  const before = await canvasPixels(page);
  await page.getByTestId('instance').first().click();
  await cameraRequestDrawn(page, 'focus');
  expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.05);
});

test('progress bars show each model download (bytes) and each inference stage', async ({ page }) => {
  // Record whether a download bar was ever seen unfinished (the tiny models load fast). From before
  // the page's own scripts: the studio opens the models in the background as soon as it starts.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { seenRunning: string[] }).seenRunning = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="download-progress"][data-done="false"]')) seen.push(el.getAttribute('data-file') ?? '');
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  await waitForDrawn(page);
  await query(page, 'yellow dice');
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as {
    models: { id: string; file: string; bytes: number }[];
    defaults: Record<string, string>;
  };
  const downloads = page.getByTestId('download-progress');
  await expect(downloads).toHaveCount(3); // text encoder, its tokenizer, the student
  // The background start (or the query) loads the default text encoder and student (the teacher's image encoder only when it runs).
  const loaded = manifest.models.filter((m) => m.id === manifest.defaults['clip-text'] || m.id === manifest.defaults.student3d);
  expect(loaded).toHaveLength(2);
  for (const model of loaded) {
    const bar = page.locator(`[data-testid="download-progress"][data-file="${model.file.split('/').pop()}"]`);
    await expect(bar).toHaveAttribute('data-done', 'true');
    await expect(bar.locator('progress')).toHaveAttribute('value', String(model.bytes));
  }
  const seen = await page.evaluate(() => (window as unknown as { seenRunning: string[] }).seenRunning);
  expect(seen.length).toBeGreaterThan(0);
  const stages = await page
    .getByTestId('stage-progress')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stage')}:${e.getAttribute('data-done')}`));
  // The student runs in the background from the start (features-state): the query shows its stage
  // only when it had to wait for that run, so the list is one of these two, all finished.
  await expect(page.getByTestId('features-state')).toHaveAttribute('data-features-ready', 'true');
  const queryStages = ['text-encode:true', 'relevancy:true', 'clustering:true'];
  expect([queryStages, ['student:true', ...queryStages]]).toContainEqual(stages);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('status-point-count')).toContainText(String(Number(await page.getByTestId('point-count').textContent()).toLocaleString('en')));
});

test('errors can be dismissed one by one and all at once', async ({ page }) => {
  const lying = 'ply\nformat binary_little_endian 1.0\nelement vertex 1000\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
  for (const name of ['one.ply', 'two.ply', 'three.ply']) {
    await dropFiles(page, [{ name, mime: 'application/octet-stream', bytes: new TextEncoder().encode(lying) }]);
    await expect(page.getByTestId('error').filter({ hasText: `${name}:` })).toBeVisible();
  }
  await expect(page.getByTestId('error')).toHaveCount(3);
  await page.getByTestId('error').filter({ hasText: 'two.ply:' }).getByTestId('dismiss-error').click();
  await expect(page.getByTestId('error')).toHaveCount(2);
  await expect(page.getByTestId('error').filter({ hasText: 'two.ply:' })).toHaveCount(0);
  await page.getByTestId('dismiss-all-errors').click();
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('keyboard: 1–6 switch colour modes, f / r fit and reset, / focuses the query box, p hides the panels, ? shows the help', async ({ page }) => {
  await query(page, 'red mug');
  const heatmap = await canvasPixels(page);
  await page.getByTestId('query-input').blur();
  await page.keyboard.press('1');
  await expect(page.getByTestId('color-rgb')).toBeChecked();
  await waitForDrawn(page);
  const rgb = await canvasPixels(page);
  expect(changedFraction(heatmap, rgb)).toBeGreaterThan(0.05);
  await page.keyboard.press('2');
  await expect(page.getByTestId('color-relevancy')).toBeChecked();
  await waitForDrawn(page);
  const start = await canvasPixels(page);
  expect(changedFraction(rgb, start)).toBeGreaterThan(0.05);

  // f fits the scene (the view moves), r resets it (back to the start view).
  await page.keyboard.press('f');
  await cameraRequestDrawn(page, 'fit');
  expect(changedFraction(start, await canvasPixels(page))).toBeGreaterThan(0.05);
  await page.keyboard.press('r');
  await cameraRequestDrawn(page, 'reset');
  expect(changedFraction(start, await canvasPixels(page))).toBeLessThan(0.01);

  await page.keyboard.press('/');
  await expect(page.getByTestId('query-input')).toBeFocused();
  await expect(page.getByTestId('query-input')).toHaveValue('red mug'); // the `/` was not typed
  // Typing in the box is text, not shortcuts.
  await page.keyboard.type(' p1');
  await expect(page.getByTestId('query-input')).toHaveValue('red mug p1');
  await expect(page.locator('aside.panel')).toBeVisible();
  await expect(page.getByTestId('color-relevancy')).toBeChecked();
  await page.getByTestId('query-input').blur();

  await page.keyboard.press('p');
  await expect(page.locator('aside.panel')).toBeHidden();
  await expect(page.getByTestId('drop-zone')).toHaveClass(/panels-hidden/);
  await page.keyboard.press('p');
  await expect(page.locator('aside.panel')).toBeVisible();

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Focus the query box');
  await expect(help.locator('tr')).toHaveCount(13); // 7 colour modes with a key, 6 other shortcuts
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});
