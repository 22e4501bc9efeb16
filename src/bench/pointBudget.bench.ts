/**
 * The point budget (issue 17): frame time of a moving camera at 20 M points against 1 M, with the
 * budget. `npm run bench:budget` (builds the bench build, then runs this).
 *
 * For each cloud size (procedural points, window.fieldlens.loadSyntheticCloud; the smallest is the
 * peer) it renders frames back to back while the camera orbits (the budget applies: at most that
 * many points, a uniform subsample, core/lift/drawOrder.ts), each frame finished with a 1-pixel
 * readback: one untimed pass, then `--rounds` rounds over the budgets; the ratio is per round
 * (min / median / max). Then one frame at rest (every point). It also reports what the
 * loaded cloud costs per point: the bytes of the drawn geometry (three's buffers: positions,
 * colours, the draw order's index) and the page's JS heap (the synthetic cloud also holds a result
 * for every colour mode, 15 B per point a plain load does not have).
 * Without a GPU Chromium renders in software (SwiftShader); `--gpu` asks for the machine's GPU.
 *
 *   npx tsx src/bench/pointBudget.bench.ts [--sizes 1000000,20000000] [--budgets 1000000,2000000] [--seconds 2] [--rounds 3] [--gpu] [--dist DIR]
 */
import type { Page } from '@playwright/test';
import { openBenchStudio, waitDrawn } from './benchStudio.ts';
import { loadNow, recordRows, spread } from './compare.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '1000000,20000000').split(',').map(Number);
const budgets = (arg('--budgets') ?? '1000000,2000000').split(',').map(Number);
const seconds = Number(arg('--seconds') ?? 2);
const rounds = Number(arg('--rounds') ?? 3);
/** Degrees the camera turns per frame while orbiting. */
const ORBIT_DEGREES = 0.5;

interface BenchApi {
  loadSyntheticCloud(n: number): void;
  pointCount(): number;
  renderFrames(frames: number, orbitDegreesPerFrame?: number): number | null;
  renderStats(): { geometryBytes: number; points: number } | null;
  setView(view: { pointBudget?: number }): void;
}
declare const window: { fieldlens: BenchApi };
declare const performance: { memory?: { usedJSHeapSize: number } };

/** Mean ms per frame over about `seconds` (after one warm-up frame), and the points the last frame drew. */
async function framesOf(page: Page, orbit: number, minFrames = 3): Promise<{ ms: number; points: number }> {
  const warm = (await page.evaluate((o) => window.fieldlens.renderFrames(1, o), orbit))!;
  const frames = Math.max(minFrames, Math.min(300, Math.round((seconds * 1000) / Math.max(warm, 0.1))));
  const ms = (await page.evaluate(([k, o]) => window.fieldlens.renderFrames(k, o), [frames, orbit] as const))!;
  return { ms, points: (await page.evaluate(() => window.fieldlens.renderStats()))!.points };
}

async function main(): Promise<void> {
  const studio = await openBenchStudio({ dist: arg('--dist'), gpu: process.argv.includes('--gpu'), viewport: { width: 1280, height: 720 } });
  const { page, browser, renderer } = studio;
  try {
    console.log(`Point budget — Chromium ${browser.version()}, renderer: ${renderer}; canvas 1280×720; orbit ${ORBIT_DEGREES}°/frame`);
    console.log('points        budget     round   moving ms   drawn        load');
    const moving = new Map<string, number>();
    for (const n of sizes) {
      const heapBefore = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? Number.NaN);
      const t0 = Date.now();
      await page.evaluate((count) => window.fieldlens.loadSyntheticCloud(count), n);
      await waitDrawn(page, n);
      const loadSeconds = (Date.now() - t0) / 1000;
      const heap = (await page.evaluate(() => performance.memory?.usedJSHeapSize ?? Number.NaN)) - heapBefore;
      const geometry = (await page.evaluate(() => window.fieldlens.renderStats()))!.geometryBytes;
      console.log(`${n.toLocaleString('en')} points loaded and drawn in ${loadSeconds.toFixed(1)} s`);
      // One untimed pass first: the frames right after a load share the machine with its garbage collection.
      await framesOf(page, ORBIT_DEGREES);
      for (let round = 0; round < rounds; round++) {
        for (const budget of budgets) {
          await page.evaluate((b) => window.fieldlens.setView({ pointBudget: b }), budget);
          const move = await framesOf(page, ORBIT_DEGREES);
          moving.set(`${n}/${budget}/${round}`, move.ms);
          console.log(
            `${n.toLocaleString('en').padEnd(13)} ${budget.toLocaleString('en').padEnd(10)} ${String(round + 1).padStart(5)} ${move.ms.toFixed(1).padStart(11)}   ${move.points.toLocaleString('en').padEnd(12)} ${loadNow().toFixed(2).padStart(6)}`,
          );
        }
      }
      const rest = await framesOf(page, 0, 1);
      console.log(
        `${n.toLocaleString('en')} points at rest: ${rest.ms.toFixed(1)} ms per frame, ${rest.points.toLocaleString('en')} drawn; geometry ${(geometry / n).toFixed(1)} B per point, JS heap ${(heap / n).toFixed(1)} B per point`,
      );
    }
    const peerSize = sizes[0]!;
    for (const n of sizes.slice(1)) {
      for (const budget of budgets) {
        const ratios = Array.from({ length: rounds }, (_, r) => moving.get(`${n}/${budget}/${r}`)! / moving.get(`${peerSize}/${budget}/${r}`)!);
        const ratio = spread(ratios);
        const median = (size: number) => spread(Array.from({ length: rounds }, (_, r) => moving.get(`${size}/${budget}/${r}`)!)).median;
        console.log(
          `moving camera, budget ${budget.toLocaleString('en')}: ${n.toLocaleString('en')} / ${peerSize.toLocaleString('en')} points = ${ratio.median.toFixed(2)}× (min ${ratio.min.toFixed(2)}, max ${ratio.max.toFixed(2)}; goal ≤ 1.5×)`,
        );
        recordRows([
          {
            bench: 'budget',
            figure: `frame while orbiting, ${n.toLocaleString('en')} points, budget ${budget.toLocaleString('en')} (${renderer})`,
            ours: `${n.toLocaleString('en')} points`,
            peer: `${peerSize.toLocaleString('en')} points, same budget (same run)`,
            oursMs: median(n),
            peerMs: median(peerSize),
            ratio,
            rounds,
            load: loadNow(),
          },
        ]);
      }
    }
  } finally {
    await studio.close();
  }
}

await main();
