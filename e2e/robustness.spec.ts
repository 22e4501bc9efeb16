import { expect, test, type Page } from '@playwright/test';
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSceneValidPixels, drawnCanvasPixels, dropFiles, nonBackgroundFraction, syntheticFrame, waitForDrawn } from './helpers.ts';

/**
 * Bad input and bad state, with the scene kept: corrupt localStorage resets to defaults with a
 * notice; a file over 1 GiB is refused from its size before a byte is read; a zip bomb is refused
 * with the figure; a depth frame with no valid pixel (all 0, all NaN) is refused by name. Each ends
 * with the demo scene still drawn (not a blank canvas) and a query working.
 */

interface Api {
  query(text: string): Promise<void>;
  relevancy(layer?: number): number[] | null;
}

/** The demo is still what is shown and held by the worker: its point count, pixels drawn, a query answers for every point. */
async function expectDemoKept(page: Page): Promise<void> {
  const demoPoints = demoSceneValidPixels();
  await expect(page.getByTestId('point-count')).toHaveText(String(demoPoints));
  await waitForDrawn(page);
  expect(nonBackgroundFraction(await drawnCanvasPixels(page))).toBeGreaterThan(0.02);
  const length = await page.evaluate(async () => {
    const api = (window as unknown as { fieldlens: Api }).fieldlens;
    await api.query('yellow dice');
    return api.relevancy()?.length;
  });
  expect(length).toBe(demoPoints);
}

test.describe('bad input and bad state, with the scene kept', () => {
  test('corrupt localStorage (invalid JSON, wrong types): the page loads with defaults, says so and resets the keys', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/?backend=wasm');
    await waitForDrawn(page);
    const keys = { history: 'fieldlens.queryHistory', consent: 'fieldlens.modelSetConsent', up: 'fieldlens.up:demo' };
    await page.evaluate((k) => {
      localStorage.setItem(k.history, '{"not": "a list"');
      localStorage.setItem(k.consent, '{"a": 1}');
      localStorage.setItem(k.up, 'sideways');
    }, keys);
    await page.reload();
    await waitForDrawn(page);
    const errors = page.getByTestId('error');
    await expect(errors.filter({ hasText: 'The query history kept in this browser (local storage "fieldlens.queryHistory") was unreadable' })).toHaveCount(1);
    await expect(errors.filter({ hasText: 'The up axis remembered for demo' })).toHaveCount(1);
    const stored = await page.evaluate((k) => [localStorage.getItem(k.history), localStorage.getItem(k.up)], keys);
    expect(stored).toEqual([null, null]);
    await expect(page.getByTestId('up-axis')).toHaveValue('auto');
    // The consent list is read when a set is chosen; a wrong type there is reset the same way.
    await expectDemoKept(page);
    // The history works again from empty: the query just run is the one ↑ recalls.
    await page.getByTestId('query-input').fill('red mug');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    expect(await page.evaluate((k) => localStorage.getItem(k), keys.history)).toBe('["red mug"]');
  });

  test('a file over 1 GiB is refused from its size, before it is read; the scene stays', async ({ page }) => {
    test.setTimeout(180_000);
    // A sparse file: 1.1 GiB by its size, no disk used; Chromium gets it by path, as a user's pick.
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-huge-'));
    const path = join(dir, 'huge-scan.ply');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, Math.round(1.1 * 1024 ** 3));
    closeSync(fd);
    try {
      await page.goto('/?backend=wasm');
      await waitForDrawn(page);
      await page.locator('input[type="file"][multiple]').setInputFiles(path);
      await expect(page.getByTestId('error')).toContainText(/huge-scan\.ply: 1\.1 GiB is larger than the 1\.0 GiB FieldLens loads in a browser tab/);
      await expectDemoKept(page);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a zip whose entries expand past the limit is refused with the figure; the scene stays', async ({ page }) => {
    test.setTimeout(180_000);
    const bomb = zipSync({ 'depth.npy': [new Uint8Array(200 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await page.goto('/?backend=wasm');
    await waitForDrawn(page);
    await dropFiles(page, [{ name: 'bomb.zip', mime: 'application/zip', bytes: bomb }]);
    await expect(page.getByTestId('error')).toContainText(/bomb\.zip: the zip's entries expand to 200\.0 MiB or more .*FieldLens expands at most 64\.0 MiB/);
    await expectDemoKept(page);
  });

  for (const [kind, fill] of [
    ['all-zero', 0],
    ['all-NaN', Number.NaN],
  ] as const) {
    test(`an ${kind} depth frame is refused by name (no blank canvas); the scene stays`, async ({ page }) => {
      test.setTimeout(180_000);
      const frame = syntheticFrame(64, 48);
      // 16-bit PNG depth can only be 0 for "no depth"; NaN needs float depth (.npy in metres).
      const depth =
        kind === 'all-zero'
          ? { name: 'empty_depth.png', mime: 'image/png', bytes: encode({ width: 64, height: 48, data: new Uint16Array(64 * 48), depth: 16, channels: 1 }) }
          : { name: 'empty_depth.npy', mime: 'application/octet-stream', bytes: npyFloat32(new Float32Array(64 * 48).fill(fill), [48, 64]) };
      await page.goto('/?backend=wasm');
      await waitForDrawn(page);
      await dropFiles(page, [
        { name: 'colour.png', mime: 'image/png', bytes: frame.colour },
        depth,
        { name: 'camera.json', mime: 'application/json', bytes: frame.intrinsics },
      ]);
      const note = kind === 'all-zero' ? 'every pixel is 0' : '3,072 NaN, the rest 0';
      await expect(page.getByTestId('error')).toContainText(`${depth.name}: no valid depth — none of the 3,072 pixels has a positive depth (${note})`);
      await expectDemoKept(page);
    });
  }
});

/** A little-endian float32 .npy (written here, independently of the app's encoder). */
function npyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(values.buffer), 10 + header.length);
  return out;
}
