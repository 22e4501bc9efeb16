import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canvasPixels,
  changedFraction,
  dropFiles,
  dropSmallCloud,
  maxDifference,
  nonBackgroundFraction,
  pointCount,
  repoRoot,
  waitForDrawn,
} from './helpers.ts';

/** Relevancy of `text` on the small procedural cloud (small enough for a software WebGPU adapter), run on `backend`. */
async function relevancyOn(page: import('@playwright/test').Page, backend: 'webgpu' | 'wasm', text: string): Promise<number[]> {
  await page.goto(`./?backend=${backend}`);
  await dropSmallCloud(page);
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText(backend);
  // window.fieldlens: the page's scripting API (src/app/scriptingApi.ts).
  const values = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
  expect(values).not.toBeNull();
  return values!;
}

test.describe('queries', () => {
  test('WebGPU and WASM give the same relevancy (to 1e-3)', async ({ page }) => {
    const gpu = await relevancyOn(page, 'webgpu', 'red mug');
    const cpu = await relevancyOn(page, 'wasm', 'red mug');
    expect(gpu.length).toBe(cpu.length);
    let maxDiff = 0;
    for (let i = 0; i < gpu.length; i++) maxDiff = Math.max(maxDiff, Math.abs(gpu[i]! - cpu[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  test('label sets, several positives, instances and PCA draw', async ({ page }) => {
    await page.goto('./?backend=wasm');
    await waitForDrawn(page);
    const rgb = await canvasPixels(page);
    await page.getByTestId('mode-labels').check();
    await page.getByTestId('query-input').fill('mug, dice, ball, box, plate, table');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('label-legend')).toContainText('ball');
    await waitForDrawn(page);
    expect(changedFraction(rgb, await canvasPixels(page))).toBeGreaterThan(0.1);

    await page.getByTestId('mode-relevancy').check();
    await page.getByTestId('query-input').fill('blue ball; green box');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('layer')).toBeVisible();
    await expect(page.getByTestId('instance-list')).toContainText('points at');
    await waitForDrawn(page);
    const first = await canvasPixels(page);
    await page.getByTestId('layer').selectOption('1');
    await waitForDrawn(page);
    // The hot object moves from the ball to the box: a fifth of the canvas changed in our runs.
    expect(changedFraction(first, await canvasPixels(page))).toBeGreaterThan(0.05);

    await page.getByTestId('show-pca').click();
    await expect(page.getByTestId('color-pca')).toBeChecked();
    await waitForDrawn(page);
    expect(changedFraction(rgb, await canvasPixels(page))).toBeGreaterThan(0.1);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('dropped .onnx files + tokenizer.json replace the models and give the same relevancy', async ({ page }) => {
    const published = await relevancyOn(page, 'wasm', 'blue ball');
    // The same files the manifest's defaults name, dropped under other names.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as {
      models: { id: string; file: string }[];
      defaults: Record<string, string>;
    };
    const file = (kind: string) => readFileSync(join(repoRoot, 'models', manifest.models.find((m) => m.id === manifest.defaults[kind])!.file));
    await dropFiles(page, [
      { name: 'my_text.onnx', mime: 'application/octet-stream', bytes: file('clip-text') },
      { name: 'tokenizer.json', mime: 'application/json', bytes: readFileSync(join(repoRoot, 'models/tiny/tokenizer.json')) },
      { name: 'my_student.onnx', mime: 'application/octet-stream', bytes: file('student3d') },
    ]);
    await expect(page.getByTestId('local-models')).toContainText('my_text.onnx (text encoder, 16-d), my_student.onnx (3D student, 16-d)');
    await page.getByTestId('query-input').fill('blue ball');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    const local = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
    expect(maxDifference(local, published)).toBe(0);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('a failing model URL shows an error and the scene stays usable', async ({ page }) => {
    await page.goto('./?models=./no-such-models/manifest.json');
    await waitForDrawn(page);
    const count = await pointCount(page);
    // The WebGL canvas's own content (the error list overlays the stage, so not a screenshot).
    const drawn = () => page.locator('[data-testid="viewport"] canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL('image/png'));
    const scene = await drawn();
    await page.getByTestId('query-input').fill('yellow dice');
    await page.getByTestId('query-input').press('Enter');
    // Static hosts answer unknown paths with 404 or with the app's own HTML; both are named.
    await expect(page.getByTestId('error')).toContainText(/no-such-models\/manifest\.json: (HTTP 404|expected a JSON model manifest, found "<!doctype)/);
    expect(await pointCount(page)).toBe(count);
    await expect(page.getByTestId('viewport')).toHaveAttribute('data-ready', 'true');
    // The scene is still drawn, unchanged: it covers much of the view, and the canvas is the same image.
    expect(nonBackgroundFraction(await canvasPixels(page))).toBeGreaterThan(0.2);
    expect(await drawn()).toBe(scene);
  });
});
