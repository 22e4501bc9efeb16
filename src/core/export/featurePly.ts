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
  readonly provenance: FeatureProvenance;
}

/** Where per-point features came from; written as the PLY's `comment fieldlens-features …` line. */
export interface FeatureProvenance {
  /** The embedding space (a text model is only compared with features of its own space). */
  readonly space: string;
  readonly source: 'student' | 'teacher' | 'file';
  /** The student model's id. */
  readonly model?: string;
  /** The teacher's view fusion and method. */
  readonly fusion?: string;
  readonly method?: string;
}

/** `space=… source=… [model=…] [fusion=…] [method=…]`: the one writer of the provenance line, for the studio and the CLI. */
export function featureProvenanceComment(p: FeatureProvenance): string {
  const optional = (['model', 'fusion', 'method'] as const).flatMap((key) => (p[key] ? [`${key}=${p[key]}`] : []));
  return [`space=${p.space}`, `source=${p.source}`, ...optional].join(' ');
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
    {
      positions: input.positions.subarray(0, n * 3),
      colors: input.colors.subarray(0, n * 3),
      scalars,
      comments: [`fieldlens-features ${featureProvenanceComment(input.provenance)}`],
    },
    'binary_little_endian',
  );
}
