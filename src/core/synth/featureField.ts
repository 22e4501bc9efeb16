/**
 * Synthetic per-point feature fields for matching tests and benchmarks: points on the surfaces of a
 * few boxes (metres), each with a feature that is its object's base direction plus a smooth spatial
 * variation (a few random sinusoids of position along random directions) plus a little per-point
 * noise — feature continuity in space, as distilled feature fields have. Deterministic from the seed.
 */
import { encodeHalves } from '../features/float16.ts';
import { mixSeeds, mulberry32 } from './prng.ts';

export interface SyntheticFeatureField {
  readonly count: number;
  /** xyz metres; length 3·count. */
  readonly positions: Float32Array;
  /** [count, dim] row-major: float32, or binary16 bits with `halves: true`. */
  readonly features: Float32Array;
  readonly halves: Uint16Array | null;
  readonly dim: number;
  /** Object of each point. */
  readonly objectOfPoint: Int32Array;
}

export interface FeatureFieldOptions {
  readonly count: number;
  readonly dim: number;
  readonly objects?: number;
  /** Weight of the smooth spatial variation against the unit base direction. */
  readonly variation?: number;
  /** Per-point noise per dimension (default 0.1/√dim: a noise vector of norm ≈ 0.1). */
  readonly noise?: number;
  readonly seed?: number;
  /** Store the features as binary16 bits only (`features` is then empty): 1 M × 512 in 1 GiB. */
  readonly halves?: boolean;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function unitVector(random: () => number, dim: number): Float32Array {
  const v = Float32Array.from({ length: dim }, () => gaussian(random));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** The feature of a point at `p` on object `o` (without noise), written to `out`. */
export type FeatureAt = (o: number, x: number, y: number, z: number, out: Float32Array) => void;

export function featureFieldFunction(dim: number, objects: number, variation: number, seed: number): FeatureAt {
  const random = mulberry32(mixSeeds(seed, 0x5eed));
  const bases = Array.from({ length: objects }, () => unitVector(random, dim));
  const waves = Array.from({ length: 6 }, () => ({
    k: [gaussian(random) * 6, gaussian(random) * 6, gaussian(random) * 6],
    phase: random() * 2 * Math.PI,
    direction: unitVector(random, dim),
  }));
  return (o, x, y, z, out) => {
    out.set(bases[o]!);
    for (const w of waves) {
      const a = (variation * Math.sin(w.k[0]! * x + w.k[1]! * y + w.k[2]! * z + w.phase)) / Math.sqrt(waves.length);
      for (let d = 0; d < dim; d++) out[d] = out[d]! + a * w.direction[d]!;
    }
  };
}

export function syntheticFeatureField(o: FeatureFieldOptions): SyntheticFeatureField {
  const { count, dim } = o;
  const objects = o.objects ?? 8;
  const noise = o.noise ?? 0.1 / Math.sqrt(dim);
  const seed = o.seed ?? 1;
  const featureAt = featureFieldFunction(dim, objects, o.variation ?? 0.5, seed);
  const random = mulberry32(mixSeeds(seed, 0xf1e1d));
  // Boxes of 10–40 cm side on a 2 m × 2 m floor.
  const boxes = Array.from({ length: objects }, () => ({
    centre: [random() * 2 - 1, random() * 2 - 1, 0.3],
    size: [0.1 + 0.3 * random(), 0.1 + 0.3 * random(), 0.1 + 0.3 * random()],
  }));
  const positions = new Float32Array(3 * count);
  const features = new Float32Array(o.halves ? 0 : count * dim);
  const halves = o.halves ? new Uint16Array(count * dim) : null;
  const objectOfPoint = new Int32Array(count);
  const row = new Float32Array(dim);
  for (let i = 0; i < count; i++) {
    const b = Math.floor((i * objects) / count);
    const box = boxes[b]!;
    // A point on the box surface: pick a face axis, pin it to ±half size, the other two uniform.
    const axis = Math.floor(random() * 3);
    const p = [0, 1, 2].map((a) => box.centre[a]! + (a === axis ? (random() < 0.5 ? -0.5 : 0.5) : random() - 0.5) * box.size[a]!);
    positions.set(p, 3 * i);
    featureAt(b, p[0]!, p[1]!, p[2]!, row);
    for (let d = 0; d < dim; d++) row[d] = row[d]! + noise * gaussian(random);
    if (halves) encodeHalves(row, halves.subarray(i * dim, (i + 1) * dim));
    else features.set(row, i * dim);
    objectOfPoint[i] = b;
  }
  return { count, positions, features, halves, dim, objectOfPoint };
}
