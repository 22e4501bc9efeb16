import { expect, test, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, changedFraction, dropFiles, repoRoot, waitForDrawn, type CanvasPixels } from './helpers.ts';

/** The real point clouds beside the repo (../shared), when present. */
const realClouds = join(repoRoot, '..', 'shared', 'data', 'rgbd', 'pointclouds');
const realCloudFiles = existsSync(realClouds) ? readdirSync(realClouds).filter((f) => /\.(ply|pcd)$/i.test(f)) : [];

/** The studio background #101418. */
const BACKGROUND = [0x10, 0x14, 0x18];
const isCloud = (p: CanvasPixels, i: number) =>
  Math.abs(p.rgba[i * 4]! - BACKGROUND[0]!) + Math.abs(p.rgba[i * 4 + 1]! - BACKGROUND[1]!) + Math.abs(p.rgba[i * 4 + 2]! - BACKGROUND[2]!) > 24;

/** Fraction of non-background pixels in the central half (width and height) of the canvas. */
function centreCloudFraction(p: CanvasPixels): number {
  let n = 0;
  let total = 0;
  for (let y = Math.floor(p.height / 4); y < (3 * p.height) / 4; y++) {
    for (let x = Math.floor(p.width / 4); x < (3 * p.width) / 4; x++) {
      total++;
      if (isCloud(p, y * p.width + x)) n++;
    }
  }
  return n / total;
}

/** Mean screen row of pixels close to `rgb` (NaN when none). */
function meanRowOf(p: CanvasPixels, rgb: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    if (Math.abs(p.rgba[i * 4]! - rgb[0]!) + Math.abs(p.rgba[i * 4 + 1]! - rgb[1]!) + Math.abs(p.rgba[i * 4 + 2]! - rgb[2]!) < 60) {
      sum += Math.floor(i / p.width);
      n++;
    }
  }
  return sum / n;
}

const NEAR_RED = [230, 40, 40];
const FAR_BLUE = [40, 40, 230];

/**
 * A z-up scene far from the origin, written here: a 4 m × 4 m floor at z = 50 around (100, 200)
 * (red for y below its centre, blue above), a block of green points on it, and a few stray points
 * kilometres away that a plain bounding box would frame instead. Lengths × `unit` (1000 = millimetres).
 */
function offOriginZUpPly(unit = 1): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < 80; i++) {
    for (let j = 0; j < 80; j++) {
      const y = 198 + (4 * j) / 79;
      lines.push(`${100 - 2 + (4 * i) / 79} ${y} 50 ${y < 200 ? NEAR_RED.join(' ') : FAR_BLUE.join(' ')}`);
    }
  }
  for (let k = 0; k < 1500; k++)
    lines.push(`${99.6 + (k % 15) * 0.05} ${199.6 + (Math.floor(k / 15) % 10) * 0.08} ${50.05 + Math.floor(k / 150) * 0.05} 40 220 40`);
  for (let k = 0; k < 8; k++) lines.push(`${5000 + k} ${-3000 * k} 9000 255 255 255`);
  const scaled = lines.map((line) => {
    const v = line.split(' ');
    return [...v.slice(0, 3).map((c) => String(Number(c) * unit)), ...v.slice(3)].join(' ');
  });
  const header = [
    'ply',
    'format ascii 1.0',
    `element vertex ${scaled.length}`,
    'property float x',
    'property float y',
    'property float z',
    'property uchar red',
    'property uchar green',
    'property uchar blue',
    'end_header',
  ];
  return new TextEncoder().encode([...header, ...scaled, ''].join('\n'));
}

async function dropCloud(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await dropFiles(page, [{ name, mime: 'application/octet-stream', bytes }]);
  await expect(page.getByTestId('scene-description')).toContainText(name);
  await waitForDrawn(page);
}

async function cameraRequestDone(page: Page, version: number): Promise<void> {
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-camera-request', String(version));
}

/** Orbits by dragging across the canvas; resolves once the new pose reached the URL. */
async function orbit(page: Page): Promise<string> {
  const box = (await page.locator('[data-testid="viewport"] canvas').boundingBox())!;
  const before = page.url();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 160, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => page.url()).not.toBe(before);
  return new URL(page.url()).searchParams.get('cam') ?? '';
}

