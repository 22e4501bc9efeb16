/**
 * The one GPU check, sized for one short call on a lent GPU machine (≤ ~8 minutes): `npm run
 * bench:gpu` (builds the bench build, then runs this; add `-- --gpu` there).
 *
 *   npx tsx src/bench/gpu.bench.ts [--gpu] [--sizes 1000000,3000000,10000000,20000000] [--phrases 4] [--dist DIR]
 *
 * In Chromium (benchBrowser.ts; `--gpu`: ANGLE and WebGPU on Vulkan, else software) it prints and
 * writes to bench-results/gpu.json:
 * - the WebGPU adapter the page found (vendor, architecture, description, `isFallbackAdapter`)
 *   and whether it is a software one (SwiftShader): then every "webgpu" figure below is a CPU
 *   emulation, not a GPU figure, and the script says so;
 * - the studio's query (text encoder + student + relevancy, one phrase per round) with
 *   `?backend=webgpu` against `?backend=wasm` (the peer), two pages in the same run taking turns;
 *   the first query of each page (model download and session start) is reported apart;
 * - render frame times at the given cloud sizes (WebGL renderer string printed).
 * Query rows are also recorded for `npm run bench` (compare.ts's results file) under "gpu".
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { launchBenchChromium } from './benchBrowser.ts';
import { printRow, recordRows, resultsDir, spread, loadNow, type ComparisonRow } from './compare.ts';
import { startStaticServer } from '../node/staticServer.ts';
import { repoRoot } from '../node/repoPaths.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const useGpu = process.argv.includes('--gpu');
const sizes = (arg('--sizes') ?? (useGpu ? '1000000,3000000,10000000,20000000' : '1000000,3000000')).split(',').map(Number);
const phraseCount = Number(arg('--phrases') ?? 4);
const PHRASES = ['yellow dice', 'red mug', 'blue ball', 'green box', 'white plate', 'wooden table'].slice(0, phraseCount + 1);

interface AdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean | null;
  shaderF16: boolean;
}
interface PageApi {
  query(text: string): Promise<void>;
  backend(): string;
  loadSyntheticCloud(n: number): void;
  pointCount(): number;
  renderFrames(frames: number): number | null;
}
declare const window: { fieldlens: PageApi };
declare const document: { querySelector(s: string): { getAttribute(name: string): string | null } | null };
declare const navigator: {
  gpu?: { requestAdapter(): Promise<{ info: Record<string, string | boolean | undefined>; features: Set<string>; isFallbackAdapter?: boolean } | null> };
};

/** A software adapter: flagged as a fallback, or named SwiftShader (Chromium's CPU Vulkan). */
function isSoftwareAdapter(a: AdapterReport | null): boolean {
  if (!a) return false;
  return a.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(`${a.vendor} ${a.architecture} ${a.description}`);
}

async function openStudio(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true', undefined, { timeout: 180_000 });
  return page;
}

/** Wall time of one studio query, ms (the page's own query() resolves when the heatmap is in). */
async function timeQuery(page: Page, phrase: string): Promise<number> {
  return page.evaluate(async (p) => {
    const t0 = performance.now();
    await window.fieldlens.query(p);
    return performance.now() - t0;
  }, phrase);
}

