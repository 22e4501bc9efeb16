import { expect, test, type Page } from '@playwright/test';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForDrawn } from './helpers.ts';

/**
 * `npm run test:full-size -- e2e/largeCloud.slow.ts` (not in `npm test`: ~1–2 min): a 10 M-point
 * binary PLY (150 MB, written here; FIELDLENS_LARGE_POINTS=20000000 for 20 M) is picked, loaded,
 * drawn and orbited in Chromium without the tab dying;
 * prints its load-to-drawn time and the browser's peak resident memory, with a 1 M-point PLY in
 * the same run as the peer (the same path at a tenth of the size).
 */

const BYTES_PER_POINT = 15; // x y z float32 + red green blue uchar

/** Writes an N-point binary little-endian PLY: a 1 m² table top with a bump, colour by height. */
function writePly(path: string, count: number): number {
  const header = Buffer.from(
    `ply\nformat binary_little_endian 1.0\nelement vertex ${count}\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n`,
  );
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  const side = Math.ceil(Math.sqrt(count));
  const chunk = 1 << 20;
  const buffer = Buffer.alloc(chunk * BYTES_PER_POINT);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const x = (i % side) / side - 0.5;
      const z = Math.floor(i / side) / side + 0.5;
      const y = -0.2 * Math.exp(-(x * x + (z - 1) * (z - 1)) * 40);
      const o = k * BYTES_PER_POINT;
      buffer.writeFloatLE(x, o);
      buffer.writeFloatLE(y, o + 4);
      buffer.writeFloatLE(z, o + 8);
      buffer[o + 12] = 60 + Math.round(-y * 900);
      buffer[o + 13] = 120;
      buffer[o + 14] = 200;
    }
    writeSync(fd, buffer, 0, n * BYTES_PER_POINT);
  }
  closeSync(fd);
  return header.length + count * BYTES_PER_POINT;
}

/** Resident memory of every process below this test worker (the launched Chromium and its helpers), bytes. */
function browserRss(): number {
  const parentOf = new Map<number, number>();
  const rssOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parentOf.set(Number(entry), Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0));
      rssOf.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, rss] of rssOf) if (below(pid)) total += rss;
  return total;
}

/** Picks `path` with the Open files… input and times it until the cloud is drawn; samples peak RSS meanwhile. */
async function loadTimed(page: Page, path: string, count: number): Promise<{ seconds: number; peakBytes: number }> {
  let peak = browserRss();
  const sampler = setInterval(() => (peak = Math.max(peak, browserRss())), 250);
  const start = performance.now();
  try {
    await page.locator('input[type="file"][multiple]').setInputFiles(path);
    await expect(page.getByTestId('point-count')).toHaveText(String(count), { timeout: 600_000 });
    await waitForDrawn(page);
  } finally {
    clearInterval(sampler);
  }
  return { seconds: (performance.now() - start) / 1000, peakBytes: Math.max(peak, browserRss()) };
}

const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;

/** The large cloud's size: 10 M points, or FIELDLENS_LARGE_POINTS (e.g. 20000000 for the point budget's 20 M check). */
const LARGE = Number(process.env.FIELDLENS_LARGE_POINTS ?? 10_000_000);
const millions = `${LARGE / 1e6} M`;

test(`a ${millions}-point binary PLY loads, draws and orbits without the tab dying (time and peak memory, 1 M as the peer)`, async ({ page }) => {
  test.setTimeout(1_200_000);
  const dir = mkdtempSync(join(tmpdir(), 'fieldlens-large-'));
  try {
    const small = join(dir, 'cloud-1M.ply');
    const large = join(dir, `cloud-${millions.replace(' ', '')}.ply`);
    const smallBytes = writePly(small, 1_000_000);
    const largeBytes = writePly(large, LARGE);
    await page.goto('/?backend=wasm');
    await waitForDrawn(page);
    const baseline = browserRss();
    const peer = await loadTimed(page, small, 1_000_000);
    const big = await loadTimed(page, large, LARGE);
    await expect(page.getByTestId('error')).toHaveCount(0);
    // Orbit: a drag across the view (the point budget draws a subsample while it moves).
    const canvas = (await page.locator('[data-testid="viewport"] canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(canvas.x + canvas.width / 2 + step * 20, canvas.y + canvas.height / 2);
    await page.mouse.up();
    // Still alive and responsive: the scripting API answers with the new count.
    expect(await page.evaluate(() => (window as unknown as { fieldlens: { pointCount(): number } }).fieldlens.pointCount())).toBe(LARGE);
    console.log(`browser with the demo scene: ${gib(baseline)} resident`);
    console.log(`1 M points (${(smallBytes / 1e6).toFixed(0)} MB PLY): drawn in ${peer.seconds.toFixed(1)} s, peak ${gib(peer.peakBytes)}`);
    console.log(
      `${millions} points (${(largeBytes / 1e6).toFixed(0)} MB PLY): drawn in ${big.seconds.toFixed(1)} s, peak ${gib(big.peakBytes)}, ${((big.peakBytes - baseline) / LARGE).toFixed(0)} B per point over the demo`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
