/**
 * The main loop stays in view: the query box, the running stage and the legend are on screen at
 * 1280×720; nothing in the toolbar or status bar is cut off at 800×600; the split view draws two
 * heatmaps; the figure export is 2× the canvas with the colour bar drawn in.
 * Screenshots of both window sizes are written to the test's output folder for a look.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { writeFileSync } from 'node:fs';
import { COLORMAP_TABLES } from '../src/core/color/colormapTables.ts';
import { canvasHalf, canvasPixels, changedFraction, colormapFraction, download, drawnCanvasPixels, waitForDrawn } from './helpers.ts';

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  expect(b, 'element has a layout box').not.toBeNull();
  return b!;
}

function expectInside(inner: Box, outer: Box, what: string): void {
  expect(inner.x, `${what}: left`).toBeGreaterThanOrEqual(outer.x - 0.5);
  expect(inner.y, `${what}: top`).toBeGreaterThanOrEqual(outer.y - 0.5);
  expect(inner.x + inner.width, `${what}: right`).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
  expect(inner.y + inner.height, `${what}: bottom`).toBeLessThanOrEqual(outer.y + outer.height + 0.5);
}

const overlap = (a: Box, b: Box) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

async function runQuery(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('query-input')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('legend-card')).toBeVisible();
  await waitForDrawn(page);
}

/** Every child of `container`: inside the window and the container, not overlapping, and not cut off inside. */
async function expectNothingClipped(page: Page, container: Locator, window: Box): Promise<number> {
  const outer = await box(container);
  expectInside(outer, window, 'container');
  const children = container.locator(':scope > *');
  const boxes: Box[] = [];
  for (let i = 0; i < (await children.count()); i++) {
    const child = children.nth(i);
    if (!(await child.isVisible())) continue;
    const b = await box(child);
    const name = (await child.getAttribute('data-testid')) ?? (await child.textContent()) ?? `child ${i}`;
    expectInside(b, window, name);
    expectInside(b, outer, name);
    // Text not cut off inside the element (no ellipsis, no hidden overflow).
    expect(await child.evaluate((e) => e.scrollWidth - e.clientWidth), `${name}: own overflow`).toBeLessThanOrEqual(1);
    for (const other of boxes) expect(overlap(b, other), `${name} overlaps a sibling`).toBe(false);
    boxes.push(b);
  }
  return boxes.length;
}

