/**
 * Render cost per colour mode and cloud size: `npm run bench:render` (builds, then runs this).
 *
 * Serves the bench build (dist-bench/: the studio plus its benchmark hooks, src/devHooks) with
 * src/node/staticServer.ts, opens it in Chromium (FIELDLENS_CHROMIUM or
 * /usr/bin/chromium), and for 300k / 1M / 3M procedural points (window.fieldlens.loadSyntheticCloud)
 * renders each colour mode back to back (renderFrames: each frame finished with a 1-pixel
 * readback) and reads the bytes of the drawn geometry (three's buffers = what sits in GPU
 * memory) and the page's JS heap. The peer is the same run's 300k-point RGB figure: every row is
 * also printed relative to it and recorded for `npm run bench` (compare.ts rows, bench "render").
 * Without a GPU Chromium renders in software (SwiftShader), so only the relative figures carry over; `--gpu` asks Chromium for the machine's GPU instead.
 *
 *   npx tsx src/bench/render.bench.ts [--gpu] [--sizes 300000,1000000,3000000] [--seconds 1] [--dist DIR]
 */
import type { Page } from '@playwright/test';
import { openBenchStudio, waitDrawn } from './benchStudio.ts';
import { loadNow, recordRows } from './compare.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '300000,1000000,3000000').split(',').map(Number);
const secondsPerMode = Number(arg('--seconds') ?? 1);
const useGpu = process.argv.includes('--gpu');

interface RenderStats {
  geometryBytes: number;
  points: number;
  canvas: { width: number; height: number };
}
interface BenchApi {
  loadSyntheticCloud(n: number): void;
  pointCount(): number;
  renderModes(): string[];
  setColorMode(mode: string): void;
  renderFrames(frames: number): number | null;
  renderStats(): RenderStats | null;
  setView(view: { voxelMode?: boolean; displayVoxelSize?: number }): void;
}
declare const window: { fieldlens: BenchApi };
declare const performance: { memory?: { usedJSHeapSize: number } };

/** Mean ms per frame over about `secondsPerMode` seconds (after one warm-up frame). */
async function msPerFrame(page: Page): Promise<number> {
  const warm = (await page.evaluate(() => window.fieldlens.renderFrames(1)))!;
  const frames = Math.max(3, Math.min(200, Math.round((secondsPerMode * 1000) / Math.max(warm, 0.1))));
  return (await page.evaluate((k) => window.fieldlens.renderFrames(k), frames))!;
}

async function main(): Promise<void> {
  const studio = await openBenchStudio({ dist: arg('--dist'), gpu: useGpu, viewport: { width: 1280, height: 720 } });
  const { page, browser, renderer } = studio;
  try {
    console.log(`Render benchmark — Chromium ${browser.version()}, renderer: ${renderer}`);
    console.log(`canvas 1280×720 CSS px, ~${secondsPerMode}s of frames per row; peer = 300k-point RGB in this run\n`);
    console.log('points      mode         ms/frame     fps   × peer   geometry MB   JS heap MB');
    let peer: number | null = null;
    const print = (n: number, mode: string, ms: number, stats: RenderStats, heap: number) => {
      if (peer === null && mode === 'rgb') peer = ms;
      else if (peer !== null) {
        const ratio = { min: ms / peer, median: ms / peer, max: ms / peer };
        recordRows([
          {
            bench: 'render',
            figure: `render ${n.toLocaleString('en')} points, ${mode} (${renderer})`,
            ours: `${mode}, ${n.toLocaleString('en')} points`,
            peer: `rgb, ${sizes[0]!.toLocaleString('en')} points (same run)`,
            oursMs: ms,
            peerMs: peer,
            ratio,
            rounds: 1,
            load: loadNow(),
          },
        ]);
      }
      const ratio = peer ? (ms / peer).toFixed(2) : '—';
      console.log(
        `${n.toLocaleString('en').padEnd(11)} ${mode.padEnd(12)} ${ms.toFixed(2).padStart(8)} ${(1000 / ms).toFixed(1).padStart(7)} ${ratio.padStart(8)} ${(stats.geometryBytes / 1e6).toFixed(1).padStart(13)} ${(heap / 1e6).toFixed(0).padStart(12)}`,
      );
    };
    for (const n of sizes) {
      await page.evaluate((count) => window.fieldlens.loadSyntheticCloud(count), n);
      await waitDrawn(page, n);
      const modes = await page.evaluate(() => window.fieldlens.renderModes());
      for (const mode of modes) {
        await page.evaluate((m) => window.fieldlens.setColorMode(m), mode);
        await waitDrawn(page, n);
        const ms = await msPerFrame(page);
        const stats = (await page.evaluate(() => window.fieldlens.renderStats()))!;
        const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? Number.NaN);
        print(n, mode, ms, stats, heap);
      }
      // Voxel mode: the relevancy colours on 2 cm instanced cubes (the voxel build is timed apart, in viewColors.bench.ts).
      await page.evaluate(() => {
        window.fieldlens.setColorMode('relevancy');
        window.fieldlens.setView({ voxelMode: true, displayVoxelSize: 0.02 });
      });
      await waitDrawn(page, n);
      print(
        n,
        'voxels 2 cm',
        await msPerFrame(page),
        (await page.evaluate(() => window.fieldlens.renderStats()))!,
        await page.evaluate(() => performance.memory?.usedJSHeapSize ?? Number.NaN),
      );
      await page.evaluate(() => window.fieldlens.setView({ voxelMode: false }));
    }
  } finally {
    await studio.close();
  }
}

await main();
