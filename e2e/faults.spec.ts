import { expect, test, type Page } from '@playwright/test';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { syntheticCloud } from '../src/core/synth/syntheticCloud.ts';
import { serveBenchBuild } from './benchBuild.ts';
import { dropSmallCloud, waitForDrawn } from './helpers.ts';

/**
 * Surviving faults with the scene kept: a scene worker that dies mid-query is restarted with its
 * scene restored (no re-drop), and overlapping drops / a drop during a query end with the last one
 * shown and held by the worker. Every wait is on a readiness signal (test ids, data attributes,
 * window.fieldlens), never a sleep.
 */

interface FaultApi {
  query(text: string): Promise<void>;
  relevancy(layer?: number): number[] | null;
  pointCount(): number;
  colorMode(): string;
  crashSceneWorkerMidQuery(): Promise<void>;
}

function plyOf(count: number): Uint8Array {
  const cloud = syntheticCloud(count);
  return encodePly({ positions: cloud.positions, colors: cloud.colors }, 'binary_little_endian');
}

/** Puts PLY files on the page as File objects (one DataTransfer per drop), under window.__drops. */
async function prepareDrops(page: Page, drops: readonly { name: string; count: number }[]): Promise<void> {
  const payload = drops.map((d) => ({ name: d.name, base64: Buffer.from(plyOf(d.count)).toString('base64') }));
  await page.evaluate((items) => {
    (window as unknown as { __drops: DataTransfer[] }).__drops = items.map((item) => {
      const binary = atob(item.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], item.name, { type: 'application/octet-stream' }));
      return dt;
    });
  }, payload);
}

/** Dispatches the prepared drops `indices` back to back, in one task (no round trip between them). */
async function dropNow(page: Page, indices: readonly number[]): Promise<void> {
  await page.evaluate((which) => {
    const zone = document.querySelector('[data-testid="drop-zone"]')!;
    const drops = (window as unknown as { __drops: DataTransfer[] }).__drops;
    for (const i of which) {
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: drops[i]!, bubbles: true, cancelable: true }));
    }
  }, indices);
}

/** Waits until the scene named `name` with `count` points is shown and no scene task is running. */
async function waitForScene(page: Page, name: string, count: number): Promise<void> {
  await expect(page.getByTestId('scene-description')).toContainText(`${name}: ${count.toLocaleString('en')} points`);
  await expect(page.getByTestId('point-count')).toHaveText(String(count));
  await waitForDrawn(page);
}

/** Runs a query through the scripting API (resolves once its result is stored) and returns its layer's length. */
async function queryLength(page: Page, text: string): Promise<number | undefined> {
  return page.evaluate(async (t) => {
    const fieldlens = (window as unknown as { fieldlens: FaultApi }).fieldlens;
    await fieldlens.query(t);
    return fieldlens.relevancy()?.length;
  }, text);
}

test.describe('surviving faults with the scene kept', () => {
  test('the scene worker killed mid-query: the error says so, the worker restarts with the scene, a query then works', async ({ page }) => {
    test.setTimeout(240_000);
    // The crash hook is a test hook: only the bench build has it (production ships none).
    const bench = await serveBenchBuild();
    try {
      await page.goto(`${bench.url}?backend=wasm`);
      await waitForDrawn(page);
      await dropSmallCloud(page, 3000);
      await page.waitForFunction(() => typeof (window as unknown as { fieldlens?: Partial<FaultApi> }).fieldlens?.crashSceneWorkerMidQuery === 'function');
      await page.evaluate(() => (window as unknown as { fieldlens: FaultApi }).fieldlens.crashSceneWorkerMidQuery());
      await page.getByTestId('query-input').fill('yellow dice');
      await page.getByTestId('query-input').press('Enter');
      await expect(page.getByTestId('error')).toContainText(/the scene worker crashed \(.*mid-query\); it was restarted and the scene restored/);
      const worker = page.getByTestId('scene-worker');
      await expect(worker).toHaveAttribute('data-restarts', '1');
      await expect(worker).toHaveAttribute('data-state', 'running');
      // The crashed query stored nothing; the scene is still the dropped one, not re-dropped.
      expect(await page.evaluate(() => (window as unknown as { fieldlens: FaultApi }).fieldlens.relevancy())).toBeNull();
      await waitForScene(page, 'small.ply', 3000);
      // The restarted worker holds the same 3000 points: a query answers for each of them.
      expect(await queryLength(page, 'yellow dice')).toBe(3000);
      await expect(page.getByTestId('colorbar')).toBeVisible();
      await expect(worker).toHaveAttribute('data-restarts', '1');
    } finally {
      await bench.close();
    }
  });

  test('two drops in quick succession, and a drop during a query: the last one wins, nothing mixes', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/?backend=wasm');
    await waitForDrawn(page);
    await prepareDrops(page, [
      { name: 'first.ply', count: 60_000 },
      { name: 'second.ply', count: 2500 },
      { name: 'third.ply', count: 1800 },
    ]);
    await dropNow(page, [0, 1]);
    await waitForScene(page, 'second.ply', 2500);
    await expect(page.getByTestId('cancel-ingest')).toHaveCount(0);
    // The worker holds the second cloud too: a query answers for its 2500 points.
    expect(await queryLength(page, 'yellow dice')).toBe(2500);
    await waitForScene(page, 'second.ply', 2500);

    // A drop while a query runs: the query's result (for the second cloud) is dropped. The query
    // is started and the drop dispatched in one task, so the drop always lands while the query is
    // in flight (a query on 2500 points with cached features ends within a frame or two, too soon
    // to wait for its progress line first).
    await page.evaluate(() => {
      const fieldlens = (window as unknown as { fieldlens: FaultApi }).fieldlens;
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      const drop = (window as unknown as { __drops: DataTransfer[] }).__drops[2]!;
      void fieldlens.query('red mug');
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: drop, bubbles: true, cancelable: true }));
    });
    await waitForScene(page, 'third.ply', 1800);
    await expect(page.getByTestId('query-stage')).toHaveCount(0);
    const after = await page.evaluate(() => {
      const fieldlens = (window as unknown as { fieldlens: FaultApi }).fieldlens;
      return { relevancy: fieldlens.relevancy(), mode: fieldlens.colorMode(), count: fieldlens.pointCount() };
    });
    expect(after).toEqual({ relevancy: null, mode: 'rgb', count: 1800 });
    expect(await queryLength(page, 'red mug')).toBe(1800);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
});
