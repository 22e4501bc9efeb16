import { expect, test, type Page } from '@playwright/test';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { syntheticCloud } from '../src/core/synth/syntheticCloud.ts';
import { serveBenchBuild } from './benchBuild.ts';
import { dropSmallCloud, maxDifference, waitForDrawn } from './helpers.ts';

/**
 * Surviving faults with the scene kept: a scene worker that dies mid-query is restarted with its
 * scene restored (no re-drop), and overlapping drops / a drop during a query end with the last one
 * shown and held by the worker; a restarted worker also gets the teacher's features and the last
 * query's layers back, and a worker that closes without an error event is noticed and restarted
 * too. Every wait is on a readiness signal (test ids, data attributes,
 * window.fieldlens), never a sleep.
 */

interface FaultApi {
  query(text: string): Promise<void>;
  relevancy(layer?: number): number[] | null;
  pointCount(): number;
  colorMode(): string;
  crashSceneWorkerMidQuery(): Promise<void>;
  closeSceneWorkerSilently(): Promise<void>;
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

/**
 * Dispatches the prepared drops `indices` back to back, in one task (no round trip between them),
 * after starting a query for `queryFirst` (through the scripting API, as the query box does) when given.
 */
async function dropNow(page: Page, indices: readonly number[], queryFirst?: string): Promise<void> {
  await page.evaluate(
    ([which, text]) => {
      const w = window as unknown as { __drops: DataTransfer[]; __query?: Promise<unknown>; fieldlens: FaultApi };
      if (text !== undefined) w.__query = w.fieldlens.query(text).catch((error: unknown) => String(error));
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      for (const i of which) {
        for (const type of ['dragenter', 'dragover', 'drop'])
          zone.dispatchEvent(new DragEvent(type, { dataTransfer: w.__drops[i]!, bubbles: true, cancelable: true }));
      }
    },
    [indices, queryFirst] as const,
  );
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

/** Opens the bench build (only it has the fault hooks: production ships none), runs `body`, and closes it. */
async function onBenchBuild(page: Page, body: () => Promise<void>): Promise<void> {
  const bench = await serveBenchBuild();
  try {
    await page.goto(`${bench.url}?backend=wasm`);
    await waitForDrawn(page);
    await body();
  } finally {
    await bench.close();
  }
}

/** Calls the fault hook `name` of window.fieldlens once the dev hooks have installed it. */
async function faultHook(page: Page, name: 'crashSceneWorkerMidQuery' | 'closeSceneWorkerSilently'): Promise<void> {
  await page.waitForFunction((n) => typeof (window as unknown as { fieldlens?: Record<string, unknown> }).fieldlens?.[n] === 'function', name);
  await page.evaluate((n) => (window as unknown as { fieldlens: FaultApi }).fieldlens[n](), name);
}

/** The relevancy layer the page stores now (null: none). */
const storedRelevancy = (page: Page) => page.evaluate(() => (window as unknown as { fieldlens: FaultApi }).fieldlens.relevancy());

/** Runs a query from the query box (the armed crash hits it; nothing waits for an answer). */
async function typeQuery(page: Page, text: string): Promise<void> {
  await page.getByTestId('query-input').fill(text);
  await page.getByTestId('query-input').press('Enter');
}

test.describe('surviving faults with the scene kept', () => {
  test('the scene worker killed mid-query: the error says so, the worker restarts with the scene, a query then works', async ({ page }) => {
    test.setTimeout(240_000);
    await onBenchBuild(page, async () => {
      await dropSmallCloud(page, 3000);
      await faultHook(page, 'crashSceneWorkerMidQuery');
      await typeQuery(page, 'yellow dice');
      await expect(page.getByTestId('error')).toContainText(/the scene worker crashed \(.*mid-query\); it was restarted and the scene restored/);
      const worker = page.getByTestId('scene-worker');
      await expect(worker).toHaveAttribute('data-restarts', '1');
      await expect(worker).toHaveAttribute('data-state', 'running');
      // The crashed query stored nothing; the scene is still the dropped one, not re-dropped.
      expect(await storedRelevancy(page)).toBeNull();
      await waitForScene(page, 'small.ply', 3000);
      // The restarted worker holds the same 3000 points: a query answers for each of them.
      expect(await queryLength(page, 'yellow dice')).toBe(3000);
      await expect(page.getByTestId('colorbar')).toBeVisible();
      await expect(worker).toHaveAttribute('data-restarts', '1');
    });
  });

  test('a restarted worker has the teacher features and the last query layers back: re-clustering and teacher queries work', async ({ page }) => {
    test.setTimeout(600_000);
    await onBenchBuild(page, async () => {
      await page.getByTestId('run-teacher').click();
      await expect(page.getByTestId('teacher-summary')).toContainText('segments', { timeout: 240_000 });
      await expect(page.getByTestId('feature-set')).toHaveValue('teacher');
      expect(await queryLength(page, 'yellow dice')).toBeGreaterThan(0);
      const before = await storedRelevancy(page);
      await faultHook(page, 'crashSceneWorkerMidQuery');
      await typeQuery(page, 'red mug');
      await expect(page.getByTestId('error')).toContainText(/the scene worker crashed/);
      const worker = page.getByTestId('scene-worker');
      await expect(worker).toHaveAttribute('data-restarts', '1');
      // Restored: the scene, then the teacher run again, then the layers the page shows.
      await expect(worker).toHaveAttribute('data-state', 'running', { timeout: 300_000 });
      await expect(page.getByTestId('feature-set')).toHaveValue('teacher');
      // Re-clustering reads the worker's copy of the shown layer: without it the worker refuses ("no relevancy layer").
      await page.getByTestId('threshold').fill('0.3');
      await expect(page.getByTestId('recluster-time')).toBeVisible();
      await expect(page.getByTestId('error')).toHaveCount(1);
      // The teacher's features are there again: the same query gives the same relevancy.
      expect(await queryLength(page, 'yellow dice')).toBe(before!.length);
      expect(maxDifference(await storedRelevancy(page), before)).toBeLessThan(1e-5);
      await expect(worker).toHaveAttribute('data-restarts', '1');
    });
  });

  test('a worker that closes itself without an error event is noticed, restarted with the scene, and a query then works', async ({ page }) => {
    test.setTimeout(240_000);
    await onBenchBuild(page, async () => {
      await dropSmallCloud(page, 3000);
      await faultHook(page, 'closeSceneWorkerSilently');
      await expect(page.getByTestId('error')).toContainText(
        /the scene worker crashed \(it ended without an error: closed, or killed for memory\); it was restarted/,
      );
      const worker = page.getByTestId('scene-worker');
      await expect(worker).toHaveAttribute('data-restarts', '1');
      await expect(worker).toHaveAttribute('data-state', 'running');
      await waitForScene(page, 'small.ply', 3000);
      expect(await queryLength(page, 'yellow dice')).toBe(3000);
      await expect(worker).toHaveAttribute('data-restarts', '1');
    });
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
    // (features cached: milliseconds) and the drop start in one page task, so the drop always lands
    // while the query is in flight, however fast the query or however slow the test's round trips.
    await dropNow(page, [2], 'red mug');
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
