import { expect, test } from '@playwright/test';
import { waitForDrawn } from './helpers.ts';

/**
 * The precision badge says which variant of the text encoder ran: fp16 exactly when the query ran
 * on WebGPU and the adapter offers `shader-f16` (the tiny text model has an fp16 variant), else fp32.
 * Runs in both projects: with a WebGPU adapter (SwiftShader here; a real GPU elsewhere) and without.
 */
test('the precision badge follows the backend and the adapter’s shader-f16 feature', async ({ page }) => {
  await page.goto('./');
  await waitForDrawn(page);
  const shaderF16 = await page.evaluate(async () => {
    const adapter = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    return adapter?.features.has('shader-f16') ?? false;
  });
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|wasm)$/);
  const backend = await page.getByTestId('backend').textContent();
  await expect(page.getByTestId('precision')).toHaveText(backend === 'webgpu' && shaderF16 ? 'fp16' : 'fp32');
  await expect(page.getByTestId('error')).toHaveCount(0);

  // ?backend=wasm never loads the fp16 file, whatever the adapter offers.
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await page.getByTestId('query-input').fill('blue ball');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('precision')).toHaveText('fp32');
});
