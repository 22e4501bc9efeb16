import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { mulberry32 } from '../src/core/synth/prng.ts';
import { COLORMAP_TABLES } from '../src/core/color/colormapTables.ts';
import { tinyStudentReference } from '../models/build/tinyClipSpace.ts';
import { canvasHalf, canvasPixels, changedFraction, colormapFraction, download, dropFiles, pointCount, repoRoot, waitForDrawn } from './helpers.ts';

/**
 * A cloud with its own per-point features (feat_0..feat_15): the hand-weighted tiny student's
 * features of the same points, computed here in Node. Against the tiny student the agreement must
 * be 1.
 */
function featurePly(count: number): Uint8Array {
  const random = mulberry32(42);
  const positions = Float32Array.from({ length: count * 3 }, (_, k) => (k % 3 === 2 ? 1 + 0.05 * random() : random() - 0.5));
  const palette = [
    [236, 196, 40],
    [34, 78, 204],
    [196, 34, 34],
    [44, 158, 68],
  ];
  const colors = Uint8Array.from({ length: count * 3 }, (_, k) => palette[Math.floor(k / 3) % palette.length]![k % 3]!);
  const features = tinyStudentReference(
    positions,
    Float32Array.from(colors, (c) => c / 255),
  );
  const scalars = Array.from({ length: 16 }, (_, d) => ({ name: `feat_${d}`, values: Float32Array.from({ length: count }, (_, i) => features[i * 16 + d]!) }));
  return encodePly({ positions, colors, scalars }, 'binary_little_endian');
}

/**
 * The split view is up with halves named `a` | `b`, and each half of the 3D view shows a heatmap:
 * a good part of its pixels are colour-map entries, far more than in the plain-RGB view.
 */
async function expectSplitHeatmaps(page: Page, a: string, b: string): Promise<void> {
  await expect(page.getByTestId('side-by-side')).toBeVisible();
  await expect(page.getByTestId('compare-a')).toHaveText(a);
  await expect(page.getByTestId('compare-b')).toHaveText(b);
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-split', 'true');
  await waitForDrawn(page);
  const split = await canvasPixels(page);
  await page.getByTestId('split-view').uncheck();
  await api(page).setColorMode('rgb');
  await waitForDrawn(page);
  const rgb = colormapFraction(await canvasPixels(page), COLORMAP_TABLES.turbo);
  for (const side of ['left', 'right'] as const) {
    const heat = colormapFraction(canvasHalf(split, side), COLORMAP_TABLES.turbo);
    expect(heat, side).toBeGreaterThan(0.02);
    expect(heat, side).toBeGreaterThan(5 * rgb);
  }
}

const api = (page: Page) => ({
  setColorMode: (mode: string) =>
    page.evaluate((m) => (window as unknown as { fieldlens: { setColorMode(mode: string): void } }).fieldlens.setColorMode(m), mode),
});

/** Runs the agreement view for feature sets a and b; returns the displayed mean. */
async function agreementMean(page: Page, a: string, b: string): Promise<number> {
  await page.getByTestId('agreement-a').selectOption(a);
  await page.getByTestId('agreement-b').selectOption(b);
  await page.getByTestId('agreement-run').click();
  await expect(page.getByTestId('agreement-mean')).toBeVisible();
  return Number(await page.getByTestId('agreement-mean').textContent());
}

const PLY_TYPE_BYTES: Record<string, number> = { char: 1, uchar: 1, short: 2, ushort: 2, int: 4, uint: 4, float: 4, double: 8 };

/** The feat_* columns of a binary little-endian feature PLY, read here (not with the app's parser): [points][dims]. */
function plyFeatures(bytes: Uint8Array): number[][] {
  const end = new TextDecoder().decode(bytes.subarray(0, 4096)).indexOf('end_header\n') + 'end_header\n'.length;
  const header = new TextDecoder().decode(bytes.subarray(0, end)).split('\n');
  expect(header).toContain('format binary_little_endian 1.0');
  const count = Number(/^element vertex (\d+)$/m.exec(header.join('\n'))![1]);
  const properties = header.filter((l) => l.startsWith('property ')).map((l) => ({ type: l.split(' ')[1]!, name: l.split(' ')[2]! }));
  const stride = properties.reduce((n, p) => n + PLY_TYPE_BYTES[p.type]!, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset + end);
  const offsets = properties.map((_, k) => properties.slice(0, k).reduce((n, p) => n + PLY_TYPE_BYTES[p.type]!, 0));
  const feats = properties.flatMap((p, k) => (p.name.startsWith('feat_') && p.type === 'float' ? [offsets[k]!] : []));
  return Array.from({ length: count }, (_, i) => feats.map((o) => view.getFloat32(i * stride + o, true)));
}

