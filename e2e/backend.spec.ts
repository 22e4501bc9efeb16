import { chromium, expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { dropSmallCloud, pointCount, repoRoot, waitForDrawn } from './helpers.ts';
import { startStaticServer } from '../src/node/staticServer.ts';

/**
 * Where the models run: `auto` skips software WebGPU adapters (SwiftShader took 60–117 s for a first
 * query against 3–5 s on WASM), the status bar's picker switches backend (and the URL records it),
 * and the studio works from an insecure origin (no crypto.subtle, no cross-origin isolation).
 */

async function query(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
}

/** Whether the page's WebGPU adapter is a software one, as Chromium reports it (null: no adapter). */
function adapterIsSoftware(page: Page): Promise<boolean | null> {
  return page.evaluate(async () => {
    const adapter = (await navigator.gpu?.requestAdapter()) as (GPUAdapter & { isFallbackAdapter?: boolean }) | null | undefined;
    if (!adapter) return null;
    return adapter.isFallbackAdapter === true || adapter.info.isFallbackAdapter === true || /swiftshader/i.test(adapter.info.architecture);
  });
}

test('auto skips the SwiftShader adapter; the picker switches to WebGPU and back, and the URL follows', async ({ page }) => {
  test.skip(test.info().project.name !== 'webgpu', 'needs a WebGPU adapter');
  await page.goto('./');
  await waitForDrawn(page);
  test.skip((await adapterIsSoftware(page)) !== true, 'this browser has a hardware WebGPU adapter: auto rightly picks it');
  await expect(page.getByTestId('backend-picker')).toHaveValue('auto');
  await query(page, 'yellow dice');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  expect(new URL(page.url()).searchParams.get('backend')).toBeNull();

  // Forcing WebGPU re-creates the sessions on the software adapter; a small cloud keeps the student quick there.
  await dropSmallCloud(page);
  await page.getByTestId('backend-picker').selectOption('webgpu');
  await expect(page).toHaveURL(/[?&]backend=webgpu/);
  await query(page, 'yellow dice');
  await expect(page.getByTestId('backend')).toHaveText('webgpu');

  await page.getByTestId('backend-picker').selectOption('wasm');
  await expect(page).toHaveURL(/[?&]backend=wasm/);
  await query(page, 'blue ball');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('error')).toHaveCount(0);

  // A reopened link keeps the choice.
  await page.goto(page.url());
  await expect(page.getByTestId('backend-picker')).toHaveValue('wasm');
});

test('an unknown ?backend= is reported and auto is used', async ({ page }) => {
  await page.goto('./?backend=cuda');
  await waitForDrawn(page);
  await expect(page.getByTestId('error')).toContainText('FieldLens link: unknown backend "cuda" (expected auto, webgpu, wasm); using auto');
  await expect(page.getByTestId('backend-picker')).toHaveValue('auto');
});

test('from an insecure origin (plain HTTP, not localhost) the demo loads and a query runs, single-threaded', async () => {
  test.setTimeout(150_000);
  const server = await startStaticServer({ root: join(repoRoot, 'dist'), base: '/', isolation: true });
  // A lab server's name, resolved to this machine by Chromium itself.
  const browser = await chromium.launch({
    executablePath: process.env.FIELDLENS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--host-resolver-rules=MAP fieldlens.test 127.0.0.1'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url.replace('127.0.0.1', 'fieldlens.test'));
    await waitForDrawn(page);
    // No secure context: no crypto.subtle, no navigator.gpu; COOP/COEP are ignored, so no SharedArrayBuffer.
    expect(await page.evaluate(() => ({ secure: isSecureContext, isolated: crossOriginIsolated, subtle: typeof crypto.subtle }))).toEqual({
      secure: false,
      isolated: false,
      subtle: 'undefined',
    });
    expect(await pointCount(page)).toBeGreaterThan(1000);
    await query(page, 'yellow dice');
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    const values = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
    expect(values?.length).toBe(await pointCount(page));
    await expect(page.getByTestId('error')).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
