import { expect, test, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, changedFraction, repoRoot, waitForDrawn, type CanvasPixels } from './helpers.ts';

interface DemoView {
  intrinsics: { width: number; height: number; fx: number; fy: number };
  color: string;
  depth: string;
  instance: string;
}
const demoDir = join(repoRoot, 'public/demo');
const demoViews = (JSON.parse(readFileSync(join(demoDir, 'scene.json'), 'utf8')) as { views: DemoView[] }).views;
/** Instance id of the yellow dice in the demo's instance images (src/core/synth/tabletopScene.ts). */
const DICE_INSTANCE = 2;
/** Floor (0) and table (6): everything that is not one of the five objects. */
const BACKGROUND_INSTANCES = new Set([0, 6]);

function demoImage(name: string): { width: number; height: number; channels: number; data: Uint8Array | Uint16Array } {
  const png = decode(readFileSync(join(demoDir, name)));
  return { width: png.width, height: png.height, channels: png.channels, data: png.data as Uint8Array };
}

/**
 * Box-averages the part of the screenshot where the look-through image lies (the centred rectangle
 * of the image's aspect, see lookThroughImageRect) down to the image's size.
 */
function imageRegion(shot: CanvasPixels, width: number, height: number): Float64Array {
  const aspect = width / height;
  const rw = shot.width / shot.height > aspect ? shot.height * aspect : shot.width;
  const rh = rw / aspect;
  const x0 = (shot.width - rw) / 2;
  const y0 = (shot.height - rh) / 2;
  const sums = new Float64Array(width * height * 3);
  const counts = new Float64Array(width * height);
  for (let y = Math.ceil(y0); y < y0 + rh; y++) {
    const ty = Math.min(height - 1, Math.floor(((y + 0.5 - y0) / rh) * height));
    for (let x = Math.ceil(x0); x < x0 + rw; x++) {
      const tx = Math.min(width - 1, Math.floor(((x + 0.5 - x0) / rw) * width));
      const s = (y * shot.width + x) * 4;
      for (let c = 0; c < 3; c++) sums[(ty * width + tx) * 3 + c]! += shot.rgba[s + c]!;
      counts[ty * width + tx]!++;
    }
  }
  for (let i = 0; i < width * height * 3; i++) sums[i]! /= Math.max(1, counts[Math.floor(i / 3)]!);
  return sums;
}

/**
 * Mean absolute difference (0..255) between the screenshot's image region and demo colour image
 * `view`, over the pixels with depth (where the camera saw a surface, so the cloud has a point).
 */
function madAgainstView(shot: CanvasPixels, view: number): number {
  const colour = demoImage(demoViews[view]!.color);
  const depth = demoImage(demoViews[view]!.depth);
  const region = imageRegion(shot, colour.width, colour.height);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < colour.width * colour.height; i++) {
    if (depth.data[i] === 0) continue;
    n++;
    for (let c = 0; c < 3; c++) sum += Math.abs(region[i * 3 + c]! - colour.data[i * colour.channels + c]!);
  }
  expect(n).toBeGreaterThan(1000);
  return sum / (n * 3);
}

async function cameraRequestDone(page: Page, version: number): Promise<void> {
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-camera-request', String(version));
}

