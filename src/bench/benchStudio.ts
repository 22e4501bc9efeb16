/**
 * The studio's bench build (dist-bench/: the studio plus its benchmark hooks, src/devHooks) served
 * with src/node/staticServer.ts and opened in Chromium (benchBrowser.ts), ready for the browser
 * benchmarks (render.bench.ts, voxelSlider.bench.ts): the demo drawn and the hooks installed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { launchBenchChromium } from './benchBrowser.ts';
import { startStaticServer } from '../node/staticServer.ts';
import { repoRoot } from '../node/repoPaths.ts';

declare const window: { fieldlens: { renderFrames?: unknown; pointCount(): number } };
declare const document: { querySelector(s: string): { getAttribute(name: string): string | null } | null };

export interface BenchStudio {
  readonly page: Page;
  readonly browser: Browser;
  /** The WebGL renderer string (SwiftShader without a GPU). */
  readonly renderer: string;
  close(): Promise<void>;
}

export async function openBenchStudio(options: { dist?: string | undefined; gpu: boolean; viewport: { width: number; height: number } }): Promise<BenchStudio> {
  const dist = options.dist ?? join(repoRoot, 'dist-bench');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: run \`npm run build:bench\` first`);
  const server = await startStaticServer({ root: dist, base: '/bench/', isolation: true });
  const browser = await launchBenchChromium(options.gpu, ['--enable-precise-memory-info']);
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage({ viewport: options.viewport, deviceScaleFactor: 1 });
    await page.goto(`${server.url}?backend=wasm`);
    await page.waitForFunction(() => document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 120_000,
    });
    // The hooks arrive with their own chunk, after the page's API.
    await page
      .waitForFunction(() => typeof window.fieldlens.renderFrames === 'function', undefined, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`${dist} has no benchmark hooks: it is a production build (build it with \`npm run build:bench\`)`);
      });
    // A string, so this Node-side file needs no DOM types.
    const renderer = await page.evaluate<string>(
      "(() => { const gl = document.createElement('canvas').getContext('webgl2'); const ext = gl && gl.getExtension('WEBGL_debug_renderer_info'); return ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown'; })()",
    );
    return { page, browser, renderer, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits until the page shows an `count`-point cloud and has drawn its current state. */
export async function waitDrawn(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => window.fieldlens.pointCount() === n && document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true',
    count,
    { timeout: 300_000 },
  );
}
