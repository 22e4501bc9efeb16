import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, changedFraction, drawnCanvasPixels, nonBackgroundFraction, waitForDrawn, type CanvasPixels } from './helpers.ts';
import { serveBenchBuild } from './benchBuild.ts';
import { COLORMAP_TABLES, type ColormapName } from '../src/core/color/colormapTables.ts';
import { BACKGROUND_COLORS, type ViewSettings } from '../src/app/store/viewSettings.ts';

interface ViewsApi {
  setView(settings: Partial<ViewSettings>): void;
  setCropBox(box: { min: number[]; max: number[] } | null): void;
  bounds(): { min: number[]; max: number[] } | null;
  colorRecomputes(): number;
}

/** Lets React commit a change, then waits until a frame showing it has been drawn. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await waitForDrawn(page);
}

async function setView(page: Page, settings: Partial<ViewSettings>): Promise<void> {
  await page.evaluate((s) => (window as unknown as { fieldlens: ViewsApi }).fieldlens.setView(s), settings);
  await settle(page);
}

function pixel(p: CanvasPixels, x: number, y: number): [number, number, number] {
  const o = (y * p.width + x) * 4;
  return [p.rgba[o]!, p.rgba[o + 1]!, p.rgba[o + 2]!];
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!);
}

/** The table entry nearest to `rgb` and its distance (sum of absolute channel differences). */
function nearestEntry(name: ColormapName, rgb: readonly number[]): { index: number; distance: number } {
  const table = COLORMAP_TABLES[name];
  let best = { index: -1, distance: Infinity };
  for (let i = 0; i < 256; i++) {
    const d = distance(rgb, [table[i * 3]!, table[i * 3 + 1]!, table[i * 3 + 2]!]);
    if (d < best.distance) best = { index: i, distance: d };
  }
  return best;
}

/** Fraction of pixels brighter in `b` than in `a` by more than 3 in some channel. */
function brightenedFraction(a: CanvasPixels, b: CanvasPixels): number {
  let n = 0;
  for (let i = 0; i < a.width * a.height * 4; i += 4) {
    if (b.rgba[i]! > a.rgba[i]! + 3 || b.rgba[i + 1]! > a.rgba[i + 1]! + 3 || b.rgba[i + 2]! > a.rgba[i + 2]! + 3) n++;
  }
  return n / (a.width * a.height);
}

function hexRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

