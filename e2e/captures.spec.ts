import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../src/testing/fixtureEncoders.ts';
import { canvasPixels, changedFraction, demoSceneValidPixels, dropFiles, openCaptureSettings, pointCount, repoRoot, waitForDrawn } from './helpers.ts';

interface DemoScene {
  views: { color: string; depth: string; intrinsics: { fx: number; fy: number; cx: number; cy: number }; cameraToWorld: number[] }[];
}

/** The demo's 4 posed views re-packed as a ScanNet-style folder: color/, depth/, pose/, intrinsic/. */
function scanNetLayout(): Record<string, Uint8Array> {
  const demoDir = join(repoRoot, 'public/demo');
  const scene = JSON.parse(readFileSync(join(demoDir, 'scene.json'), 'utf8')) as DemoScene;
  const files: Record<string, Uint8Array> = {};
  const k = scene.views[0]!.intrinsics;
  const rows = (m: number[]) => [0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4).join(' ')).join('\n');
  files['intrinsic/intrinsic_depth.txt'] = new TextEncoder().encode(rows([k.fx, 0, k.cx, 0, 0, k.fy, k.cy, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
  scene.views.forEach((v, i) => {
    files[`color/${i}.png`] = readFileSync(join(demoDir, v.color));
    files[`depth/${i}.png`] = readFileSync(join(demoDir, v.depth));
    files[`pose/${i}.txt`] = new TextEncoder().encode(rows(v.cameraToWorld));
  });
  return files;
}

test.describe('multi-view captures', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('./');
    await waitForDrawn(page);
    // Start from a different cloud so the capture visibly replaces it.
    await dropFiles(page, [
      {
        name: 'tiny.ply',
        mime: 'application/octet-stream',
        bytes: new TextEncoder().encode(
          'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 1\n0.1 0 1\n',
        ),
      },
    ]);
    await expect(page.getByTestId('point-count')).toHaveText('2');
    await waitForDrawn(page);
  });

  test('a zip of a ScanNet-style folder: all views fused, one frustum per camera', async ({ page }) => {
    const before = await canvasPixels(page);
    const zip = zipSync(Object.fromEntries(Object.entries(scanNetLayout()).map(([p, b]) => [`scan0001/${p}`, b])));
    await dropFiles(page, [{ name: 'scan0001.zip', mime: 'application/zip', bytes: zip }]);
    await expect(page.getByTestId('point-count')).toHaveText(String(demoSceneValidPixels()));
    await expect(page.getByTestId('camera-count')).toHaveText('4');
    await expect(page.getByTestId('scene-description')).toContainText('ScanNet-style folder: 4 posed frames');
    await waitForDrawn(page);
    expect(changedFraction(before, await canvasPixels(page))).toBeGreaterThan(0.1);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });

  test('a folder picked with the folder picker: same fused cloud', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-scan-'));
    for (const [path, bytes] of Object.entries(scanNetLayout())) {
      mkdirSync(join(dir, 'scan0001', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'scan0001', path), bytes);
    }
    await page.locator('input[webkitdirectory]').setInputFiles(join(dir, 'scan0001'));
    await expect(page.getByTestId('point-count')).toHaveText(String(demoSceneValidPixels()));
    await expect(page.getByTestId('camera-count')).toHaveText('4');
    await waitForDrawn(page);
    expect(await pointCount(page)).toBe(demoSceneValidPixels());
  });

  test('voxel down-sampling shows counts before and after', async ({ page }) => {
    await openCaptureSettings(page);
    await page.getByTestId('voxel-size').fill('0.02');
    const zip = zipSync(scanNetLayout());
    await dropFiles(page, [{ name: 'scan.zip', mime: 'application/zip', bytes: zip }]);
    await expect(page.getByTestId('filter-counts')).toContainText(`${demoSceneValidPixels().toLocaleString('en')} lifted`);
    const count = await pointCount(page);
    expect(count).toBeGreaterThan(1000);
    expect(count).toBeLessThan(demoSceneValidPixels() / 4);
  });
});

test.describe('bad captures keep the scene', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('./');
    await waitForDrawn(page);
  });

  test('a 2 GB file is refused by size before a byte is read', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-big-'));
    const big = join(dir, 'huge_scan.ply');
    // A sparse file: 2 GiB long, no disk used; the browser only learns its size.
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 ** 3);
    const count = await pointCount(page);
    await page.locator('input[type="file"]:not([webkitdirectory])').setInputFiles(big);
    await expect(page.getByTestId('error')).toContainText('huge_scan.ply: 2.0 GiB is larger than the 1.0 GiB FieldLens loads in a browser tab');
    expect(await pointCount(page)).toBe(count);
    await expect(page.getByTestId('viewport')).toHaveAttribute('data-ready', 'true');
  });

  test('a PLY whose header lies about its vertex count, and negative depth, are refused by name', async ({ page }) => {
    const count = await pointCount(page);
    const lying = 'ply\nformat binary_little_endian 1.0\nelement vertex 1000\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
    const body = new Uint8Array(new Float32Array(3 * 10).fill(0.5).buffer);
    await dropFiles(page, [{ name: 'liar.ply', mime: 'application/octet-stream', bytes: new Uint8Array([...new TextEncoder().encode(lying), ...body]) }]);
    await expect(page.getByTestId('error')).toContainText('liar.ply:');
    await expect(page.getByTestId('error')).toContainText('declares 1,000 vertices');
    await page.getByRole('button', { name: 'Dismiss error' }).click();

    const metres = new Float32Array(64 * 48).fill(1.5);
    metres[100] = -2;
    await dropFiles(page, [
      { name: 'depth.npy', mime: 'application/octet-stream', bytes: encodeNpy(metres, [48, 64]) },
      { name: 'K.txt', mime: 'text/plain', bytes: new TextEncoder().encode('50 50 31.5 23.5') },
    ]);
    await expect(page.getByTestId('error')).toContainText('depth.npy:');
    await expect(page.getByTestId('error')).toContainText('negative');
    expect(await pointCount(page)).toBe(count);
  });
});
