import { expect, test } from '@playwright/test';
import { canvasPixels, changedFraction, waitForDrawn } from './helpers.ts';

test('without a WebGPU adapter the same query runs on WASM', async ({ page }) => {
  await page.goto('./');
  await waitForDrawn(page);
  expect(await page.evaluate(async () => (navigator.gpu ? (await navigator.gpu.requestAdapter()) !== null : false))).toBe(false);
  const before = await canvasPixels(page);
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await waitForDrawn(page);
  expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.1);
  await expect(page.getByTestId('error')).toHaveCount(0);
});