async function main(): Promise<void> {
  const dist = arg('--dist') ?? join(repoRoot, 'dist-bench');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: run \`npm run build:bench\` first (npm run bench:gpu does)`);
  const server = await startStaticServer({ root: dist, base: '/bench/', isolation: true });
  const browser = await launchBenchChromium(useGpu, ['--enable-unsafe-webgpu']);
  const report: Record<string, unknown> = { date: new Date().toISOString(), gpuRequested: useGpu, load: loadNow() };
  try {
    const webgpu = await openStudio(browser, `${server.url}?backend=webgpu`);
    const adapter = await webgpu.evaluate(async (): Promise<AdapterReport | null> => {
      const a = await navigator.gpu?.requestAdapter();
      if (!a) return null;
      const info = a.info;
      const fallback = typeof info.isFallbackAdapter === 'boolean' ? info.isFallbackAdapter : (a.isFallbackAdapter ?? null);
      return {
        vendor: String(info.vendor ?? ''),
        architecture: String(info.architecture ?? ''),
        description: String(info.description ?? ''),
        isFallbackAdapter: fallback,
        shaderF16: a.features.has('shader-f16'),
      };
    });
    const software = isSoftwareAdapter(adapter);
    const renderer = await webgpu.evaluate<string>(
      "(() => { const gl = document.createElement('canvas').getContext('webgl2'); const ext = gl && gl.getExtension('WEBGL_debug_renderer_info'); return ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown'; })()",
    );
    report.chromium = browser.version();
    report.adapter = adapter;
    report.softwareAdapter = software;
    report.webglRenderer = renderer;
    console.log(`Chromium ${browser.version()}; WebGL renderer: ${renderer}`);
    console.log(
      adapter
        ? `WebGPU adapter: ${adapter.vendor} ${adapter.architecture} ${adapter.description}; isFallbackAdapter ${adapter.isFallbackAdapter}; shader-f16 ${adapter.shaderF16}`
        : 'WebGPU adapter: none',
    );
    if (software || !adapter) {
      console.log(
        'NOTE: no hardware WebGPU adapter here (software / SwiftShader or none): the "webgpu" query figures below are CPU emulation, not GPU figures.',
      );
    }

    // Queries: webgpu and wasm pages take turns, first query of each apart.
    const wasm = await openStudio(browser, `${server.url}?backend=wasm`);
    const first = { webgpu: await timeQuery(webgpu, PHRASES[0]!), wasm: await timeQuery(wasm, PHRASES[0]!) };
    const backends = { webgpu: await webgpu.evaluate(() => window.fieldlens.backend()), wasm: await wasm.evaluate(() => window.fieldlens.backend()) };
    console.log(
      `first query (model load + session start): webgpu page ${first.webgpu.toFixed(0)} ms on ${backends.webgpu}, wasm page ${first.wasm.toFixed(0)} ms on ${backends.wasm}`,
    );
    const gpuMs: number[] = [];
    const cpuMs: number[] = [];
    for (let r = 1; r < PHRASES.length; r++) {
      const order = r % 2 === 0 ? ([webgpu, wasm] as const) : ([wasm, webgpu] as const);
      for (const page of order) (page === webgpu ? gpuMs : cpuMs).push(await timeQuery(page, PHRASES[r]!));
    }
    const row: ComparisonRow = {
      bench: 'gpu',
      figure: `studio query in Chromium, ${PHRASES.length - 1} phrases after the first${software ? ' (software WebGPU adapter)' : ''}`,
      ours: `webgpu page (ran on ${backends.webgpu})`,
      peer: `wasm page (ran on ${backends.wasm})`,
      oursMs: spread(gpuMs).median,
      peerMs: spread(cpuMs).median,
      ratio: spread(gpuMs.map((ms, i) => ms / cpuMs[i]!)),
      rounds: gpuMs.length,
      load: loadNow(),
      note: adapter ? `adapter ${adapter.vendor} ${adapter.description}`.trim() : 'no WebGPU adapter',
    };
    printRow(row);
    recordRows([row]);
    report.query = { first, backends, webgpuMs: gpuMs, wasmMs: cpuMs };
    await wasm.close();

    // Render frame times per cloud size (bench hooks of the bench build).
    const frames: { points: number; msPerFrame: number }[] = [];
    for (const n of sizes) {
      await webgpu.evaluate((count) => window.fieldlens.loadSyntheticCloud(count), n);
      await webgpu.waitForFunction(
        (count) => window.fieldlens.pointCount() === count && document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true',
        n,
        { timeout: 300_000 },
      );
      await webgpu.evaluate(() => window.fieldlens.renderFrames(2));
      const ms = (await webgpu.evaluate(() => window.fieldlens.renderFrames(10)))!;
      frames.push({ points: n, msPerFrame: ms });
      console.log(`render ${n.toLocaleString('en')} points: ${ms.toFixed(2)} ms/frame (${renderer})`);
    }
    report.render = frames;
  } finally {
    await browser.close();
    await server.close();
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'gpu.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(`wrote ${join(resultsDir, 'gpu.json')}`);
  }
}

await main();
