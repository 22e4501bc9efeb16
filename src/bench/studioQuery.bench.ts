/**
 * The studio's own inference in a real browser: `npx tsx src/bench/studioQuery.bench.ts [--gpu]
 * [--dist DIR] [--backend webgpu|wasm|auto]` (after `npm run build`).
 *
 * Serves dist/ (src/node/staticServer.ts), opens the demo in Chromium (FIELDLENS_CHROMIUM or
 * /usr/bin/chromium), and prints: the WebGPU adapter and whether it offers `shader-f16`; for five
 * phrases the query time and its stages with the backend and precision the page chose (the first
 * query includes model download and session creation); then the teacher on the demo's 4 views.
 * The peer is the same page on WASM (`--backend wasm`) in another run. Without a GPU Chromium's
 * WebGPU is SwiftShader; `--gpu` asks for the machine's GPU (ANGLE and WebGPU on Vulkan).
 *
 * First, the first-query timeline (firstQuery.ts), `--runs N` times (default 5) in fresh browser
 * contexts: a real TUM 640×480 frame (../shared/data or FIELDLENS_REAL_DATA; skipped with the reason
 * when absent) dropped once the demo is drawn, a phrase sent with Enter `--delay MS` (default 3000)
 * after the drop; goal: answer drawn ≤ 500 ms after Enter on WASM with the demo set. `--first-only`
 * stops after it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchBenchChromium } from './benchBrowser.ts';
import { startStaticServer } from '../node/staticServer.ts';
import { repoRoot } from '../node/repoPaths.ts';
import { realDataRoot } from '../testing/realData.ts';
import { firstQueryTimeline, type FirstQueryTimeline } from './firstQuery.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const useGpu = process.argv.includes('--gpu');
const backend = arg('--backend') ?? 'auto';
const PHRASES = ['yellow dice', 'red mug', 'blue ball', 'green box', 'white plate'];

declare const window: { fieldlens: { query(text: string): Promise<void> } };
declare const document: { querySelector(s: string): { getAttribute(name: string): string | null; textContent: string | null } | null };
declare const navigator: { gpu?: { requestAdapter(): Promise<{ info: Record<string, string>; features: Set<string> } | null> } };

const text = (page: Page, testId: string) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '—', testId);

const TUM = 'rgbd/redwood-tum-nyu-sun/other_formats';

async function firstQueries(browser: Awaited<ReturnType<typeof launchBenchChromium>>, url: string): Promise<void> {
  const root = realDataRoot();
  const frame = root ? join(root, TUM) : null;
  if (!root || !frame || !existsSync(join(frame, 'TUM_color.png'))) {
    console.log(`first-query timeline skipped: real data not found (expected ../shared/data/${TUM}/TUM_color.png or FIELDLENS_REAL_DATA)`);
    return;
  }
  const files = [
    { name: 'TUM_color.png', mime: 'image/png', bytes: new Uint8Array(readFileSync(join(frame, 'TUM_color.png'))) },
    { name: 'TUM_depth.png', mime: 'image/png', bytes: new Uint8Array(readFileSync(join(frame, 'TUM_depth.png'))) },
    { name: 'camera.json', mime: 'application/json', bytes: new Uint8Array(readFileSync(join(root, 'rgbd/camera_primesense.json'))) },
  ];
  const runs = Number(arg('--runs') ?? 5);
  const delay = Number(arg('--delay') ?? 3000);
  const rows: FirstQueryTimeline[] = [];
  const ms = (v: number | null) => (v === null ? '—' : v.toFixed(0));
  console.log(`first-query timeline, ms after the drop of a TUM 640×480 frame (${url}), Enter ${delay} ms after the drop; peer: a second query`);
  for (let run = 0; run < runs; run++) {
    const r = await firstQueryTimeline(browser, url, files, ['a chair', 'a desk'], delay);
    rows.push(r);
    console.log(
      `  run ${run + 1}: ${r.points.toLocaleString('en')} points; drawn ${ms(r.drawn)}, runtime ready ${ms(r.runtimeReady)}, features ready ${ms(r.featuresReady)}, ` +
        `Enter ${ms(r.enter)}, answer drawn ${ms(r.answerDrawn)} → first query ${ms(r.firstQuery)} ms after Enter (stages: ${r.stages}); later query ${ms(r.laterQuery)} ms`,
    );
  }
  const median = (pick: (r: FirstQueryTimeline) => number) => {
    const v = rows.map(pick).sort((a, b) => a - b);
    return v[(v.length - 1) >> 1]!;
  };
  const worst = Math.max(...rows.map((r) => r.firstQuery));
  console.log(
    `  median: drawn ${ms(median((r) => r.drawn))}, features ready ${ms(median((r) => r.featuresReady ?? NaN))}, first query ${ms(median((r) => r.firstQuery))} ms after Enter ` +
      `(max ${ms(worst)}; goal ≤ 500) vs later query ${ms(median((r) => r.laterQuery))} ms (peer) — ${(median((r) => r.firstQuery) / median((r) => r.laterQuery)).toFixed(2)}×`,
  );
}

async function main(): Promise<void> {
  const server = await startStaticServer({ root: arg('--dist') ?? join(repoRoot, 'dist'), base: '/bench/', isolation: true });
  const browser = await launchBenchChromium(useGpu, ['--enable-unsafe-webgpu']);
  try {
    await firstQueries(browser, `${server.url}?backend=${backend}`);
    if (process.argv.includes('--first-only')) return;
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.url}?backend=${backend}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 120_000,
    });
    const adapter = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? `${a.info.vendor} ${a.info.architecture} ${a.info.description}; shader-f16: ${a.features.has('shader-f16')}` : 'none';
    });
    console.log(`Chromium ${browser.version()}; WebGPU adapter: ${adapter}; ?backend=${backend}`);
    for (const phrase of PHRASES) {
      await page.evaluate((p) => window.fieldlens.query(p), phrase);
      const stages = await page.evaluate(() => document.querySelector('[data-testid="query-time"]')?.getAttribute('title') ?? '');
      console.log(`"${phrase}": ${await text(page, 'query-time')} on ${await text(page, 'backend')} ${await text(page, 'precision')} (${stages})`);
    }
    const t0 = performance.now();
    await page.getByTestId('run-teacher').click();
    await page.getByTestId('teacher-summary').filter({ hasText: 'segments' }).waitFor({ timeout: 300_000 });
    console.log(`teacher on the demo (4 views): ${(performance.now() - t0).toFixed(0)} ms wall; ${await text(page, 'teacher-summary')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
