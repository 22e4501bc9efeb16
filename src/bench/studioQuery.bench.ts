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
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchBenchChromium } from './benchBrowser.ts';
import { startStaticServer } from '../node/staticServer.ts';
import { repoRoot } from '../node/repoPaths.ts';

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

async function main(): Promise<void> {
  const server = await startStaticServer({ root: arg('--dist') ?? join(repoRoot, 'dist'), base: '/bench/', isolation: true });
  const browser = await launchBenchChromium(useGpu, ['--enable-unsafe-webgpu']);
  try {
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