test.describe('views', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
  });

  test('each colour map draws its own exact colours at a hot point; below-threshold RGB and dimmed differ', async ({ page }) => {
    await page.getByTestId('query-input').fill('yellow dice');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    await settle(page);
    // The drawn canvas itself: the legend card's colour bar over it holds every entry too.
    const turbo = await drawnCanvasPixels(page);
    // A hot point: a pixel that matches an upper turbo entry exactly (within a few units). Entries
    // 218 … 240, where turbo (red-orange), viridis (yellow) and jet (red) are far apart — turbo and
    // jet both end in dark red, and this query's values sit at either end of the scale.
    let hot = { x: -1, y: -1, index: -1 };
    for (let y = 0; y < turbo.height; y += 1) {
      for (let x = 0; x < turbo.width; x += 1) {
        const match = nearestEntry('turbo', pixel(turbo, x, y));
        if (match.distance <= 4 && match.index >= 218 && match.index <= 240 && Math.abs(match.index - 228) < Math.abs(hot.index - 228))
          hot = { x, y, index: match.index };
      }
    }
    expect(hot.index, 'a pixel showing the upper part of the turbo scale').toBeGreaterThanOrEqual(218);

    const seen: [number, number, number][] = [pixel(turbo, hot.x, hot.y)];
    for (const name of ['viridis', 'jet'] as const) {
      await page.getByTestId('colormap').selectOption(name);
      await settle(page);
      await expect(page.getByTestId('colorbar')).toHaveAttribute('data-colormap', name);
      const drawn = pixel(await drawnCanvasPixels(page), hot.x, hot.y);
      // The same point, the same normalised value: the same entry of the other table.
      const table = COLORMAP_TABLES[name];
      const expected = [table[hot.index * 3]!, table[hot.index * 3 + 1]!, table[hot.index * 3 + 2]!];
      expect(distance(drawn, expected), `${name} at the hot point: drawn ${drawn.join(',')} vs entry ${hot.index} ${expected.join(',')}`).toBeLessThanOrEqual(
        6,
      );
      for (const other of seen) expect(distance(drawn, other)).toBeGreaterThan(45);
      seen.push(drawn);
    }

    await page.getByTestId('colormap').selectOption('turbo');
    await page.getByTestId('below-threshold').selectOption('rgb');
    await settle(page);
    const belowRgb = await drawnCanvasPixels(page);
    // The hot point is above the threshold: still its turbo colour.
    expect(distance(pixel(belowRgb, hot.x, hot.y), pixel(turbo, hot.x, hot.y))).toBeLessThanOrEqual(6);
    expect(changedFraction(turbo, belowRgb)).toBeGreaterThan(0.05);
    await page.getByTestId('below-threshold').selectOption('dim');
    await settle(page);
    const belowDim = await drawnCanvasPixels(page);
    expect(changedFraction(belowRgb, belowDim)).toBeGreaterThan(0.05);
    expect(distance(pixel(belowDim, hot.x, hot.y), pixel(turbo, hot.x, hot.y))).toBeLessThanOrEqual(6);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('point size grows the covered area; colours are recomputed only when they change', async ({ page }) => {
    // The recompute counter is a test hook: only the bench build has it (production ships none).
    test.setTimeout(240_000);
    const bench = await serveBenchBuild();
    await page.goto(`${bench.url}?backend=wasm`);
    await waitForDrawn(page);
    await page.waitForFunction(() => typeof (window as unknown as { fieldlens?: Partial<ViewsApi> }).fieldlens?.colorRecomputes === 'function');
    const recomputes = () => page.evaluate(() => (window as unknown as { fieldlens: ViewsApi }).fieldlens.colorRecomputes());
    await setView(page, { pointSizePixels: 1 });
    const before = await recomputes();
    const small = nonBackgroundFraction(await canvasPixels(page));
    await page.getByTestId('point-size').fill('6');
    await settle(page);
    const large = nonBackgroundFraction(await canvasPixels(page));
    expect(large).toBeGreaterThan(small * 1.1);
    await setView(page, { pointSizeMode: 'world', pointSizeMetres: 0.02 });
    const world = nonBackgroundFraction(await canvasPixels(page));
    expect(world).toBeGreaterThan(small * 1.1);
    // Size changes touch uniforms only: no colour recompute.
    expect(await recomputes()).toBe(before);
    await bench.close();
  });

  test('voxel mode draws cubes and the voxel size slider changes them', async ({ page }) => {
    const points = await canvasPixels(page);
    await page.getByTestId('voxel-mode').check();
    await settle(page);
    const voxels = await canvasPixels(page);
    expect(changedFraction(points, voxels)).toBeGreaterThan(0.02);
    await page.getByTestId('display-voxel-size').fill('8');
    await settle(page);
    const coarse = await canvasPixels(page);
    expect(changedFraction(voxels, coarse)).toBeGreaterThan(0.02);
    expect(nonBackgroundFraction(coarse)).not.toBeCloseTo(nonBackgroundFraction(voxels), 3);
    await page.getByTestId('voxel-mode').uncheck();
    await settle(page);
    expect(changedFraction(points, await canvasPixels(page))).toBeLessThan(0.001);
  });

  test('a fast voxel-size drag ends on the last size, drawn as when that size is set alone (worker voxels, stale ones dropped)', async ({ page }) => {
    await page.getByTestId('voxel-mode').check();
    await settle(page);
    await page.getByTestId('display-voxel-size').fill('6');
    await settle(page);
    const alone = await canvasPixels(page);
    await page.getByTestId('display-voxel-size').fill('2');
    await settle(page);
    // One input event per step in one page task, as a drag delivers them faster than the worker answers.
    await page.getByTestId('display-voxel-size').evaluate((slider: HTMLInputElement) => {
      for (const cm of [2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6]) {
        // The prototype's setter, past React's own value tracking (as a user's drag sets it).
        Reflect.set(HTMLInputElement.prototype, 'value', String(cm), slider);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await settle(page);
    await expect(page.getByTestId('display-voxel-size').locator('..')).toContainText('6.0 cm');
    expect(changedFraction(alone, await canvasPixels(page))).toBe(0);
  });

  test('the crop box removes points outside it', async ({ page }) => {
    const full = await canvasPixels(page);
    await page.getByTestId('crop-enabled').check();
    await settle(page);
    // Starting from the scene bounds, nothing is cut.
    expect(changedFraction(full, await canvasPixels(page))).toBeLessThan(0.001);
    const bounds = await page.evaluate(() => (window as unknown as { fieldlens: ViewsApi }).fieldlens.bounds());
    expect(bounds).not.toBeNull();
    const middle = (bounds!.min[0]! + bounds!.max[0]!) / 2;
    await page.getByTestId('crop-x-max').fill(String(middle));
    await settle(page);
    const cropped = await canvasPixels(page);
    expect(nonBackgroundFraction(cropped)).toBeLessThan(nonBackgroundFraction(full) * 0.85);
    await page.getByTestId('crop-enabled').uncheck();
    await settle(page);
    expect(changedFraction(full, await canvasPixels(page))).toBeLessThan(0.001);
  });

  test('the background changes the corner pixel; EDL changes pixels and off restores them', async ({ page }) => {
    const dark = await canvasPixels(page);
    expect(distance(pixel(dark, 0, 0), hexRgb(BACKGROUND_COLORS.dark))).toBeLessThanOrEqual(3);
    for (const name of ['white', 'light', 'black'] as const) {
      await page.getByTestId('background').selectOption(name);
      await settle(page);
      expect(distance(pixel(await canvasPixels(page), 0, 0), hexRgb(BACKGROUND_COLORS[name]))).toBeLessThanOrEqual(3);
    }
    await page.getByTestId('background').selectOption('dark');
    await settle(page);
    const off = await canvasPixels(page);
    expect(changedFraction(dark, off)).toBe(0);
    await page.getByTestId('edl').check();
    await settle(page);
    const on = await canvasPixels(page);
    expect(changedFraction(off, on)).toBeGreaterThan(0.005);
    // Shading only darkens the cloud; background pixels stay exactly the background. (The camera
    // frusta's lines, ~0.5 % of pixels, are drawn without tone mapping into the EDL target, so they
    // may come out brighter: the bound leaves room for them only.)
    expect(brightenedFraction(off, on)).toBeLessThan(0.01);
    const background = hexRgb(BACKGROUND_COLORS.dark);
    let backgroundPixels = 0;
    let backgroundChanged = 0;
    for (let i = 0; i < off.width * off.height; i++) {
      const x = i % off.width;
      const y = Math.floor(i / off.width);
      if (distance(pixel(off, x, y), background) !== 0) continue;
      backgroundPixels++;
      if (distance(pixel(on, x, y), background) !== 0) backgroundChanged++;
    }
    expect(backgroundPixels).toBeGreaterThan(0.1 * off.width * off.height);
    expect(backgroundChanged).toBe(0);
    await page.getByTestId('edl').uncheck();
    await settle(page);
    expect(changedFraction(off, await canvasPixels(page))).toBe(0);
  });
});
