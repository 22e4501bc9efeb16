import { expect, test } from '@playwright/test';
import { changedFraction, drawnCanvasPixels, waitForDrawn, type CanvasPixels } from './helpers.ts';

/** Pixels within `tolerance` (per channel) of an exact colour: the overlay and highlight colours are unlit. */
function pixelsOf(p: CanvasPixels, rgb: readonly [number, number, number], tolerance = 40): number {
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    if (
      Math.abs(p.rgba[i * 4]! - rgb[0]) <= tolerance &&
      Math.abs(p.rgba[i * 4 + 1]! - rgb[1]) <= tolerance &&
      Math.abs(p.rgba[i * 4 + 2]! - rgb[2]) <= tolerance
    )
      n++;
  }
  return n;
}

test('a relation query on the demo draws the target, the reference outline and the arrow', async ({ page }) => {
  await page.goto('/');
  await waitForDrawn(page);
  const before = await drawnCanvasPixels(page);
  await page.getByTestId('query-input').fill('the red mug on the table');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('segment-panel')).toHaveAttribute('data-shown', 'relation');
  await expect(page.getByTestId('relation-answer')).toContainText('red mug on table');
  await waitForDrawn(page);
  const after = await drawnCanvasPixels(page);
  // The demo has no pure green, cyan or magenta: before the answer none of them is drawn.
  for (const colour of [
    [0, 255, 0],
    [0, 255, 255],
    [255, 0, 255],
  ] as const)
    expect(pixelsOf(before, colour)).toBeLessThan(5);
  expect(pixelsOf(after, [0, 255, 0])).toBeGreaterThan(30); // the target (the mug) highlighted
  expect(pixelsOf(after, [0, 255, 255])).toBeGreaterThan(30); // the reference's box outlined
  expect(pixelsOf(after, [255, 0, 255])).toBeGreaterThan(30); // the arrow and its label
  await expect(page.getByTestId('relation-candidate').first()).toBeVisible();
});

test('mask mode lists segments; a click on a row or on a segment isolates it', async ({ page }) => {
  await page.goto('/');
  await waitForDrawn(page);
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('mask-query').click();
  await expect(page.getByTestId('segment-panel')).toHaveAttribute('data-shown', 'mask');
  const rows = page.getByTestId('segment-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(3);
  await waitForDrawn(page);
  const all = await drawnCanvasPixels(page);
  const first = rows.first();
  const id = await first.getAttribute('data-segment');
  await first.click();
  await expect(page.getByTestId('segment-panel')).toHaveAttribute('data-isolated', id!);
  await waitForDrawn(page);
  const isolated = await drawnCanvasPixels(page);
  // Every other segment (table, floor, other objects) goes from the colour map to dimmed RGB.
  expect(changedFraction(all, isolated)).toBeGreaterThan(0.05);
  await page.getByTestId('segment-show-all').click();
  await expect(page.getByTestId('segment-panel')).toHaveAttribute('data-isolated', '');
  // A double-click on the cloud (the middle of the view shows the table) isolates the segment under it.
  const box = (await page.locator('[data-testid="viewport"] canvas').boundingBox())!;
  await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('segment-panel')).not.toHaveAttribute('data-isolated', '');
});