test.describe('every cloud is framed on load', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto('./');
    await waitForDrawn(page);
  });

  test('a z-up cloud far from the origin with outliers fills the centre, seen from above', async ({ page }) => {
    await dropCloud(page, 'offorigin.ply', offOriginZUpPly());
    const shot = await canvasPixels(page);
    writeFileSync(test.info().outputPath('offorigin.png'), await page.locator('[data-testid="viewport"] canvas').screenshot());
    expect(centreCloudFraction(shot)).toBeGreaterThan(0.15);
    await expect(page.getByTestId('up-axis').locator('option[value="auto"]')).toContainText('+z');
    // Seen from above along +y: the near (red) half of the floor lies lower on screen than the far (blue) half.
    expect(meanRowOf(shot, NEAR_RED)).toBeGreaterThan(meanRowOf(shot, FAR_BLUE) + 20);
    await expect(page.getByTestId('unit-warning')).toHaveCount(0);
  });

  test('Reset after orbiting returns to the framed view', async ({ page }) => {
    await dropCloud(page, 'offorigin.ply', offOriginZUpPly());
    const framed = await canvasPixels(page);
    expect(await orbit(page)).toMatch(/^[-\d.]+(,[-\d.]+){5}$/);
    expect(changedFraction(framed, await canvasPixels(page))).toBeGreaterThan(0.05);
    const version = Number((await page.getByTestId('viewport').getAttribute('data-camera-request')) ?? 0);
    await page.getByTestId('view-reset').click();
    await cameraRequestDone(page, version + 1);
    expect(changedFraction(framed, await canvasPixels(page))).toBeLessThan(0.002);
    expect(new URL(page.url()).searchParams.get('cam')).toBeNull();
  });

  test('a millimetre cloud is flagged, and mm → m fixes its size', async ({ page }) => {
    await dropCloud(page, 'offorigin-mm.ply', offOriginZUpPly(1000));
    await expect(page.getByTestId('unit-warning')).toContainText('implausible for metres');
    expect(centreCloudFraction(await canvasPixels(page))).toBeGreaterThan(0.15);
    await page.getByTestId('unit-scale-0.001').click();
    await expect(page.getByTestId('unit-warning')).toHaveCount(0);
    // 7908 points: quantile indices floor(0.01·7907) = 79 and floor(0.99·7907) = 7827. x: 98 … 102
    // (80 rows of 98, 80 of 102 under the 8 outliers) = 4.00; y: 198 … 198 + 4·78/79 (the 8 outliers
    // sort low, the top index lands on the second-last row) = 3.95; z: 50 … 50.5 (the block's top) = 0.50.
    await expect(page.getByTestId('scene-extent')).toContainText('4.00 × 3.95 × 0.50 m');
    await waitForDrawn(page);
    expect(centreCloudFraction(await canvasPixels(page))).toBeGreaterThan(0.15);
  });
});

test.describe('up and camera in the URL', () => {
  test('?up= and ?cam= round trip through a reopened link', async ({ page, context }) => {
    await page.goto('./?up=-y');
    await waitForDrawn(page);
    await expect(page.getByTestId('up-axis')).toHaveValue('-y');
    await page.getByTestId('up-axis').selectOption('z');
    await expect.poll(() => new URL(page.url()).searchParams.get('up')).toBe('z');
    const cam = await orbit(page);
    const numbers = cam.split(',').map(Number);
    expect(numbers).toHaveLength(6);
    const shot = await canvasPixels(page);
    const link = page.url();

    const reopened = await context.newPage();
    await reopened.goto(link);
    await waitForDrawn(reopened);
    await expect(reopened.getByTestId('up-axis')).toHaveValue('z');
    await expect(reopened.getByTestId('viewport')).toHaveAttribute('data-camera-request', /\d+/);
    await expect.poll(() => new URL(reopened.url()).searchParams.get('cam')).toBe(cam);
    // Same pose to the millimetre: the same picture up to a few edge pixels.
    expect(changedFraction(shot, await canvasPixels(reopened))).toBeLessThan(0.02);
  });
});

test.describe('real point clouds are on screen after a drop', () => {
  for (const name of realCloudFiles.length > 0 ? realCloudFiles : ['(none)']) {
    test(`${name} shows cloud pixels in the canvas centre`, async ({ page }) => {
      test.skip(realCloudFiles.length === 0, `real data not found: expected ${realClouds} (../shared beside the repo)`);
      page.on('pageerror', (error) => console.error('page error:', error.message));
      await page.goto('./');
      await waitForDrawn(page);
      await dropCloud(page, name, new Uint8Array(readFileSync(join(realClouds, name))));
      const body = await page.locator('[data-testid="viewport"] canvas').screenshot();
      writeFileSync(test.info().outputPath(`${name}.png`), body);
      const fraction = centreCloudFraction(await canvasPixels(page));
      console.log(`${name}: ${(100 * fraction).toFixed(1)} % of the centre region is cloud`);
      expect(fraction).toBeGreaterThan(0.005);
    });
  }
});
