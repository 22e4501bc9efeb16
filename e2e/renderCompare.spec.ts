import { expect, test, type Download, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blueBallOnCanvas, canvasPixels, pngPixels, repoRoot, waitForDrawn } from './helpers.ts';
import { makeTabletopScene } from '../src/core/synth/tabletopScene.ts';
import { DEMO_SCENE_SEED } from '../src/demo/generateDemoScene.ts';

/** Render view writes its files (read back here); Compare with… holds a second scene and marks matches in it. */

/** A float32 .npy read by hand (magic, v1 header, '<f4', C order): independent of the app's writer. */
function readNpyFloat32(bytes: Uint8Array): { shape: number[]; values: Float32Array } {
  expect([...bytes.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  expect(header).toContain("'descr': '<f4'");
  expect(header).toContain("'fortran_order': False");
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const start = 10 + headerLength;
  const copy = bytes.slice(start);
  const values = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  expect(values.length).toBe(shape.reduce((a, b) => a * b, 1));
  return { shape, values };
}

/** Every file the page downloads from now on, by name; `settle` waits until all are on disk. */
function collectDownloads(page: Page): { files: Map<string, Uint8Array>; settle: () => Promise<unknown> } {
  const files = new Map<string, Uint8Array>();
  const pending: Promise<void>[] = [];
  page.on('download', (d: Download) => {
    pending.push(d.path().then((path) => void files.set(d.suggestedFilename(), new Uint8Array(readFileSync(path)))));
  });
  return { files, settle: () => Promise.all(pending) };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

test('Render view writes RGB / PCA / relevancy PNGs and depth / relevancy / feature .npy files, and the overlay shows the render', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  await page.getByTestId('query-input').fill('blue ball');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('colorbar')).toBeVisible();
  await waitForDrawn(page);
  const { files, settle } = collectDownloads(page);

  // From input camera 0: the render reproduces the camera's own depth image.
  await page.getByTestId('render-camera').selectOption('0');
  await page.getByTestId('render-view').click();
  const summary = page.getByTestId('render-summary');
  await expect(summary).toBeVisible();
  const names = (await summary.getAttribute('data-files'))!.split(' ');
  await expect.poll(() => files.size).toBe(names.length);
  await settle();
  expect([...files.keys()].sort()).toEqual([...names].sort());
  for (const suffix of ['rgb.png', 'depth.npy', 'pca.png', 'features.npy', 'relevancy.npy', 'relevancy.png'])
    expect(
      names.some((n) => n.endsWith(`-cam0.${suffix}`)),
      suffix,
    ).toBe(true);
  const file = (suffix: string) => files.get(names.find((n) => n.endsWith(`.${suffix}`))!)!;

  for (const png of ['rgb.png', 'pca.png', 'relevancy.png']) {
    const image = pngPixels(file(png));
    expect([image.width, image.height], png).toEqual([320, 240]);
    let opaque = 0;
    for (let i = 0; i < image.width * image.height; i++) if (image.rgba[i * 4 + 3]! > 0) opaque++;
    expect(opaque / (image.width * image.height), `${png} covered`).toBeGreaterThan(0.5);
  }
  const depth = readNpyFloat32(file('depth.npy'));
  expect(depth.shape).toEqual([240, 320]);
  // The demo's own depth of view 0 (16-bit mm PNG), read independently: the render agrees to a few mm.
  const truth = decode(readFileSync(join(repoRoot, 'public/demo/view0_depth.png')));
  const errorsMm: number[] = [];
  const rendered: number[] = [];
  for (let k = 0; k < 320 * 240; k++) {
    const d = depth.values[k]!;
    if (d > 0) rendered.push(d);
    if (d > 0 && (truth.data[k] as number) > 0) errorsMm.push(Math.abs(d * 1000 - (truth.data[k] as number)));
  }
  expect(median(rendered)).toBeGreaterThan(0.3);
  expect(median(rendered)).toBeLessThan(3);
  expect(median(errorsMm)).toBeLessThan(5);
  const relevancy = readNpyFloat32(file('relevancy.npy'));
  expect(relevancy.shape).toEqual([240, 320]);
  expect(relevancy.values.some((v) => Number.isFinite(v))).toBe(true);
  const features = readNpyFloat32(file('features.npy'));
  expect(features.shape.slice(0, 2)).toEqual([240, 320]);
  expect(features.shape[2]).toBeGreaterThanOrEqual(16);

  // The overlay shows the rendered image (non-transparent pixels on its canvas).
  const overlay = page.getByTestId('render-overlay');
  await expect(overlay).toHaveAttribute('data-ready', 'true');
  const shown = await page.getByTestId('render-overlay-canvas').evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return { width: c.width, opaque: n / (data.length / 4) };
  });
  expect(shown.width).toBe(320);
  expect(shown.opaque).toBeGreaterThan(0.5);

  // From the 3D view: the files are named after it and the image has the chosen width.
  files.clear();
  await page.getByTestId('render-camera').selectOption('view');
  await page.getByTestId('render-view').click();
  await expect(summary).toContainText('view:');
  await expect.poll(() => [...files.keys()].filter((n) => n.includes('-view.')).length).toBe((await summary.getAttribute('data-files'))!.split(' ').length);
  await settle();
  const viewRgb = pngPixels(files.get([...files.keys()].find((n) => n.endsWith('-view.rgb.png'))!)!);
  expect(viewRgb.width).toBe(640);
  await expect(page.getByTestId('error')).toHaveCount(0);
});