test.describe('cameras and the 2D overlay', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (error) => console.error('page error:', error.message));
    // WASM: the overlay test's query runs in seconds; on the headless SwiftShader WebGPU adapter it
    // takes about a minute (WebGPU inference has its own e2e coverage).
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
  });

  test('looking through camera 0 reproduces the demo colour image 0', async ({ page }) => {
    await page.getByTestId('toggle-frusta').uncheck();
    await page.getByTestId('view-reset').click();
    await cameraRequestDone(page, 1);
    const freeView = madAgainstView(await canvasPixels(page), 0);
    await page.getByTestId('look-through').selectOption('0');
    await cameraRequestDone(page, 2);
    await expect(page.getByTestId('look-through')).toHaveValue('0');
    const lookThrough = madAgainstView(await canvasPixels(page), 0);
    console.log(`MAD vs colour image 0: looking through camera 0 ${lookThrough.toFixed(1)}, initial view ${freeView.toFixed(1)}`);
    expect(lookThrough).toBeLessThan(6);
    expect(lookThrough * 5).toBeLessThan(freeView);

    // The 2D panel narrows the viewport: the field of view widens so the whole image still fits.
    const wide = await canvasPixels(page);
    await page.getByTestId('toggle-overlay').check();
    await expect(page.getByTestId('overlay-panel')).toHaveAttribute('data-ready', 'true');
    await expect.poll(async () => (await canvasPixels(page)).width).toBeLessThan(wide.width * 0.8);
    await expect.poll(async () => madAgainstView(await canvasPixels(page), 0)).toBeLessThan(6);
  });

  test('Fit moves the view and Reset restores it exactly', async ({ page }) => {
    const initial = await canvasPixels(page);
    await page.getByTestId('view-fit').click();
    await cameraRequestDone(page, 1);
    const fitted = await canvasPixels(page);
    expect(changedFraction(initial, fitted)).toBeGreaterThan(0.05);
    await page.getByTestId('view-reset').click();
    await cameraRequestDone(page, 2);
    expect(changedFraction(initial, await canvasPixels(page))).toBeLessThan(0.002);
  });

  test('clicking a frustum thumbnail looks through that camera', async ({ page }) => {
    await page.getByTestId('view-fit').click();
    await cameraRequestDone(page, 1);
    const positions = JSON.parse((await page.getByTestId('viewport').getAttribute('data-frustum-screen')) ?? '[]') as ([number, number] | null)[];
    const index = positions.findIndex((p, i) => i > 0 && p !== null);
    expect(index).toBeGreaterThan(0);
    const before = await canvasPixels(page);
    await page.locator('[data-testid="viewport"] canvas').click({ position: { x: positions[index]![0], y: positions[index]![1] } });
    await cameraRequestDone(page, 2);
    await expect(page.getByTestId('look-through')).toHaveValue(String(index));
    expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.1);
  });

  test('fly mode: holding W moves the camera forward', async ({ page }) => {
    await page.getByTestId('navigation-mode').click();
    await expect(page.getByTestId('navigation-mode')).toHaveText('Fly');
    const before = await canvasPixels(page);
    // Held until the view has moved (frames come slowly with the other core busy), then released.
    await page.keyboard.down('KeyW');
    await expect.poll(async () => changedFraction(before, await canvasPixels(page)), { timeout: 30_000 }).toBeGreaterThan(0.05);
    await page.keyboard.up('KeyW');
  });

  test('the 2D overlay shows the "yellow dice" heatmap on the dice pixels of input view 0', async ({ page }) => {
    await page.getByTestId('toggle-overlay').check();
    const panel = page.getByTestId('overlay-panel');
    await expect(panel).toHaveAttribute('data-ready', 'true');
    const readOverlay = () =>
      page.getByTestId('overlay-canvas').evaluate((c: HTMLCanvasElement) => ({
        width: c.width,
        height: c.height,
        rgba: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      }));
    const photo = await readOverlay();
    await page.getByTestId('query-input').fill('yellow dice');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    await expect(panel).toHaveAttribute('data-ready', 'true');
    const overlay = await readOverlay();
    const instance = demoImage(demoViews[0]!.instance);
    expect([overlay.width, overlay.height]).toEqual([instance.width, instance.height]);
    // Hot (turbo's upper half: red/orange/yellow) vs cold (blue-violet); the photo's colours differ per object.
    const hot = (p: number[], i: number) => p[i * 4]! > p[i * 4 + 2]! + 60 && p[i * 4]! > 120;
    const count = { dice: 0, diceHot: 0, objects: 0, objectsHot: 0, photoObjectsHot: 0 };
    for (let i = 0; i < instance.width * instance.height; i++) {
      const id = instance.data[i]!;
      if (id === DICE_INSTANCE) {
        count.dice++;
        if (hot(overlay.rgba, i)) count.diceHot++;
      } else if (!BACKGROUND_INSTANCES.has(id)) {
        count.objects++;
        if (hot(overlay.rgba, i)) count.objectsHot++;
        if (hot(photo.rgba, i)) count.photoObjectsHot++;
      }
    }
    const diceHot = count.diceHot / count.dice;
    const othersHot = count.objectsHot / count.objects;
    console.log(
      `overlay view 0: ${(100 * diceHot).toFixed(1)} % of ${count.dice} dice pixels hot, ${(100 * othersHot).toFixed(1)} % of other objects' (photo: ${((100 * count.photoObjectsHot) / count.objects).toFixed(1)} %)`,
    );
    expect(count.dice).toBeGreaterThan(50);
    expect(diceHot).toBeGreaterThan(0.8);
    expect(othersHot).toBeLessThan(0.2);
    // The photo itself has hot-looking objects (the red mug): the overlay changed them.
    expect(count.photoObjectsHot / count.objects).toBeGreaterThan(othersHot + 0.1);
  });
});
