/**
 * Seeded pseudo-random numbers for the procedural renderer. Everything synthetic in FieldLens must be
 * reproducible bit for bit (the demo scene is committed and compared byte for byte), so nothing here
 * may touch Math.random or the clock.
 */

/** A generator of uniform numbers in [0, 1), advanced by each call. */
export type UniformRandom = () => number;

/**
 * mulberry32: a 32-bit state generator, fast and good enough for jitter and texture noise
 * (not for cryptography). Uses only integer ops, so it gives the same stream on every JS engine.
 */
export function mulberry32(seed: number): UniformRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes several integers into one 32-bit seed (murmur3-style finaliser per value), so that e.g.
 * (scene seed, view index) pairs give unrelated noise streams instead of shifted copies.
 */
export function mixSeeds(...values: readonly number[]): number {
  let hash = 0x9e3779b9;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    hash ^= k;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Uniform number in [min, max) drawn from `random`. */
export function uniformBetween(random: UniformRandom, min: number, max: number): number {
  return min + (max - min) * random();
}