/** The demo's scene.json with every camera moved by a rigid motion: 90° about z (up), then (0.3, −0.2, 0) m. */
function movedDemoScene(): { files: { name: string; mimeType: string; buffer: Buffer }[]; move: (p: readonly number[]) => number[] } {
  const dir = join(repoRoot, 'public/demo');
  const scene = JSON.parse(readFileSync(join(dir, 'scene.json'), 'utf8')) as {
    name: string;
    views: { cameraToWorld: number[]; color: string; depth: string }[];
  };
  const M = [0, -1, 0, 0.3, 1, 0, 0, -0.2, 0, 0, 1, 0, 0, 0, 0, 1];
  const times = (a: number[], b: number[]) =>
    Array.from({ length: 16 }, (_, k) => [0, 1, 2, 3].reduce((s, j) => s + a[Math.floor(k / 4) * 4 + j]! * b[j * 4 + (k % 4)]!, 0));
  for (const view of scene.views) view.cameraToWorld = times(M, view.cameraToWorld);
  scene.name = 'moved demo';
  const images = scene.views.flatMap((v) => [v.color, v.depth]);
  return {
    files: [
      { name: 'scene.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scene)) },
      ...images.map((name) => ({ name, mimeType: 'image/png', buffer: readFileSync(join(dir, name)) })),
    ],
    move: (p) => [0, 1, 2].map((r) => M[r * 4]! * p[0]! + M[r * 4 + 1]! * p[1]! + M[r * 4 + 2]! * p[2]! + M[r * 4 + 3]!),
  };
}

test('Compare with a moved copy: a double-click on the blue ball lists its best match on the moved ball and marks it', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  const onScreen = await blueBallOnCanvas(page);
  expect(onScreen.pixels, 'blue ball pixels on screen').toBeGreaterThan(30);

  const moved = movedDemoScene();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('compare-open').click()]);
  await chooser.setFiles(moved.files);
  await expect(page.getByTestId('compare-panel')).toHaveAttribute('data-open', 'true');
  await expect(page.getByTestId('compare-summary')).toContainText('16-d');

  const box = (await page.locator('[data-testid="viewport"] canvas').boundingBox())!;
  await page.mouse.dblclick(box.x + onScreen.x, box.y + onScreen.y);
  await expect(page.getByTestId('compare-match')).toHaveCount(5);
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-from', 'main');
  const top = (await page.getByTestId('compare-match').first().getAttribute('data-position'))!.split(',').map(Number);
  // The generator's ball (independent of the app), moved as the copy's cameras were.
  const ball = makeTabletopScene(DEMO_SCENE_SEED).objects.find((o) => o.name === 'blue ball')!.parts[0]!.shape;
  if (ball.kind !== 'sphere') throw new Error('the demo ball is a sphere');
  const centre = moved.move([ball.centre.x, ball.centre.y, ball.centre.z]);
  expect(Math.hypot(top[0]! - centre[0]!, top[1]! - centre[1]!, top[2]! - centre[2]!)).toBeLessThan(ball.radiusMetres + 0.01);

  // Both scenes in view: the match rings (#2be0ff) are drawn once the view frames both.
  await page.getByTestId('compare-fit').click();
  await waitForDrawn(page);
  await expect
    .poll(async () => {
      const p = await canvasPixels(page);
      let ring = 0;
      for (let i = 0; i < p.width * p.height; i++) if (p.rgba[i * 4]! < 90 && p.rgba[i * 4 + 1]! > 190 && p.rgba[i * 4 + 2]! > 220) ring++;
      return ring;
    })
    .toBeGreaterThan(20);
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a scene with features of another dimension is refused and the compared scene stays closed', async ({ page }) => {
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  // 8-d bring-your-own features: too narrow to be an embedding, so the student's 16-d features are used —
  // 24-d ones are the user's own and differ from the shown scene's 16.
  const count = 500;
  const xyz = new Float32Array(count * 3).map((_, i) => ((i * 7919) % 1000) / 1000);
  const header = `ply\nformat binary_little_endian 1.0\nelement vertex ${count}\nproperty float x\nproperty float y\nproperty float z\n${Array.from({ length: 24 }, (_, k) => `property float feat_${k}\n`).join('')}end_header\n`;
  const body = new Float32Array(count * 27);
  for (let i = 0; i < count; i++) {
    body.set(xyz.subarray(i * 3, i * 3 + 3), i * 27);
    for (let k = 0; k < 24; k++) body[i * 27 + 3 + k] = Math.sin(i + k);
  }
  const ply = Buffer.concat([Buffer.from(header), Buffer.from(body.buffer)]);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('compare-open').click()]);
  await chooser.setFiles([{ name: 'wide.ply', mimeType: 'application/octet-stream', buffer: ply }]);
  await expect(page.getByTestId('error')).toContainText(/24-d features.*16-d.*same feature space/);
  await expect(page.getByTestId('compare-panel')).toHaveAttribute('data-open', 'false');
});
