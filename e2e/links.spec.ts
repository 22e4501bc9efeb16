import { expect, test, type Page } from '@playwright/test';
import { blueBallOnCanvas, canvasPixels, dropFiles, waitForDrawn } from './helpers.ts';
import { makeTabletopScene } from '../src/core/synth/tabletopScene.ts';
import { DEMO_SCENE_SEED } from '../src/demo/generateDemoScene.ts';

/** Clicks and links do exactly one thing: one double-click → one similarity call on the point under the cursor; a link restores the view. */

interface PageApi {
  relevancy(layer: number): number[] | null;
  similarity(): { requests: number; seed: { index: number; position: readonly number[] } | null };
  state(): Record<string, unknown>;
  applyState(state: unknown): Promise<void>;
}
const api = (page: Page) => ({
  similarity: () => page.evaluate(() => (window as unknown as { fieldlens: PageApi }).fieldlens.similarity()),
  relevancy: (layer: number) => page.evaluate((l) => (window as unknown as { fieldlens: PageApi }).fieldlens.relevancy(l), layer),
});

async function query(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
}

test('one double-click on the blue ball: one similarity call, on a ball point, with a marker', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  const onScreen = await blueBallOnCanvas(page);
  expect(onScreen.pixels, 'blue ball pixels on screen').toBeGreaterThan(30);
  const box = (await page.locator('[data-testid="viewport"] canvas').boundingBox())!;
  await page.mouse.dblclick(box.x + onScreen.x, box.y + onScreen.y);

  await expect.poll(async () => (await api(page).similarity()).seed !== null).toBe(true);
  await waitForDrawn(page);
  const { requests, seed } = await api(page).similarity();
  expect(requests).toBe(1);
  // The generator's ball (independent of the app): the picked point lies on its surface (1 cm slack for depth noise).
  const ball = makeTabletopScene(DEMO_SCENE_SEED).objects.find((o) => o.name === 'blue ball')!.parts[0]!.shape;
  if (ball.kind !== 'sphere') throw new Error('the demo ball is a sphere');
  const distance = Math.hypot(seed!.position[0]! - ball.centre.x, seed!.position[1]! - ball.centre.y, seed!.position[2]! - ball.centre.z);
  expect(distance).toBeLessThan(ball.radiusMetres + 0.01);
  // The marker (#ff2bd6) is drawn near the cursor.
  const after = await canvasPixels(page);
  let marker = 0;
  for (let i = 0; i < after.width * after.height; i++) if (after.rgba[i * 4]! > 230 && after.rgba[i * 4 + 1]! < 80 && after.rgba[i * 4 + 2]! > 190) marker++;
  expect(marker).toBeGreaterThan(20);
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a reopened link and a state file restore the query text, the active layer and the threshold', async ({ page, context }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await query(page, 'blue ball; green box');
  await expect(page.getByTestId('layer').locator('option')).toHaveCount(2);
  await page.getByTestId('layer').selectOption('1');
  await page.getByTestId('threshold').fill('0.55');
  await expect(page).toHaveURL(/[?&]layer=1(&|$)/);
  await expect(page).toHaveURL(/[?&]threshold=0\.55(&|$)/);
  await waitForDrawn(page);
  const link = page.url();
  const state = await page.evaluate(() => (window as unknown as { fieldlens: PageApi }).fieldlens.state());
  const layer1 = await api(page).relevancy(1);

  const reopened = await context.newPage();
  await reopened.goto(link);
  await expect(reopened.getByTestId('query-input')).toHaveValue('blue ball; green box');
  await expect(reopened.getByTestId('layer')).toHaveValue('1');
  await expect(reopened.getByTestId('threshold-value')).toHaveText('0.55');
  await expect(reopened.getByTestId('backend-picker')).toHaveValue('wasm');
  await waitForDrawn(reopened);
  expect(await api(reopened).relevancy(1)).toEqual(layer1);

  const fromState = await context.newPage();
  await fromState.goto('./?backend=wasm');
  await waitForDrawn(fromState);
  await fromState.evaluate((s) => (window as unknown as { fieldlens: PageApi }).fieldlens.applyState(s), state);
  await expect(fromState.getByTestId('query-input')).toHaveValue('blue ball; green box');
  await expect(fromState.getByTestId('layer')).toHaveValue('1');
  await expect(fromState.getByTestId('threshold-value')).toHaveText('0.55');
});

test('the same bad drop twice lists its error once', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  const ply = new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n');
  const files = [
    { name: 'good.ply', mime: 'application/octet-stream', bytes: ply },
    { name: 'notes.txt', mime: 'text/plain', bytes: new TextEncoder().encode('hello') },
  ];
  await dropFiles(page, files);
  await expect(page.getByTestId('error')).toHaveText(['notes.txt: dropped together with the point cloud good.ply; a point cloud is loaded on its own×']);
  const first = await page.getByTestId('error').getAttribute('data-error-id');
  await dropFiles(page, files);
  // The second report replaces the first entry (a new id) rather than stacking an identical one.
  await expect(page.getByTestId('error').last()).not.toHaveAttribute('data-error-id', first!);
  await expect(page.getByTestId('error')).toHaveCount(1);
});
