/**
 * Per-point features as a PLY: x y z (float, metres) r g b (uchar) + feat_0 … feat_{D−1} (float)
 * and one `comment fieldlens-features space=… source=…` line — the bring-your-own-features layout
 * that the studio and `fieldlens query` read back (ply.ts keeps extra scalar properties as features).
 * Written by `fieldlens teacher` and by the studio's "Features PLY" export.
 */
import { encodePly } from '../formats/plyEncode.ts';

export interface FeaturePlyInput {
  readonly count: number;
  /** [count·3] world metres. */
  readonly positions: Float32Array;
  /** [count·3] 0–255. */
  readonly colors: Uint8Array;
  /** Row-major [count, dim]. */
  readonly features: Float32Array;
  readonly dim: number;
  /** Where the features came from: `space=… source=…` and anything else, one line. */
  readonly comment: string;
}

export function encodeFeaturePly(input: FeaturePlyInput): Uint8Array {
  const { count: n, dim, features } = input;
  if (features.length < n * dim) throw new Error(`feature PLY: expected ${n}×${dim} feature values, found ${features.length}`);
  const scalars = Array.from({ length: dim }, (_, d) => {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = features[i * dim + d]!;
    return { name: `feat_${d}`, values };
  });
  return encodePly(
    { positions: input.positions.subarray(0, n * 3), colors: input.colors.subarray(0, n * 3), scalars, comments: [`fieldlens-features ${input.comment}`] },
    'binary_little_endian',
  );
}
