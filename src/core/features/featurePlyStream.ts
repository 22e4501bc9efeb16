/**
 * The feature PLY of core/export/featurePly.ts (x y z, r g b, feat_0 … feat_{D−1}, binary little
 * endian) written from a compact store, expanding rows chunk by chunk: the parts concatenate to
 * exactly the bytes `encodeFeaturePly` writes for the expanded float32 field, but no more than
 * one chunk of rows (and its bytes) exists at a time. Write the parts to a file one by one, or
 * hand them to `new Blob(parts)` in the browser.
 */
import { encodePly } from '../formats/plyEncode.ts';
import { forEachRowChunk, type CompactFeatures } from './featureStores.ts';
import { featureProvenanceComment, type FeatureProvenance } from '../export/featurePly.ts';

export interface StreamedFeaturePly {
  /** [count·3] world metres. */
  readonly positions: Float32Array;
  /** [count·3] 0–255. */
  readonly colors: Uint8Array;
  readonly features: CompactFeatures;
  /** Where the features came from (written by featureProvenanceComment, as encodeFeaturePly does). */
  readonly provenance: FeatureProvenance;
}

/** Rows per part: 4096 rows of 512 features = 8 MiB of PLY bytes. */
const PART_ROWS = 4096;

/** The PLY as parts: the header, then one part per chunk of rows. */
export function featurePlyParts(input: StreamedFeaturePly, partRows = PART_ROWS): Uint8Array[] {
  const parts: Uint8Array[] = [];
  writeFeaturePly(input, (part) => parts.push(part), partRows);
  return parts;
}

/** Calls `write` with each part in order; `write` may keep or copy it (a fresh buffer per part). */
export function writeFeaturePly(input: StreamedFeaturePly, write: (part: Uint8Array) => void, partRows = PART_ROWS): void {
  const { features: store, positions, colors } = input;
  const n = store.pointCount;
  const dim = store.dim;
  if (positions.length < n * 3 || colors.length < n * 3) throw new Error(`feature PLY: positions and colours must cover the ${n} points of the features`);
  write(header(n, dim, featureProvenanceComment(input.provenance)));
  const stride = 12 + 3 + 4 * dim;
  forEachRowChunk(
    store,
    (rows, first, count) => {
      const bytes = new Uint8Array(count * stride);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < count; i++) {
        const p = first + i;
        let o = i * stride;
        for (let c = 0; c < 3; c++, o += 4) view.setFloat32(o, positions[p * 3 + c]!, true);
        for (let c = 0; c < 3; c++, o++) bytes[o] = colors[p * 3 + c]!;
        for (let d = 0; d < dim; d++, o += 4) view.setFloat32(o, rows[i * dim + d]!, true);
      }
      write(bytes);
    },
    partRows,
  );
}

/** encodePly's own header for this layout (written for zero points, then given the real count). */
function header(count: number, dim: number, comment: string): Uint8Array {
  const scalars = Array.from({ length: dim }, (_, d) => ({ name: `feat_${d}`, values: new Float32Array(0) }));
  const empty = new TextDecoder().decode(
    encodePly({ positions: new Float32Array(0), colors: new Uint8Array(0), scalars, comments: [`fieldlens-features ${comment}`] }, 'binary_little_endian'),
  );
  return new TextEncoder().encode(empty.replace('\nelement vertex 0\n', `\nelement vertex ${count}\n`));
}
