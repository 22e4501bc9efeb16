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

test('WebGPU forced (?backend=webgpu) without an adapter: the query runs on WASM and the status bar says why', async ({ page }) => {
  await page.goto('./?backend=webgpu');
  await waitForDrawn(page);
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('backend-note')).toHaveText('WebGPU was asked for, but this browser has no WebGPU adapter: the models run on WASM');
  await expect(page.getByTestId('colorbar')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
});
