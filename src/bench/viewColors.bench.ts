/**
 * Display-colour recompute: `npx tsx src/bench/viewColors.bench.ts [points…]`.
 *
 * What the page does when the drawn state changes (never per frame): per-point display colours
 * for each colour mode (writeDisplayColors, the function displayColorCache.ts calls), and the
 * voxel view's averaging (displayVoxels, 2 cm voxels). For 300k / 1M / 3M points by default.
 *
 * Yardstick, measured in the same run: a plain pass over the same bytes — one JS loop that reads
 * each point's float value and its 3 colour bytes and writes 3 bytes (what any colouring has to
 * touch at least). Figures are medians of 5 timed rounds after 2 warm-up rounds; the ratio is
 * mode time / plain-pass time of the same round.
 */
import { COLORMAP_TABLES } from '../core/color/colormapTables.ts';
import { displayVoxels } from '../core/lift/displayVoxels.ts';
import { writeDisplayColors, type DisplayInputs } from '../render/displayColors.ts';
import { NO_SEGMENT_DISPLAY } from '../render/segmentColors.ts';
import type { CloudBuffers, ResultBuffers } from '../app/store/drawBuffers.ts';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [300_000, 1_000_000, 3_000_000];
const WARMUP = 2;
const RUNS = 5;

/** Deterministic xorshift32 in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

function makeScene(n: number): { cloud: CloudBuffers; results: ResultBuffers } {
  const next = random(n);
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  const relevancy = new Float32Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // A 2 m × 2 m × 0.5 m slab: room-scale, so 2 cm voxels merge a realistic share of points.
    positions[i * 3] = next() * 2;
    positions[i * 3 + 1] = next() * 2;
    positions[i * 3 + 2] = next() * 0.5;
    colors[i * 3] = next() * 256;
    colors[i * 3 + 1] = next() * 256;
    colors[i * 3 + 2] = next() * 256;
    relevancy[i] = next();
    labels[i] = Math.floor(next() * 6) - 1;
  }
  const pcaColors = colors.slice().reverse();
  return {
    cloud: { count: n, positions, colors, drawOrder: null },
    results: { layers: [relevancy], labels, instanceIds: labels, pcaColors, similarity: relevancy, histograms: [], agreement: null, comparison: null },
  };
}

function plainPass(values: Float32Array, rgb: Uint8Array, out: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    const o = i * 3;
    out[o] = rgb[o]!;
    out[o + 1] = rgb[o + 1]!;
    out[o + 2] = rgb[o + 2]!;
  }
  return sum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const base: Omit<DisplayInputs, 'mode'> = {
  activeLayer: 0,
  layerRange: { min: 0, max: 1 },
  similarityRange: { min: 0, max: 1 },
  colormap: COLORMAP_TABLES.turbo,
  belowThreshold: 'colormap',
  threshold: 0.7,
  segments: NO_SEGMENT_DISPLAY,
};
const cases: { name: string; inputs: DisplayInputs }[] = [
  { name: 'rgb', inputs: { ...base, mode: 'rgb' } },
  { name: 'relevancy turbo', inputs: { ...base, mode: 'relevancy' } },
  { name: 'relevancy viridis, below = rgb', inputs: { ...base, mode: 'relevancy', colormap: COLORMAP_TABLES.viridis, belowThreshold: 'rgb' } },
  { name: 'relevancy jet, below = dim', inputs: { ...base, mode: 'relevancy', colormap: COLORMAP_TABLES.jet, belowThreshold: 'dim' } },
  { name: 'labels', inputs: { ...base, mode: 'labels' } },
  { name: 'instances', inputs: { ...base, mode: 'instances' } },
  { name: 'pca', inputs: { ...base, mode: 'pca' } },
  { name: 'similarity', inputs: { ...base, mode: 'similarity' } },
];

for (const n of sizes) {
  const { cloud, results } = makeScene(n);
  const out = new Uint8Array(n * 3);
  const rows = new Map<string, { ms: number[]; ratio: number[] }>();
  for (let round = 0; round < WARMUP + RUNS; round++) {
    const plain = time(() => plainPass(results.layers[0]!, cloud.colors, out));
    const record = (name: string, ms: number) => {
      if (round < WARMUP) return;
      const row = rows.get(name) ?? { ms: [], ratio: [] };
      row.ms.push(ms);
      row.ratio.push(ms / plain);
      rows.set(name, row);
    };
    record('plain pass (yardstick)', plain);
    for (const c of cases)
      record(
        c.name,
        time(() => writeDisplayColors(cloud, results, c.inputs, out)),
      );
    record(
      'voxels 2 cm (displayVoxels)',
      time(() => displayVoxels(cloud.positions, out, n, 0.02)),
    );
  }
  console.log(`\n${(n / 1e6).toFixed(1)}M points (median of ${RUNS})`);
  for (const [name, row] of rows)
    console.log(`  ${name.padEnd(34)} ${median(row.ms).toFixed(1).padStart(8)} ms   ${median(row.ratio).toFixed(2).padStart(6)}× plain pass`);
}
