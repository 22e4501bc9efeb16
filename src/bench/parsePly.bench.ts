/**
 * PLY parsing throughput: `npx tsx src/bench/parsePly.bench.ts [points]`.
 *
 * Builds a binary little-endian PLY of 1,000,000 points (float x y z, uchar red green blue) with
 * encodePly, then times FieldLens's parsePly and three.js's PLYLoader.parse on the same bytes in
 * the same process. Each figure is the median of 5 timed runs after 1 warm-up run. Before timing,
 * the two parsers' positions are checked to agree, so the race is between equal results.
 */
import { REVISION } from 'three';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { parsePly } from '../core/formats/ply.ts';
import { encodePly } from '../core/formats/plyEncode.ts';

const points = Number(process.argv[2] ?? 1_000_000);
const WARMUP = 1;
const RUNS = 5;

/** Deterministic cloud (xorshift32): positions in a 10 m cube, random colours. */
function makeCloud(n: number): { positions: Float32Array; colors: Uint8Array } {
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  let state = 2463534242;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  for (let i = 0; i < n * 3; i++) {
    positions[i] = (next() / 4294967296) * 10 - 5;
    colors[i] = next() & 255;
  }
  return { positions, colors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown): { median: number; samples: number[] } {
  const samples: number[] = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const start = performance.now();
    fn();
    const ms = performance.now() - start;
    if (r >= WARMUP) samples.push(ms);
  }
  return { median: median(samples), samples };
}

const cloud = makeCloud(points);
const bytes = encodePly(cloud, 'binary_little_endian');
// PLYLoader wants an ArrayBuffer of exactly the file; encodePly's output owns its whole buffer.
const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const loader = new PLYLoader();

// Agreement check (not timed).
const ours = parsePly(bytes, 'bench.ply');
const theirs = loader.parse(arrayBuffer);
const theirPositions = theirs.getAttribute('position').array as Float32Array;
if (ours.count !== points || theirPositions.length !== points * 3) {
  throw new Error(`point counts differ: parsePly ${ours.count}, PLYLoader ${theirPositions.length / 3}, expected ${points}`);
}
for (let i = 0; i < points * 3; i++) {
  if (ours.positions[i] !== theirPositions[i] || ours.positions[i] !== cloud.positions[i]) throw new Error(`positions differ at value ${i}`);
}
for (let i = 0; i < points * 3; i++) {
  if (ours.colors![i] !== cloud.colors[i]) throw new Error(`parsePly colour differs at value ${i}`);
}

console.log(
  `parsePly bench: ${points.toLocaleString('en')} points, binary_little_endian, float xyz + uchar rgb, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB; median of ${RUNS} after ${WARMUP} warm-up`,
);
console.log(`node ${process.version}, three r${REVISION}`);

const fieldlens = time(() => parsePly(bytes, 'bench.ply'));
const three = time(() => loader.parse(arrayBuffer));

const report = (name: string, t: { median: number; samples: number[] }) => {
  const rate = points / (t.median / 1000);
  const mbps = bytes.byteLength / 2 ** 20 / (t.median / 1000);
  console.log(
    `${name.padEnd(30)} ${t.median.toFixed(1).padStart(8)} ms  ${(rate / 1e6).toFixed(1).padStart(6)} M points/s  ${mbps.toFixed(0).padStart(5)} MiB/s  (runs: ${t.samples.map((s) => s.toFixed(1)).join(', ')} ms)`,
  );
};
report('FieldLens parsePly', fieldlens);
report('three.js PLYLoader.parse', three);
console.log(
  `ratio: PLYLoader / parsePly = ${(three.median / fieldlens.median).toFixed(2)}× (parsePly takes ${((fieldlens.median / three.median) * 100).toFixed(1)}% of PLYLoader's time)`,
);