test('1280×720: the query box, the running stage and the legend are on screen', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  // Capture settings collapse once a scene is loaded.
  await expect(page.getByTestId('capture-settings')).not.toHaveAttribute('open');
  const window: Box = { x: 0, y: 0, width: 1280, height: 720 };

  // Record every moment the stage indicator is shown, with its box and the query box's.
  await page.evaluate(() => {
    const seen: { stage: string; text: string; box: DOMRect; input: DOMRect }[] = [];
    (window as unknown as { stageSeen: typeof seen }).stageSeen = seen;
    new MutationObserver(() => {
      const el = document.querySelector<HTMLElement>('[data-testid="query-stage"]');
      const input = document.querySelector<HTMLElement>('[data-testid="query-input"]');
      if (el && input && el.checkVisibility())
        seen.push({
          stage: el.dataset.stage ?? '',
          text: el.textContent ?? '',
          box: el.getBoundingClientRect().toJSON() as DOMRect,
          input: input.getBoundingClientRect().toJSON() as DOMRect,
        });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await runQuery(page, 'yellow dice');
  const seen = await page.evaluate(() => (window as unknown as { stageSeen: { stage: string; text: string; box: Box; input: Box }[] }).stageSeen);
  expect(seen.length, 'the stage indicator was shown while the query ran').toBeGreaterThan(0);
  expect(seen.map((s) => s.stage)).toContain('text-encode');
  for (const s of seen) {
    expectInside(s.box, s.input, `stage "${s.text}" sits in the query box`);
    expectInside(s.box, window, `stage "${s.text}"`);
  }
  await expect(page.getByTestId('query-stage')).toHaveCount(0);

  const viewport = await box(page.getByTestId('viewport'));
  expectInside(await box(page.getByTestId('query-input')), window, 'query input');
  expectInside(await box(page.getByTestId('legend-card')), viewport, 'legend card');
  expectInside(await box(page.getByTestId('colorbar')), window, 'colour bar');
  await expect(page.getByTestId('legend-query')).toHaveText('“yellow dice”');
  await page.screenshot({ path: testInfo.outputPath('layout-1280x720.png') });

  // Label sets: the label legend takes the colour bar's place, in view.
  await page.getByTestId('mode-labels').check();
  await runQuery(page, 'ball, dice, table');
  await expect(page.getByTestId('label-legend')).toContainText('dice');
  expectInside(await box(page.getByTestId('label-legend')), viewport, 'label legend');
  await expect(page.getByTestId('colorbar')).toHaveCount(0);
  // The formula, prompts and negatives are one click away, in view.
  await page.getByTestId('query-settings').locator('summary').click();
  expectInside(await box(page.getByTestId('negatives')), window, 'negatives');
  await page.screenshot({ path: testInfo.outputPath('layout-1280x720-labels.png') });
});

test('800×600: no toolbar button or status-bar field is cut off', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await runQuery(page, 'blue ball');
  await expect(page.getByTestId('stage-times')).toBeVisible();
  const window: Box = { x: 0, y: 0, width: 800, height: 600 };
  await expect(page.getByTestId('toggle-overlay')).toBeVisible();
  expect(await expectNothingClipped(page, page.getByRole('toolbar', { name: 'camera' }), window)).toBeGreaterThanOrEqual(6);
  expect(await expectNothingClipped(page, page.getByTestId('status-bar'), window)).toBeGreaterThanOrEqual(3);
  expectInside(await box(page.getByTestId('query-input')), window, 'query input');
  expectInside(await box(page.getByTestId('legend-card')), await box(page.getByTestId('viewport')), 'legend card');
  await page.screenshot({ path: testInfo.outputPath('layout-800x600.png') });
});

test('split view: one camera, two heatmaps, one colour scale; the figure export is 2× with the colour bar drawn in', async ({ page }, testInfo) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await runQuery(page, 'yellow dice');

  // Figure: twice the canvas, with a colour-bar strip running from the map's first entry to its last.
  const before = await canvasPixels(page);
  const bare = decode((await download(page, 'png')).bytes);
  const figureFile = await download(page, 'png-legend');
  writeFileSync(testInfo.outputPath(figureFile.name), figureFile.bytes);
  const figure = decode(figureFile.bytes);
  expect([figure.width, figure.height]).toEqual([2 * bare.width, 2 * bare.height]);
  const bar = findColorBar(figure);
  expect(bar, 'a colour bar in the figure').not.toBeNull();
  expect(bar!.length).toBeGreaterThan(200);
  // Rendering the figure at 2× leaves the view on screen as it was.
  await waitForDrawn(page);
  expect(changedFraction(before, await canvasPixels(page))).toBeLessThan(0.001);

  // Both halves from the same features: the same heatmap twice, side by side.
  await page.getByTestId('agreement-a').selectOption('student');
  await page.getByTestId('agreement-b').selectOption('student');
  const single = await canvasPixels(page);
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-split', 'true');
  await waitForDrawn(page);
  await expect(page.getByTestId('colorbar')).toHaveCount(1);
  const split = await canvasPixels(page);
  // The halves as drawn (without the captions and legend over them) are the same picture.
  const drawn = await drawnCanvasPixels(page);
  const [left, right] = [canvasHalf(drawn, 'left'), canvasHalf(drawn, 'right')];
  for (const half of [left, right]) expect(colormapFraction(half, COLORMAP_TABLES.turbo)).toBeGreaterThan(0.02);
  expect(changedFraction(left, right)).toBeLessThan(0.01);
  expect(changedFraction(single, split)).toBeGreaterThan(0.02);
  await page.screenshot({ path: testInfo.outputPath('split-1100x700.png') });

  // Closing the split view gives the single view back.
  await page.getByTestId('split-close').click();
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-split', 'false');
  await waitForDrawn(page);
  expect(changedFraction(single, await canvasPixels(page))).toBeLessThan(0.01);
});

/**
 * A horizontal strip in an RGBA/RGB image whose pixels go from turbo's first entry (48, 18, 59) to
 * its last (122, 4, 3), green-yellow in the middle, over at least 10 rows: the colour bar.
 * Values are Google's published Turbo table, not read from the app.
 */
function findColorBar(image: { width: number; height: number; channels: number; data: ArrayLike<number> }): { x: number; y: number; length: number } | null {
  const at = (x: number, y: number) => {
    const i = (y * image.width + x) * image.channels;
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
  };
  const near = (c: number[], ref: readonly number[]) => Math.abs(c[0]! - ref[0]!) + Math.abs(c[1]! - ref[1]!) + Math.abs(c[2]! - ref[2]!) <= 6;
  const FIRST = [48, 18, 59];
  const LAST = [122, 4, 3];
  const strips = new Map<string, number>();
  for (let y = 0; y < image.height; y++) {
    let first = -1;
    for (let x = 0; x < image.width; x++) {
      const c = at(x, y);
      if (near(c, FIRST)) first = x;
      if (first >= 0 && near(c, LAST) && x - first > 100) {
        const [r, g, b] = at(Math.round((first + x) / 2), y);
        if (g! > 200 && b! < 120 && r! > 80) {
          const key = `${first}:${x}`;
          strips.set(key, (strips.get(key) ?? 0) + 1);
          if (strips.get(key)! >= 10) return { x: first, y, length: x - first };
        }
      }
    }
  }
  return null;
}
