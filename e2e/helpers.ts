import { expect, type Page } from '@playwright/test';
import { decode, encode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { syntheticCloud } from '../src/core/synth/syntheticCloud.ts';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Waits until the viewport reports that the current scene/query has been drawn. */
export async function waitForDrawn(page: Page): Promise<void> {
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-ready', 'true');
}

export interface CanvasPixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** The canvas as the user sees it (a real screenshot of the element, decoded). */
export async function canvasPixels(page: Page): Promise<CanvasPixels> {
  return pngPixels(await page.locator('[data-testid="viewport"] canvas').screenshot());
}

/** Where the demo's blue ball is on the canvas (CSS pixels from its corner): the centroid of its strongly blue pixels in the RGB view. */
export async function blueBallOnCanvas(page: Page): Promise<{ x: number; y: number; pixels: number }> {
  const rgb = await canvasPixels(page);
  let [sx, sy, n] = [0, 0, 0];
  for (let i = 0; i < rgb.width * rgb.height; i++) {
    const [r, g, b] = [rgb.rgba[i * 4]!, rgb.rgba[i * 4 + 1]!, rgb.rgba[i * 4 + 2]!];
    if (b > 110 && b > r + 70 && b > g + 50) [sx, sy, n] = [sx + (i % rgb.width), sy + Math.floor(i / rgb.width), n + 1];
  }
  return { x: sx / n, y: sy / n, pixels: n };
}

/** The WebGL canvas's own pixels (it keeps its drawing buffer), without the legend and captions over it. */
export async function drawnCanvasPixels(page: Page): Promise<CanvasPixels> {
  const url = await page.locator('[data-testid="viewport"] canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  return pngPixels(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

/** A PNG file's pixels as RGBA (grey / RGB widened, alpha 255 when absent). */
export function pngPixels(bytes: Uint8Array): CanvasPixels {
  const png = decode(bytes);
  const channels = png.channels;
  const rgba = new Uint8Array(png.width * png.height * 4);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 4; c++) rgba[i * 4 + c] = c < channels ? (png.data[i * channels + c] as number) : 255;
  }
  return { width: png.width, height: png.height, rgba };
}

/** The studio's background colour, #101418. */
const BACKGROUND = [0x10, 0x14, 0x18];

export function nonBackgroundFraction(p: CanvasPixels): number {
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    const d = Math.abs(p.rgba[i * 4]! - BACKGROUND[0]!) + Math.abs(p.rgba[i * 4 + 1]! - BACKGROUND[1]!) + Math.abs(p.rgba[i * 4 + 2]! - BACKGROUND[2]!);
    if (d > 24) n++;
  }
  return n / (p.width * p.height);
}

/** Fraction of pixels whose colour changed by more than a small tolerance. */
export function changedFraction(a: CanvasPixels, b: CanvasPixels): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    const d = Math.abs(a.rgba[i * 4]! - b.rgba[i * 4]!) + Math.abs(a.rgba[i * 4 + 1]! - b.rgba[i * 4 + 1]!) + Math.abs(a.rgba[i * 4 + 2]! - b.rgba[i * 4 + 2]!);
    if (d > 30) n++;
  }
  return n / (a.width * a.height);
}

export async function pointCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('point-count').textContent());
}

/** Number of depth pixels > 0 in a 16-bit PNG, computed independently of the app. */
export function validDepthPixels(png: Uint8Array): number {
  const image = decode(png);
  if (image.depth !== 16 || image.channels !== 1) throw new Error('expected a 16-bit single-channel PNG');
  let n = 0;
  for (const d of image.data) if (d > 0) n++;
  return n;
}

export function demoSceneValidPixels(): number {
  const scene = JSON.parse(readFileSync(join(repoRoot, 'public/demo/scene.json'), 'utf8')) as { views: { depth: string }[] };
  return scene.views.reduce((n, v) => n + validDepthPixels(readFileSync(join(repoRoot, 'public/demo', v.depth))), 0);
}

export interface DropFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

