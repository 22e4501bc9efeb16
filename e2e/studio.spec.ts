import { expect, test } from '@playwright/test';
import { encode } from 'fast-png';
import {
  canvasPixels,
  changedFraction,
  demoSceneValidPixels,
  dropFiles,
  dropSmallCloud,
  nonBackgroundFraction,
  openCaptureSettings,
  pointCount,
  syntheticFrame,
  waitForDrawn,
} from './helpers.ts';

test.describe('studio (WebGPU available)', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto('./');
    await waitForDrawn(page);
  });

  test('the bundled demo scene draws: all valid depth pixels of all views, on screen', async ({ page }) => {
    expect(await pointCount(page)).toBe(demoSceneValidPixels());
    // COOP/COEP from `vite preview`: SharedArrayBuffer (threaded WASM) is available.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const pixels = await canvasPixels(page);
    expect(nonBackgroundFraction(pixels)).toBeGreaterThan(0.15);
  });

  test('dropping colour + 16-bit depth + intrinsics replaces the cloud with one point per valid pixel', async ({ page }) => {
    const frame = syntheticFrame(160, 120);
    const before = await canvasPixels(page);
    await dropFiles(page, [
      { name: 'frame_color.png', mime: 'image/png', bytes: frame.colour },
      { name: 'frame_depth.png', mime: 'image/png', bytes: frame.depth },
      { name: 'camera.json', mime: 'application/json', bytes: frame.intrinsics },
    ]);
    await expect(page.getByTestId('point-count')).toHaveText(String(frame.valid));
    await waitForDrawn(page);
    await expect(page.getByTestId('lift-time')).toHaveText(/\d+ ms/);
    expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.05);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('the intrinsics in use are shown and can be edited and re-applied to the dropped frame', async ({ page }) => {
    const frame = syntheticFrame(160, 120);
    await dropFiles(page, [
      { name: 'c.png', mime: 'image/png', bytes: frame.colour },
      { name: 'd.png', mime: 'image/png', bytes: frame.depth },
      { name: 'k.json', mime: 'application/json', bytes: frame.intrinsics },
    ]);
    await expect(page.getByTestId('point-count')).toHaveText(String(frame.valid));
    await expect(page.getByTestId('intrinsics-in-use')).toContainText('fx 144.00 fy 144.00 cx 79.50 cy 59.50 (160×120)');
    await waitForDrawn(page);
    const before = await canvasPixels(page);
    await openCaptureSettings(page);
    await page.getByTestId('typed-intrinsics').fill('40 40 79.5 59.5');
    await page.getByTestId('apply-settings').click();
    // Typed values override the dropped JSON, applied to the same files without re-dropping them.
    await expect(page.getByTestId('intrinsics-in-use')).toContainText('fx 40.00 fy 40.00 cx 79.50 cy 59.50 (160×120)');
    await expect(page.getByTestId('scene-description')).toContainText('typed values (overriding k.json)');
    await expect(page.getByTestId('point-count')).toHaveText(String(frame.valid));
    await waitForDrawn(page);
    expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.01);
    await page.getByTestId('depth-scale-preset').selectOption('5000');
    await page.getByTestId('apply-settings').click();
    await expect(page.getByTestId('scene-description')).toContainText('5000 units/m');
  });

  test('a query forced onto WebGPU turns the cloud into a heatmap with a colour bar', async ({ page }) => {
    // auto skips a software adapter: WebGPU is asked for explicitly, on a cloud small enough for SwiftShader.
    await page.goto('./?backend=webgpu');
    await dropSmallCloud(page);
    const before = await canvasPixels(page);
    await page.getByTestId('query-input').fill('red sphere');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('backend')).toHaveText('webgpu');
    await waitForDrawn(page);
    await expect(page.getByTestId('colorbar')).toBeVisible();
    await expect(page.getByTestId('query-time')).toHaveText(/\d+ ms/);
    // The small cloud covers part of the canvas: a good part of what it covers changes colour (40 % measured).
    const covered = nonBackgroundFraction(before);
    expect(covered).toBeGreaterThan(0.002);
    expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.25 * covered);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('a broken file shows a specific error and keeps the previous cloud', async ({ page }) => {
    const count = await pointCount(page);
    const before = await canvasPixels(page);
    const frame = syntheticFrame(40, 30);
    await dropFiles(page, [
      { name: 'color.png', mime: 'image/png', bytes: frame.colour },
      { name: 'depth.png', mime: 'image/png', bytes: new TextEncoder().encode('this is not a PNG') },
      { name: 'camera.json', mime: 'application/json', bytes: frame.intrinsics },
    ]);
    await expect(page.getByTestId('error')).toContainText('depth.png: not a PNG or JPEG image');
    expect(await pointCount(page)).toBe(count);
    // The message overlays the canvas; dismiss it to compare the scene itself.
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await expect(page.getByTestId('viewport')).toHaveAttribute('data-ready', 'true');
    expect(changedFraction(before, await canvasPixels(page))).toBeLessThan(0.01);
  });

  test('missing intrinsics and 8-bit depth are refused with messages naming the file', async ({ page }) => {
    const frame = syntheticFrame(40, 30);
    await dropFiles(page, [
      { name: 'rgb.png', mime: 'image/png', bytes: frame.colour },
      { name: 'd.png', mime: 'image/png', bytes: frame.depth },
    ]);
    await expect(page.getByTestId('error').first()).toContainText('d.png: no camera intrinsics');
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await expect(page.getByTestId('error')).toHaveCount(0);
    await dropFiles(page, [
      { name: 'rgb.png', mime: 'image/png', bytes: frame.colour },
      { name: 'depth8.png', mime: 'image/png', bytes: encode({ width: 40, height: 30, data: new Uint8Array(1200).fill(9), depth: 8, channels: 1 }) },
      { name: 'camera.json', mime: 'application/json', bytes: frame.intrinsics },
    ]);
    await expect(page.getByTestId('error')).toContainText('depth8.png: expected a 16-bit single-channel depth PNG, found an 8-bit greyscale PNG');
    expect(await pointCount(page)).toBe(demoSceneValidPixels());
  });
});
