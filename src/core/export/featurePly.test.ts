import { describe, expect, it } from 'vitest';
import { parsePly } from '../formats/ply.ts';
import { mulberry32 } from '../synth/prng.ts';
import { encodeFeaturePly } from './featurePly.ts';

describe('feature PLY', () => {
  it('reads back as the same points, colours and per-point features, with its origin comment', () => {
    const random = mulberry32(3);
    const count = 37;
    const dim = 16;
    const positions = Float32Array.from({ length: count * 3 }, () => random() * 4 - 2);
    const colors = Uint8Array.from({ length: count * 3 }, () => Math.floor(random() * 256));
    const features = Float32Array.from({ length: count * dim }, () => random() * 2 - 1);
    const bytes = encodeFeaturePly({ count, positions, colors, features, dim, provenance: { space: 'test-space', source: 'teacher' } });
    const read = parsePly(bytes, 'features.ply');
    expect(read.count).toBe(count);
    expect(Array.from(read.positions.subarray(0, count * 3))).toEqual(Array.from(positions));
    expect(Array.from(read.colors!.subarray(0, count * 3))).toEqual(Array.from(colors));
    expect(read.features?.dim).toBe(dim);
    expect(read.features?.names).toEqual(Array.from({ length: dim }, (_, d) => `feat_${d}`));
    expect(Array.from(read.features!.values)).toEqual(Array.from(features));
    expect(read.comments).toContain('fieldlens-features space=test-space source=teacher');
  });

  it('refuses a feature array shorter than count × dim', () => {
    expect(() =>
      encodeFeaturePly({
        count: 4,
        positions: new Float32Array(12),
        colors: new Uint8Array(12),
        features: new Float32Array(10),
        dim: 3,
        provenance: { space: 'x', source: 'file' },
      }),
    ).toThrow(/expected 4×3 feature values, found 10/);
  });
});