/** Dispatches real dragenter/dragover/drop events carrying File objects onto the drop zone. */
export async function dropFiles(page: Page, files: readonly DropFile[]): Promise<void> {
  // Bytes cross the protocol as base64: a JSON array of numbers costs minutes for a 10 MB file.
  const payload = files.map((f) => ({
    name: f.name,
    mime: f.mime,
    base64: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const binary = atob(item.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      dt.items.add(new File([bytes], item.name, { type: item.mime }));
    }
    return dt;
  }, payload);
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** A synthetic RGB-D frame: a tilted plane with a hole pattern (zero depth) and a colour ramp. */
export function syntheticFrame(width: number, height: number): { colour: Uint8Array; depth: Uint8Array; intrinsics: Uint8Array; valid: number } {
  const depth = new Uint16Array(width * height);
  const rgb = new Uint8Array(width * height * 3);
  let valid = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const i = v * width + u;
      const hole = (u * 7 + v * 3) % 11 === 0;
      depth[i] = hole ? 0 : 800 + u * 3 + v * 2;
      if (!hole) valid++;
      rgb.set([(u * 255) / width, (v * 255) / height, 128], i * 3);
    }
  }
  const intrinsics = JSON.stringify({ width, height, intrinsic_matrix: [width * 0.9, 0, 0, 0, width * 0.9, 0, (width - 1) / 2, (height - 1) / 2, 1] });
  return {
    colour: encode({ width, height, data: rgb, depth: 8, channels: 3 }),
    depth: encode({ width, height, data: depth, depth: 16, channels: 1 }),
    intrinsics: new TextEncoder().encode(intrinsics),
    valid,
  };
}

/** Clicks the export button `export-<kind>` and returns the downloaded file. */
export async function download(page: Page, kind: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
  return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync(await file.path())) };
}

/**
 * Largest |a[i] − b[i]| of two equally long per-point arrays. Compared as one number, because a
 * failing toEqual on 10⁵ numbers makes the reporter format a diff for minutes.
 */
export function maxDifference(a: readonly number[] | null, b: readonly number[] | null): number {
  expect(a?.length, 'array lengths').toBe(b?.length);
  return a!.reduce((m, v, i) => Math.max(m, Math.abs(v - b![i]!)), 0);
}

/** The left or right half of a canvas image (the split view's two viewports). */
export function canvasHalf(p: CanvasPixels, side: 'left' | 'right'): CanvasPixels {
  const half = Math.floor(p.width / 2);
  const width = side === 'left' ? half : p.width - half;
  const x0 = side === 'left' ? 0 : half;
  const rgba = new Uint8Array(width * p.height * 4);
  for (let y = 0; y < p.height; y++) rgba.set(p.rgba.subarray((y * p.width + x0) * 4, (y * p.width + x0 + width) * 4), y * width * 4);
  return { width, height: p.height, rgba };
}

/** Opens the scene panel's capture settings, which collapse when the first scene is drawn: waits for that first. */
export async function openCaptureSettings(page: Page): Promise<void> {
  await waitForDrawn(page);
  const details = page.getByTestId('capture-settings');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
}

/**
 * Fraction of pixels that are exactly an entry of a 256-entry RGB colour map: points are drawn flat
 * (no antialiasing, no tone mapping), so a heatmap's pixels are table entries and RGB photos rarely are.
 */
export function colormapFraction(p: CanvasPixels, table: Uint8Array): number {
  const entries = new Set<number>();
  for (let e = 0; e < table.length; e += 3) entries.add((table[e]! << 16) | (table[e + 1]! << 8) | table[e + 2]!);
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) if (entries.has((p.rgba[i * 4]! << 16) | (p.rgba[i * 4 + 1]! << 8) | p.rgba[i * 4 + 2]!)) n++;
  return n / (p.width * p.height);
}

/**
 * Replaces the scene by a small procedural cloud (a PLY of `count` points, dropped). WebGPU tests
 * query it: on a software adapter (SwiftShader in headless CI) the student's kernels run ~25× slower
 * than on WASM — 114 s for the demo's 180k points on this 2-core machine — while a few thousand
 * points take seconds, so a first WebGPU query fits the test timeout even with a core kept busy.
 */
export async function dropSmallCloud(page: Page, count = 4000): Promise<void> {
  const cloud = syntheticCloud(count);
  const ply = encodePly({ positions: cloud.positions, colors: cloud.colors }, 'binary_little_endian');
  await dropFiles(page, [{ name: 'small.ply', mime: 'application/octet-stream', bytes: ply }]);
  await expect(page.getByTestId('point-count')).toHaveText(String(count));
  await waitForDrawn(page);
}

/** Says yes to the question a link's other-origin `?scene=` / `?models=` raises (asked once per tab and origin). */
export async function acceptRemoteLoads(page: Page): Promise<void> {
  await page.getByTestId('remote-consent-accept').click();
  await expect(page.getByTestId('remote-consent')).toHaveCount(0);
}
