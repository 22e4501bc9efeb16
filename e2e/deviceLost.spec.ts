import { expect, test } from '@playwright/test';
import { serveBenchBuild } from './benchBuild.ts';
import { dropSmallCloud, maxDifference, waitForDrawn } from './helpers.ts';

/**
 * The WebGPU device lost during a run (a driver reset, a GPU-process crash): the run is retried on
 * WASM, the backend badge says wasm with the reason beside it, and the answer equals a WASM run's.
 * The device is destroyed inside the scene worker through its fault hook (bench build only), so
 * the real onnxruntime-web WebGPU session meets a real lost device. Headless Chromium's WebGPU is
 * SwiftShader here, so the cloud is small.
 */

interface DeviceApi {
  query(text: string): Promise<void>;
  relevancy(layer?: number): number[] | null;
  loseWebGpuDevice(): Promise<boolean>;
}
test('WebGPU device lost during a run: the run is retried on WASM, the badge says so, the answer equals WASM', async ({ page }) => {
  test.setTimeout(300_000);
  const bench = await serveBenchBuild();
  try {
    // The reference: the same cloud and phrase on WASM.
    await page.goto(`${bench.url}?backend=wasm`);
    await waitForDrawn(page);
    await dropSmallCloud(page, 2000);
    const onWasm = await page.evaluate(async () => {
      const api = (window as unknown as { fieldlens: DeviceApi }).fieldlens;
      await api.query('blue ball');
      return api.relevancy(0);
    });
    expect(onWasm).not.toBeNull();

    await page.goto(`${bench.url}?backend=webgpu`);
    await waitForDrawn(page);
    await dropSmallCloud(page, 2000);
    await page.waitForFunction(() => typeof (window as unknown as { fieldlens?: Partial<DeviceApi> }).fieldlens?.loseWebGpuDevice === 'function');
    // A first query opens the models on WebGPU (student features and the text encoder).
    await page.evaluate(() => (window as unknown as { fieldlens: DeviceApi }).fieldlens.query('red mug'));
    await expect(page.getByTestId('backend')).toHaveText('webgpu');

    expect(await page.evaluate(() => (window as unknown as { fieldlens: DeviceApi }).fieldlens.loseWebGpuDevice())).toBe(true);
    // A new phrase needs the text encoder again: its WebGPU run meets the lost device.
    const afterLoss = await page.evaluate(async () => {
      const api = (window as unknown as { fieldlens: DeviceApi }).fieldlens;
      await api.query('blue ball');
      return api.relevancy(0);
    });
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    await expect(page.getByTestId('backend-note')).toContainText(/WebGPU failed during a run .*retried on WASM/);
    expect(afterLoss).not.toBeNull();
    expect(afterLoss!.length).toBe(onWasm!.length);
    expect(maxDifference(afterLoss, onWasm)).toBeLessThan(1e-3);
    await expect(page.getByTestId('error')).toHaveCount(0);
    await expect(page.getByTestId('colorbar')).toBeVisible();
  } finally {
    await bench.close();
  }
});
