/**
 * Point-file parsing throughput: `npx tsx src/bench/parsePly.bench.ts [points] [--plain-only]`.
 * `--plain-only` times the PLY rows against the plain loops alone (no three.js / loaders.gl, no
 * PCD rows), for sizes where the library peers take minutes (e.g. 5,000,000 points).
 *
 * On deterministic clouds (default 1,000,000 points), each against its peers in rotating rounds
 * (compare.ts), outputs checked equal before timing:
 * - binary PLY, float xyz + uchar rgb: parsePly vs three.js PLYLoader vs a plain DataView loop;
 * - binary PLY, float xyz + 16 float feature properties: parsePly vs a plain row-major DataView
 *   loop (one pass over the records) vs PLYLoader with the features mapped as a custom attribute;
 * - binary_compressed (LZF) PCD, float xyz + rgb: lzfDecompress vs three.js's own decompressLZF
 *   (taken from the installed PCDLoader source at run time), and parsePcd vs PCDLoader.parse.
 * loaders.gl's PLYLoader / PCDLoader (parseSync, no worker) are peers on every parse row; they
 * return one column per property, which the equality checks interleave (untimed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { parseSync } from '@loaders.gl/core';
import { PCDLoader as LoadersGlPcdLoader } from '@loaders.gl/pcd';
import { PLYLoader as LoadersGlPlyLoader } from '@loaders.gl/ply';
import { REVISION } from 'three';
import { PCDLoader } from 'three/examples/jsm/loaders/PCDLoader.js';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { lzfDecompress } from '../core/formats/lzf.ts';
import { parsePcd } from '../core/formats/pcd.ts';
import { parsePly } from '../core/formats/ply.ts';
import { encodePly } from '../core/formats/plyEncode.ts';
import { lzfCompress } from '../testing/lzfCompress.ts';
import { assertSameOutput, compare, loadNow, type BenchCase } from './compare.ts';

const points = Number(process.argv[2] ?? 1_000_000);
const plainOnly = process.argv.includes('--plain-only');
/** The library peers of a row, unless --plain-only. */
const libraries = (peers: BenchCase[]) => (plainOnly ? [] : peers);
const FEATURES = 16;

