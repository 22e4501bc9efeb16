import { expect, test, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { download, dropFiles, maxDifference, repoRoot, waitForDrawn } from './helpers.ts';

const DICE_INSTANCE = 2;

/**
 * The demo's true instance of every point, in cloud order: the scene is lifted without filters, view
 * by view, every pixel with depth > 0 becoming one point in row-major order.
 */
function demoPointInstances(): Uint8Array {
  const scene = JSON.parse(readFileSync(join(repoRoot, 'public/demo/scene.json'), 'utf8')) as { views: { depth: string; instance: string }[] };
  const out: number[] = [];
  for (const view of scene.views) {
    const depth = decode(readFileSync(join(repoRoot, 'public/demo', view.depth))).data;
    const instance = decode(readFileSync(join(repoRoot, 'public/demo', view.instance))).data;
    for (let p = 0; p < depth.length; p++) if (depth[p]! > 0) out.push(instance[p]!);
  }
  return Uint8Array.from(out);
}

async function relevancy(page: Page): Promise<number[]> {
  const values = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
  expect(values).not.toBeNull();
  return values!;
}

async function query(page: Page, text: string, backend: 'wasm' | 'webgpu' = 'wasm'): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText(backend);
  await waitForDrawn(page);
}

async function teacherRelevancy(page: Page, backend: 'wasm' | 'webgpu', text: string): Promise<number[]> {
  await page.goto(`./?backend=${backend}`);
  await waitForDrawn(page);
  await page.getByTestId('run-teacher').click();
  await expect(page.getByTestId('teacher-summary')).toContainText(backend, { timeout: 240_000 });
  await query(page, text, backend);
  return relevancy(page);
}

test('teacher on the demo scene: "yellow dice" on teacher features makes the dice the hottest points', async ({ page }) => {
  test.setTimeout(300_000);
  const truth = demoPointInstances();
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await page.getByTestId('run-teacher').click();
  await expect(page.getByTestId('teacher-summary')).toContainText('segments', { timeout: 240_000 });
  await expect(page.getByTestId('teacher-view-progress')).toHaveAttribute('value', '4');
  const objects = page.getByTestId('teacher-object-progress');
  await expect(objects).toHaveAttribute('value', (await objects.getAttribute('max'))!);
  await expect(page.getByTestId('feature-set')).toHaveValue('teacher');

  await query(page, 'yellow dice');
  const values = await relevancy(page);
  expect(values.length).toBe(truth.length);
  const max = values.reduce((a, b) => Math.max(a, b), -Infinity);
  const hottest = values.map((v, i) => i).filter((i) => values[i]! >= max - 1e-5);
  const diceCount = truth.filter((t) => t === DICE_INSTANCE).length;
  const hottestOnDice = hottest.filter((i) => truth[i] === DICE_INSTANCE).length;
  console.log(`teacher e2e: ${hottest.length} hottest points, ${hottestOnDice} on the dice (of ${diceCount} dice points)`);
  expect(hottestOnDice / hottest.length).toBeGreaterThan(0.9);
  expect(hottestOnDice / diceCount).toBeGreaterThan(0.8);

  // The student's features give a different field; switching re-runs the query.
  await page.getByTestId('feature-set').selectOption('student');
  await expect.poll(async () => (await relevancy(page)).some((v, i) => Math.abs(v - values[i]!) > 1e-3)).toBe(true);

  // "Features PLY" exports the teacher's features; dropped back, they are the cloud's own features
  // and the same query gives the same relevancy.
  await page.getByTestId('feature-set').selectOption('teacher');
  await expect.poll(async () => maxDifference(await relevancy(page), values)).toBeLessThan(1e-6);
  const features = await download(page, 'features');
  const header = new TextDecoder().decode(features.bytes.subarray(0, 2000));
  expect(header).toMatch(/comment fieldlens-features space=\S+ source=teacher/);
  expect(header).toContain('property float feat_15');
  await dropFiles(page, [{ name: features.name, mime: 'application/octet-stream', bytes: features.bytes }]);
  await expect(page.getByTestId('point-count')).toHaveText(String(truth.length));
  await query(page, 'yellow dice');
  const reloaded = await relevancy(page);
  expect(maxDifference(reloaded, values)).toBeLessThan(1e-5);

  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('the teacher gives the same features on WebGPU as on WASM (relevancy to 1e-3)', async ({ page }) => {
  test.skip(test.info().project.name !== 'webgpu', 'needs a WebGPU adapter');
  test.setTimeout(300_000);
  const gpu = await teacherRelevancy(page, 'webgpu', 'red mug');
  const cpu = await teacherRelevancy(page, 'wasm', 'red mug');
  expect(gpu.length).toBe(cpu.length);
  expect(gpu.reduce((worst, g, i) => Math.max(worst, Math.abs(g - cpu[i]!)), 0)).toBeLessThan(1e-3);
  await expect(page.getByTestId('error')).toHaveCount(0);
});
