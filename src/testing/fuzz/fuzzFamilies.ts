/**
 * The parser families the fuzz suite drives, each an arbitrary of whole dropped captures (one
 * file of a seed capture damaged) that goes through `loadCapture`, as the worker and the CLI run
 * it: zips expanded, format detected, parsed, lifted, fused. Seeds are the generated captures of
 * fuzzSeeds.ts plus, when present, real files (fuzzRealSeeds.ts).
 */
import fc from 'fast-check';
import { zipSync } from 'fflate';
import type { CaptureFile } from '../../core/capture/captureFiles.ts';
import { mutatedJson, mutatedSeed, type Seed } from './mutations.ts';
import {
  colourJpeg,
  colourPng,
  depthPng,
  nerfstudioJson,
  nerfstudioSeed,
  npyPointSeeds,
  pcdSeeds,
  plySeeds,
  rigCalibration,
  rigSeed,
  scanNetSeed,
  sceneJson,
  sceneSeed,
  singleFrameSeeds,
  trajectorySeed,
  tumSeed,
  zipOf,
} from './fuzzSeeds.ts';
import type { RealSeeds } from './fuzzRealSeeds.ts';

export interface FuzzCase {
  readonly files: readonly CaptureFile[];
  /** Which file was damaged (for reports). */
  readonly target: string;
}

export interface FuzzFamily {
  readonly name: string;
  readonly cases: fc.Arbitrary<FuzzCase>;
}

type Pick = (name: string) => boolean;

/** One file of one of the captures, picked by `target`, replaced by a damaged version. */
function damageOne(captures: readonly CaptureFile[][], target: Pick, damage: (seeds: readonly Seed[]) => fc.Arbitrary<Seed>): fc.Arbitrary<FuzzCase> {
  const usable = captures.filter((c) => c.some((f) => target(f.name)));
  const seeds = usable.flatMap((capture, ci) => capture.filter((f) => target(f.name)).map((f) => ({ name: `${ci}\u0000${f.name}`, bytes: f.bytes })));
  return damage(seeds).map((seed) => {
    const [ci, name] = seed.name.split('\u0000') as [string, string];
    const capture = usable[Number(ci)]!;
    return { files: capture.map((f) => (f.name === name ? { name, bytes: seed.bytes } : f)), target: name };
  });
}

const ext =
  (...extensions: string[]): Pick =>
  (name) =>
    extensions.some((e) => name.toLowerCase().endsWith(`.${e}`));
const named =
  (...names: string[]): Pick =>
  (name) =>
    names.some((n) => name === n || name.endsWith(`/${n}`));
const text = (s: string) => new TextEncoder().encode(s);

/** PNG / JPEG whose header claims another size (gigapixels, 0, 2³¹−1), the PNG's IHDR CRC fixed or not. */
function lyingImageSize(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  const sizes = fc.constantFrom(0, 1, 2, 30_000, 65_535, 2 ** 31 - 1, 2 ** 32 - 1);
  return fc.tuple(fc.nat(), sizes, sizes, fc.boolean()).map(([n, w, h, fixCrc]) => {
    const seed = seeds[n % seeds.length]!;
    const b = seed.bytes.slice();
    const view = new DataView(b.buffer);
    if (b[0] === 0x89 && b.length > 33) {
      view.setUint32(16, w);
      view.setUint32(20, h);
      if (fixCrc) view.setUint32(29, crc32(b.subarray(12, 29)));
    } else if (b[0] === 0xff) {
      for (let i = 2; i + 9 < b.length; i++) {
        if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
          view.setUint16(i + 5, h & 0xffff);
          view.setUint16(i + 7, w & 0xffff);
          break;
        }
      }
    }
    return { name: seed.name, bytes: b };
  });
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

const bytesOrJson = (seeds: readonly Seed[]) => (seeds.every((s) => s.name.endsWith('.json')) ? mutatedJson(seeds) : mutatedSeed(seeds));

/** Zip entries that lie about their sizes: the local and central headers' uncompressed size set to a lie. */
function lyingZip(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  return fc.tuple(fc.nat(), fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 32 - 1, 1e9), fc.nat()).map(([n, size, k]) => {
    const seed = seeds[n % seeds.length]!;
    const b = seed.bytes.slice();
    const view = new DataView(b.buffer);
    const headers: [number, number][] = [];
    for (let i = 0; i + 30 < b.length; i++) {
      if (view.getUint32(i, true) === 0x04034b50) headers.push([i, 22]);
      else if (view.getUint32(i, true) === 0x02014b50) headers.push([i, 24]);
    }
    if (headers.length === 0) return seed;
    const [at, field] = headers[k % headers.length]!;
    view.setUint32(at + field, size >>> 0, true);
    return { name: seed.name, bytes: b };
  });
}

let bomb: Uint8Array | null = null;
/** ≈ 80 KB expanding to 80 MB of zeros (built once): a small zip bomb. */
function zipBomb(): Uint8Array {
  bomb ??= zipSync({ 'depth.npy': [new Uint8Array(80 * 1024 * 1024), { level: 9 }] });
  return bomb;
}