function xorshift(seed: number): () => number {
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
const next = xorshift(2463534242);
const positions = Float32Array.from({ length: points * 3 }, () => next() * 10 - 5);
const colors = Uint8Array.from({ length: points * 3 }, () => Math.floor(next() * 256));
const featureColumns = Array.from({ length: FEATURES }, (_, d) => ({ name: `f${d}`, values: Float32Array.from({ length: points }, () => next() * 2 - 1) }));
const arrayBufferOf = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A loaders.gl mesh's attributes (column name → values). */
type LoadersGlAttributes = Record<string, { value: ArrayLike<number> }>;
const loadersGlPly = (buffer: ArrayBuffer) => (parseSync(buffer, LoadersGlPlyLoader, { worker: false }) as { attributes: LoadersGlAttributes }).attributes;
const loadersGlPcd = (buffer: ArrayBuffer) => (parseSync(buffer, LoadersGlPcdLoader, { worker: false }) as { attributes: LoadersGlAttributes }).attributes;

console.log(`parse bench: ${points.toLocaleString('en')} points; node ${process.version}, three r${REVISION}, load ${loadNow().toFixed(2)}`);

// --- PLY, xyz + rgb ------------------------------------------------------------------------
const rgbPly = encodePly({ positions, colors }, 'binary_little_endian');
const rgbBuffer = arrayBufferOf(rgbPly);
const plyLoader = new PLYLoader();
const headerEnd = (b: Uint8Array) => new TextDecoder('latin1').decode(b.subarray(0, 4096)).indexOf('end_header\n') + 'end_header\n'.length;

/** The yardstick: one DataView pass over fixed-size records (float xyz, then `floats` floats, then `bytes` uchars). */
function plainRecords(bytes: Uint8Array, n: number, floats: number, uchars: number): { xyz: Float32Array; rest: Float32Array; rgb: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const xyz = new Float32Array(n * 3);
  const rest = new Float32Array(n * floats);
  const rgb = new Uint8Array(n * uchars);
  const stride = 12 + floats * 4 + uchars;
  for (let i = 0, p = headerEnd(bytes), f = 0, c = 0; i < n; i++) {
    xyz[i * 3] = view.getFloat32(p, true);
    xyz[i * 3 + 1] = view.getFloat32(p + 4, true);
    xyz[i * 3 + 2] = view.getFloat32(p + 8, true);
    let q = p + 12;
    for (let u = 0; u < uchars; u++) rgb[c++] = view.getUint8(q++);
    for (let d = 0; d < floats; d++, q += 4) rest[f++] = view.getFloat32(q, true);
    p += stride;
  }
  return { xyz, rest, rgb };
}

const oursRgb = parsePly(rgbPly, 'bench.ply');
assertSameOutput('PLY xyz (plain loop)', oursRgb.positions, plainRecords(rgbPly, points, 0, 3).xyz);
assertSameOutput('PLY rgb (plain loop)', oursRgb.colors!, plainRecords(rgbPly, points, 0, 3).rgb);
if (!plainOnly) {
  assertSameOutput('PLY xyz (PLYLoader)', oursRgb.positions, plyLoader.parse(rgbBuffer).getAttribute('position').array);
  assertSameOutput('PLY xyz (loaders.gl)', oursRgb.positions, loadersGlPly(rgbBuffer).POSITION!.value);
  assertSameOutput('PLY rgb (loaders.gl)', oursRgb.colors!, loadersGlPly(rgbBuffer).COLOR_0!.value);
}
await compare('parse', `PLY ${points.toLocaleString('en')} points, xyz + rgb`, { name: 'parsePly', run: () => parsePly(rgbPly, 'bench.ply') }, [
  ...libraries([
    { name: 'three.js PLYLoader', run: () => plyLoader.parse(rgbBuffer) },
    { name: 'loaders.gl PLYLoader', run: () => loadersGlPly(rgbBuffer) },
  ]),
  { name: 'plain DataView loop', run: () => plainRecords(rgbPly, points, 0, 3) },
]);

// --- PLY, xyz + 16 float features ------------------------------------------------------------
const featurePly = encodePly({ positions, scalars: featureColumns }, 'binary_little_endian');
const featureBuffer = arrayBufferOf(featurePly);
const featureLoader = new PLYLoader();
featureLoader.setCustomPropertyNameMapping({ features: featureColumns.map((c) => c.name) });
const oursFeatures = parsePly(featurePly, 'features.ply');
if (oursFeatures.features?.dim !== FEATURES) throw new Error(`parsePly read ${oursFeatures.features?.dim} feature columns, expected ${FEATURES}`);
const plainFeatures = plainRecords(featurePly, points, FEATURES, 0);
assertSameOutput('PLY features (plain loop)', oursFeatures.features.values, plainFeatures.rest);
if (!plainOnly) {
  assertSameOutput('PLY features (PLYLoader)', oursFeatures.features.values, featureLoader.parse(featureBuffer).getAttribute('features').array);
  const glColumns = loadersGlPly(featureBuffer);
  const glInterleaved = new Float32Array(points * FEATURES);
  for (let d = 0; d < FEATURES; d++) {
    const column = glColumns[`f${d}`]!.value;
    for (let i = 0; i < points; i++) glInterleaved[i * FEATURES + d] = column[i]!;
  }
  assertSameOutput('PLY features (loaders.gl, interleaved)', oursFeatures.features.values, glInterleaved);
}
await compare(
  'parse',
  `PLY ${points.toLocaleString('en')} points, xyz + ${FEATURES} float features`,
  { name: 'parsePly', run: () => parsePly(featurePly, 'features.ply') },
  [
    { name: 'plain row-major DataView loop', run: () => plainRecords(featurePly, points, FEATURES, 0) },
    ...libraries([
      { name: 'three.js PLYLoader (custom attribute)', run: () => featureLoader.parse(featureBuffer) },
      { name: 'loaders.gl PLYLoader (one column per property)', run: () => loadersGlPly(featureBuffer) },
    ]),
  ],
);
if (plainOnly) process.exit(0);

// --- PCD binary_compressed ---------------------------------------------------------------------
// A depth-camera-like scan (rows of 1,000 points on a 4 mm grid, z in 1 mm steps) so LZF finds
// repeats as in real PCL files; columns as PCL writes them: all x, all y, all z, all rgb.
const scan = new Float32Array(points * 3);
for (let i = 0; i < points; i++) {
  scan[i * 3] = (i % 1000) * 0.004 - 2;
  scan[i * 3 + 1] = Math.floor(i / 1000) * 0.004 - 2;
  scan[i * 3 + 2] = 1.5 + 0.001 * ((i * 7) % 13);
}
const columns = new Uint8Array(points * 16);
const colView = new DataView(columns.buffer);
for (let i = 0; i < points; i++) {
  for (let a = 0; a < 3; a++) colView.setFloat32((a * points + i) * 4, scan[i * 3 + a]!, true);
  colView.setUint32((3 * points + i) * 4, (colors[i * 3]! << 16) | (colors[i * 3 + 1]! << 8) | colors[i * 3 + 2]!, true);
}
const compressed = lzfCompress(columns);
const header = `# .PCD v0.7\nVERSION 0.7\nFIELDS x y z rgb\nSIZE 4 4 4 4\nTYPE F F F U\nCOUNT 1 1 1 1\nWIDTH ${points}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS ${points}\nDATA binary_compressed\n`;
const headerBytes = new TextEncoder().encode(header);
const pcd = new Uint8Array(headerBytes.length + 8 + compressed.length);
pcd.set(headerBytes);
new DataView(pcd.buffer).setUint32(headerBytes.length, compressed.length, true);
new DataView(pcd.buffer).setUint32(headerBytes.length + 4, columns.length, true);
pcd.set(compressed, headerBytes.length + 8);
const pcdBuffer = arrayBufferOf(pcd);

// three.js's decompressLZF is local to PCDLoader.parse: its source text, exported from a temp module, is the peer.
const pcdLoaderSource = readFileSync(createRequire(import.meta.url).resolve('three/examples/jsm/loaders/PCDLoader.js'), 'utf8');
const fnStart = pcdLoaderSource.indexOf('function decompressLZF(');
const fnEnd = pcdLoaderSource.indexOf('\n\t\t}\n', fnStart) + 4;
const peerFile = join(mkdtempSync(join(tmpdir(), 'fieldlens-lzf-')), 'decompressLZF.mjs');
writeFileSync(peerFile, `export ${pcdLoaderSource.slice(fnStart, fnEnd)}\n`);
const { decompressLZF: threeDecompressLZF } = (await import(pathToFileURL(peerFile).href)) as {
  decompressLZF: (data: Uint8Array, length: number) => Uint8Array;
};

assertSameOutput('LZF (three.js decompressLZF)', lzfDecompress(compressed, columns.length), threeDecompressLZF(compressed, columns.length));
assertSameOutput('LZF (source)', lzfDecompress(compressed, columns.length), columns);
await compare(
  'parse',
  `LZF decompress ${(columns.length / 2 ** 20).toFixed(0)} MiB (${(compressed.length / 2 ** 20).toFixed(1)} MiB compressed)`,
  { name: 'lzfDecompress', run: () => lzfDecompress(compressed, columns.length) },
  [{ name: "three.js PCDLoader's decompressLZF", run: () => threeDecompressLZF(compressed, columns.length) }],
);

const pcdLoader = new PCDLoader();
const oursPcd = parsePcd(pcd, 'bench.pcd');
assertSameOutput('PCD xyz (PCDLoader)', oursPcd.positions, pcdLoader.parse(pcdBuffer).geometry.getAttribute('position').array);
assertSameOutput('PCD xyz (loaders.gl)', oursPcd.positions, loadersGlPcd(pcdBuffer).POSITION!.value);
await compare('parse', `PCD binary_compressed ${points.toLocaleString('en')} points, xyz + rgb`, { name: 'parsePcd', run: () => parsePcd(pcd, 'bench.pcd') }, [
  { name: 'three.js PCDLoader', run: () => pcdLoader.parse(pcdBuffer) },
  { name: 'loaders.gl PCDLoader', run: () => loadersGlPcd(pcdBuffer) },
]);
