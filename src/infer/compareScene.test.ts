/**
 * Compare with…: a cloud with bring-your-own random features against a rigidly moved, shuffled copy
 * of itself. Each queried point's best match must be its moved twin (known by construction), with
 * similarity 1 and the twin's moved position; a copy in another feature dimension is refused.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { encodePly } from '../core/formats/plyEncode.ts';
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { asWorldPoints } from '../core/units.ts';
import { CompareScene } from './compareScene.ts';
import { SceneEngine } from './sceneEngine.ts';

const N = 2000;
const DIM = 24;
const noModels = () => Promise.reject(new Error('no model is needed for bring-your-own features'));

/** A fixed LCG, so the features are the same every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function scene(dim = DIM) {
  const next = random(5);
  const positions = Float32Array.from({ length: N * 3 }, () => next());
  const features = Float32Array.from({ length: N * dim }, () => next() - 0.5);
  return { positions, features };
}

/** Rotation 90° about z, then (1, 2, 0) m: (x, y, z) → (−y + 1, x + 2, z). */
const move = (x: number, y: number, z: number): [number, number, number] => [-y + 1, x + 2, z];

function movedCopyPly(positions: Float32Array, features: Float32Array, dim: number, order: readonly number[]): Uint8Array {
  const moved = new Float32Array(N * 3);
  const scalars = Array.from({ length: dim }, (_, c) => ({ name: `feat_${c}`, values: new Float32Array(N) }));
  order.forEach((source, i) => {
    moved.set(move(positions[3 * source]!, positions[3 * source + 1]!, positions[3 * source + 2]!), 3 * i);
    for (let c = 0; c < dim; c++) scalars[c]!.values[i] = features[source * dim + c]!;
  });
  return encodePly({ positions: moved, scalars }, 'binary_little_endian');
}

function mainEngine(): { engine: SceneEngine; cloud: PointCloud; positions: Float32Array } {
  const { positions, features } = scene();
  const cloud: PointCloud = {
    count: N,
    positions: asWorldPoints(positions),
    colors: new Uint8Array(N * 3),
    viewIndex: new Uint16Array(N),
    pixelIndex: new Uint32Array(N),
  };
  const engine = new SceneEngine(noModels);
  engine.setCloud(cloud, { dim: DIM, values: features, names: [] });
  return { engine, cloud, positions };
}

describe('CompareScene', () => {
  it('finds the moved twin of each queried point as the best match, in both directions', async () => {
    const { engine, cloud, positions } = mainEngine();
    const { features } = scene();
    // Shuffled: copy point i is main point order[i].
    const next = random(9);
    const order = Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const compare = new CompareScene(noModels);
    await compare.load([{ name: 'copy.ply', bytes: movedCopyPly(positions, features, DIM, order) }], DEFAULT_CAPTURE_SETTINGS, engine, 'copy.ply');
    const twinOf = new Map(order.map((source, i) => [source, i]));
    for (const q of [0, 17, 999, 1998]) {
      const result = await compare.match('main', q, 3, engine, cloud);
      const best = result.matches[0]!;
      expect(best.index).toBe(twinOf.get(q));
      expect(best.similarity).toBeCloseTo(1, 5);
      const [x, y, z] = move(positions[3 * q]!, positions[3 * q + 1]!, positions[3 * q + 2]!);
      expect(best.position[0]).toBeCloseTo(x, 5);
      expect(best.position[1]).toBeCloseTo(y, 5);
      expect(best.position[2]).toBeCloseTo(z, 5);
      expect(result.matches[1]!.similarity).toBeLessThan(0.99);
      // The picked point is most similar to itself in its own scene.
      expect(result.mainSimilarity[q]).toBeCloseTo(1, 5);
      expect(result.otherSimilarity[twinOf.get(q)!]).toBeCloseTo(1, 5);
    }
    const back = await compare.match('other', twinOf.get(42)!, 1, engine, cloud);
    expect(back.matches[0]!.index).toBe(42);
  });

  it('refuses a scene whose features have another dimension, keeping the one compared before', async () => {
    const { engine, positions } = mainEngine();
    const compare = new CompareScene(noModels);
    const narrow = scene(20);
    await expect(
      compare.load(
        [{ name: 'other.ply', bytes: movedCopyPly(positions, narrow.features, 20, [...Array(N).keys()]) }],
        DEFAULT_CAPTURE_SETTINGS,
        engine,
        'other.ply',
      ),
    ).rejects.toThrow(/other\.ply has 20-d features.*24-d.*same feature space/);
    expect(compare.current).toBeNull();
  });
});