/** Mean cosine between two feature sets of the same points, over the points where neither vector is zero (no direction). */
function meanCosine(a: readonly number[][], b: readonly number[][]): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let defined = 0;
  for (let i = 0; i < a.length; i++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = 0; d < a[i]!.length; d++) {
      dot += a[i]![d]! * b[i]![d]!;
      na += a[i]![d]! ** 2;
      nb += b[i]![d]! ** 2;
    }
    if (na === 0 || nb === 0) continue;
    sum += dot / Math.sqrt(na * nb);
    defined++;
  }
  // The teacher covers the segmented objects: most of the demo's points.
  expect(defined).toBeGreaterThan(a.length / 2);
  return sum / defined;
}

test("demo: the student's features load, the teacher runs, the agreement view draws with its mean, the side-by-side heatmaps draw", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);
  // The student runs on the demo scene.
  await page.getByTestId('query-input').fill('yellow dice');
  await page.getByTestId('query-input').press('Enter');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  const demoRelevancy = await page.evaluate(() => (window as unknown as { fieldlens: { relevancy(layer: number): number[] | null } }).fieldlens.relevancy(0));
  expect(demoRelevancy?.length).toBe(await pointCount(page));
  const heatmap = await canvasPixels(page);

  await page.getByTestId('run-teacher').click();
  await expect(page.getByTestId('teacher-summary')).toContainText('segments', { timeout: 240_000 });
  const mean = await agreementMean(page, 'teacher', 'student');
  await expect(page.getByTestId('colorbar')).toContainText(`cosine teacher vs student · mean ${mean.toFixed(3)}`);
  await waitForDrawn(page);
  expect(changedFraction(heatmap, await canvasPixels(page))).toBeGreaterThan(0.05);

  await page.getByTestId('compare-run').click();
  await expectSplitHeatmaps(page, 'teacher', 'student');
  // The displayed mean against a reference: the two feature sets exported as PLYs, their per-point
  // cosine averaged here.
  await expect(page.getByTestId('feature-set')).toHaveValue('teacher');
  const teacherFeatures = plyFeatures((await download(page, 'features')).bytes);
  await page.getByTestId('feature-set').selectOption('student');
  await expect(page.getByTestId('feature-set')).toHaveValue('student');
  const studentFeatures = plyFeatures((await download(page, 'features')).bytes);
  expect(teacherFeatures[0]!.length).toBeGreaterThan(1);
  expect(Math.abs(mean - meanCosine(teacherFeatures, studentFeatures))).toBeLessThanOrEqual(0.0006);
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a cloud with its own features: agreement with the student is 1 for the hand-weighted student; heatmaps draw', async ({ page }) => {
  // The page's manifest, with the hand-weighted student as default (the shipped default is the
  // trained one), so the file's features and the student's must agree exactly.
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as { defaults: Record<string, string> };
  await page.route('**/models/manifest.json', (route) =>
    route.fulfill({ json: { ...manifest, defaults: { ...manifest.defaults, student3d: 'student3d-tiny' } } }),
  );
  await page.goto('./?backend=wasm');
  await waitForDrawn(page);

  await dropFiles(page, [{ name: 'features.ply', mime: 'application/octet-stream', bytes: featurePly(20000) }]);
  await expect(page.getByTestId('point-count')).toHaveText('20000');
  await waitForDrawn(page);
  const rgb = await canvasPixels(page);

  const mean = await agreementMean(page, 'file', 'student');
  expect(mean).toBeGreaterThan(0.999);
  await expect(page.getByTestId('colorbar')).toContainText('cosine file vs student');
  await waitForDrawn(page);
  // The heatmap recolours the drawn points (none of the four RGB colours is the colour map's top).
  expect(changedFraction(rgb, await canvasPixels(page))).toBeGreaterThan(0.05);

  await page.getByTestId('query-input').fill('blue');
  await page.getByTestId('query-input').press('Enter');
  await waitForDrawn(page);
  await page.getByTestId('compare-run').click();
  await expectSplitHeatmaps(page, 'file', 'student');
  await expect(page.getByTestId('error')).toHaveCount(0);
});