export function fuzzFamilies(real: RealSeeds): FuzzFamily[] {
  const frames = singleFrameSeeds();
  const posed = [trajectorySeed(), scanNetSeed(), tumSeed(), nerfstudioSeed(), rigSeed(), sceneSeed()];
  const all = [...plySeeds().map((f) => [f]), ...pcdSeeds().map((f) => [f]), ...frames, ...npyPointSeeds(), ...posed, ...real.captures];
  const zips = [...frames, ...posed.slice(0, 2)].map((c) => [{ name: 'capture.zip', bytes: zipOf(c) }]);
  const nested = [[{ name: 'outer.zip', bytes: zipSync({ 'inner.zip': zipOf(frames[0]!), 'readme.txt': text('nested') }) }]];
  const proto = { ...rigCalibration(), cameras: {} };
  const rigVariants = [
    rigSeed(),
    rigSeed(rigCalibration(), ['cam1']),
    rigSeed({ ...proto, cameras: { constructor: (rigCalibration().cameras as Record<string, unknown>).cam0 } }, ['constructor']),
    rigSeed(rigCalibration(), ['cam0', 'constructor']),
    rigSeed(rigCalibration(), ['cam0', '__proto__']),
  ];
  return [
    { name: 'ply', cases: damageOne([...plySeeds().map((f) => [f]), ...real.ply.map((f) => [f])], ext('ply'), mutatedSeed) },
    { name: 'pcd', cases: damageOne([...pcdSeeds().map((f) => [f]), ...real.pcd.map((f) => [f])], ext('pcd'), mutatedSeed) },
    {
      name: 'npy / netpbm / poses',
      cases: fc.oneof(
        damageOne(npyPointSeeds(), ext('npy'), mutatedSeed),
        damageOne([frames[3]!], ext('pgm', 'ppm', 'npy'), mutatedSeed),
        damageOne([trajectorySeed()], named('trajectory.log', 'odometry.log'), mutatedSeed),
        damageOne([scanNetSeed()], (n) => n.startsWith('pose/'), mutatedSeed),
      ),
    },
    {
      name: 'image (PNG/JPEG)',
      cases: withReal(
        frames.slice(0, 2),
        real.frames,
        (captures) => damageOne(captures, (n) => /colou?r/i.test(n) && ext('png', 'jpg', 'jpeg', 'ppm')(n), mutatedSeed),
        (captures) => damageOne(captures, (n) => /colou?r/i.test(n) && ext('png', 'jpg', 'jpeg')(n), lyingImageSize),
      ),
    },
    {
      name: 'depth',
      cases: withReal(
        frames,
        real.frames,
        (captures) => damageOne(captures, (n) => /depth/i.test(n), mutatedSeed),
        (captures) => damageOne(captures, (n) => /depth/i.test(n) && ext('png')(n), lyingImageSize),
      ),
    },
    { name: 'intrinsics', cases: withReal(frames, real.frames, (captures) => damageOne(captures, (n) => ext('json', 'txt')(n) || n === 'K.npy', bytesOrJson)) },
    { name: 'sequences (TUM)', cases: damageOne([tumSeed()], ext('txt'), mutatedSeed) },
    {
      name: 'nerfstudio',
      cases: damageOne(
        [nerfstudioSeed(), nerfstudioSeed({ ...nerfstudioJson(), camera_angle_x: 0.9, fl_x: undefined })],
        named('transforms.json'),
        mutatedJson,
      ),
    },
    {
      name: 'rig',
      cases: fc.oneof(
        damageOne([...rigVariants, ...real.rig], named('calibration.json'), mutatedJson),
        damageOne(rigVariants.slice(0, 2), ext('npy'), mutatedSeed),
      ),
    },
    { name: 'scene.json', cases: damageOne([sceneSeed(), sceneSeed({ ...sceneJson(), worldUp: [0, 0, 1] })], named('scene.json'), mutatedJson) },
    {
      name: 'zip',
      cases: fc.oneof(
        damageOne([...zips, ...nested], ext('zip'), mutatedSeed),
        damageOne(zips, ext('zip'), lyingZip),
        fc.constant({ files: [{ name: 'bomb.zip', bytes: zipBomb() }], target: 'bomb.zip' }),
        fc.constant({ files: [{ name: 'cut.zip', bytes: cutZip() }], target: 'cut.zip' }),
      ),
    },
    { name: 'loadCapture', cases: damageOne(all, () => true, bytesOrJson) },
  ];
}

/**
 * Cases from the generated captures, and one in ten from real ones (640×480 frames take ~10× as
 * long to decode and lift); each damage kind equally often.
 */
function withReal(
  generated: readonly CaptureFile[][],
  real: readonly CaptureFile[][],
  ...kinds: ((captures: readonly CaptureFile[][]) => fc.Arbitrary<FuzzCase>)[]
): fc.Arbitrary<FuzzCase> {
  const of = (captures: readonly CaptureFile[][]) => fc.oneof(...kinds.map((k) => k(captures)));
  return real.length === 0 ? of(generated) : fc.oneof({ arbitrary: of(generated), weight: 9 }, { arbitrary: of(real), weight: 1 });
}

/** A zip cut off inside its entries (no central directory): refused as corrupt, never half-read. */
function cutZip(): Uint8Array {
  const zip = zipSync({ 'a.png': [colourPng, { level: 0 }], 'b.png': depthPng, 'c.jpg': colourJpeg });
  return zip.slice(0, Math.floor(zip.length * 0.6));
}
