import { expect, test, type Page } from '@playwright/test';
import { dropSmallCloud } from './helpers.ts';

/**
 * The precision badge names the variant of the text encoder that ran. Each case fixes what the
 * page sees, so each expectation is a literal: WebGPU with `shader-f16` hidden from the adapter
 * runs fp32, ?backend=wasm runs fp32, and an adapter that really offers `shader-f16` runs the tiny
 * text model's fp16 variant. (The selection itself, the fp16 model's output and the fallback are
 * unit-tested in src/infer/fp16Variant.test.ts.)
 */

/**
 * What the adapter offers, asked on a bare same-origin document (the manifest JSON: a secure
 * context with navigator.gpu, without loading the studio and lifting the demo for nothing).
 */
async function adapterOffers(page: Page): Promise<{ adapter: boolean; shaderF16: boolean }> {
  await page.goto('./models/manifest.json');
  return page.evaluate(async () => {
    const adapter = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    return { adapter: adapter !== null, shaderF16: adapter?.features.has('shader-f16') ?? false };
  });
}

async function queryPrecision(page: Page, url: string): Promise<{ backend: string | null; precision: string | null }> {
  await page.goto(url);
  // The precision is the text encoder's: a small cloud keeps the student's part short on a software adapter.
  await dropSmallCloud(page);
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  // The first WebGPU session on a software adapter (SwiftShader) takes a while on a busy machine.
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|wasm)$/, { timeout: 180_000 });
  await expect(page.getByTestId('precision')).toHaveText(/^fp(16|32)$/);
  await expect(page.getByTestId('error')).toHaveCount(0);
  return { backend: await page.getByTestId('backend').textContent(), precision: await page.getByTestId('precision').textContent() };
}

test('WebGPU on an adapter without shader-f16 runs the fp32 text encoder', async ({ page }) => {
  test.setTimeout(300_000);
  // The real adapter, its feature set without shader-f16 (what the studio and onnxruntime read).
  await page.addInitScript(() => {
    const gpu = navigator.gpu as GPU | undefined;
    if (!gpu) return;
    const requestAdapter = gpu.requestAdapter.bind(gpu);
    gpu.requestAdapter = async (options) => {
      const adapter = await requestAdapter(options);
      if (adapter) Object.defineProperty(adapter, 'features', { value: new Set([...adapter.features].filter((f) => f !== 'shader-f16')) });
      return adapter;
    };
  });
  test.skip(!(await adapterOffers(page)).adapter, 'this Chromium has no WebGPU adapter (the no-webgpu project covers that case)');
  expect(await queryPrecision(page, './?backend=webgpu')).toEqual({ backend: 'webgpu', precision: 'fp32' });
});

test('?backend=wasm never loads the fp16 file, whatever the adapter offers', async ({ page }) => {
  expect(await queryPrecision(page, './?backend=wasm')).toEqual({ backend: 'wasm', precision: 'fp32' });
});

test('an adapter that offers shader-f16 runs the fp16 text encoder', async ({ page }) => {
  test.skip(!(await adapterOffers(page)).shaderF16, 'this machine’s WebGPU adapter has no shader-f16 (the fp16 branch runs in src/infer/fp16Variant.test.ts)');
  test.setTimeout(300_000);
  expect(await queryPrecision(page, './?backend=webgpu')).toEqual({ backend: 'webgpu', precision: 'fp16' });
});
