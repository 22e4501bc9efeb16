import { expect, test } from '@playwright/test';
import { drawnCanvasPixels, nonBackgroundFraction, pointCount, waitForDrawn } from './helpers.ts';

/** Point pruning for feature continuity on the demo scene: counts before / after, the pruned cloud drawn, Restore. */

test('pruning by feature continuity removes points, shows the counts, still draws the cloud, and Restore brings them back', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  const original = await pointCount(page);
  expect(original).toBeGreaterThan(1000);
  const drawnBefore = nonBackgroundFraction(await drawnCanvasPixels(page));

  // A strict threshold: the student's features vary across object edges, so some points must go.
  await page.getByTestId('prune-threshold').fill('0.995');
  await page.getByTestId('prune-apply').click();
  const counts = page.getByTestId('prune-counts');
  await expect(counts).toBeVisible({ timeout: 120_000 });
  const before = Number(await counts.getAttribute('data-before'));
  const after = Number(await counts.getAttribute('data-after'));
  expect(before).toBe(original);
  expect(after).toBeLessThan(before);
  expect(after).toBeGreaterThan(0);
  await expect(page.getByTestId('point-count')).toHaveText(String(after));
  await expect(page.getByTestId('prune-panel')).toHaveAttribute('data-pruned', 'true');
  await waitForDrawn(page);
  const drawnAfter = nonBackgroundFraction(await drawnCanvasPixels(page));
  expect(drawnAfter).toBeGreaterThan(0.2 * drawnBefore);

  // A looser threshold is applied to the unpruned scene again: more points stay.
  await page.getByTestId('prune-threshold').fill('0.5');
  await page.getByTestId('prune-apply').click();
  await expect.poll(async () => Number(await counts.getAttribute('data-after'))).toBeGreaterThan(after);
  expect(Number(await counts.getAttribute('data-before'))).toBe(original);

  await page.getByTestId('prune-restore').click();
  await expect(page.getByTestId('prune-panel')).toHaveAttribute('data-pruned', 'false');
  await expect(page.getByTestId('point-count')).toHaveText(String(original));
  await waitForDrawn(page);
});

test('refining the features makes the "refined" set: chosen, its loss lowered, its agreements shown', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await page.getByTestId('refine-apply').click();
  const summary = page.getByTestId('refine-summary');
  await expect(summary).toBeVisible({ timeout: 120_000 });
  const before = Number(await summary.getAttribute('data-agreement-before'));
  const after = Number(await summary.getAttribute('data-agreement-after'));
  const withSource = Number(await summary.getAttribute('data-agreement-with-source'));
  // The demo's views already agree to ~0.996; the linear map keeps that within 0.02 (see matchCommand.test.ts).
  expect(after).toBeGreaterThan(before - 0.02);
  expect(Number(await summary.getAttribute('data-last-loss'))).toBeLessThan(Number(await summary.getAttribute('data-first-loss')));
  expect(withSource).toBeGreaterThan(0);
  expect(withSource).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('feature-set')).toHaveValue('refined');
});
