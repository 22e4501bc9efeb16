/**
 * Matching one feature vector against a feature field read row by row (any store: fp16, per
 * segment, float32), so the field is never expanded whole: the similarity of every row (to colour
 * a scene) and the k best rows (featureMatch's top-k on each chunk, merged).
 */
import { matchFeatures, type FeatureMatch } from './featureMatch.ts';

/** A feature field as rows: `readRows(first, n, out)` writes rows [first, first + n) as float32 into `out`. */
export interface FeatureRows {
  readonly count: number;
  readonly dim: number;
  readRows(first: number, n: number, out: Float32Array): void;
}

/** Rows read per chunk: 1024 rows of 512 floats = 2 MiB of scratch. */
const CHUNK_ROWS = 1024;

function forEachChunk(rows: FeatureRows, visit: (chunk: Float32Array, first: number, n: number) => void): void {
  const scratch = new Float32Array(CHUNK_ROWS * rows.dim);
  for (let first = 0; first < rows.count; first += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.count - first);
    const chunk = scratch.subarray(0, n * rows.dim);
    rows.readRows(first, n, chunk);
    visit(chunk, first, n);
  }
}

function checkDim(rows: FeatureRows, query: Float32Array): void {
  if (query.length !== rows.dim) throw new Error(`feature matching: the query feature is ${query.length}-d, the scene's features ${rows.dim}-d`);
}

/** Cosine similarity of every row to `query` (0 for zero rows). */
export function similarityToVector(rows: FeatureRows, query: Float32Array): Float32Array {
  checkDim(rows, query);
  const d = rows.dim;
  let qq = 0;
  for (let c = 0; c < d; c++) qq += query[c]! ** 2;
  const qInv = qq > 0 ? 1 / Math.sqrt(qq) : 0;
  const out = new Float32Array(rows.count);
  forEachChunk(rows, (chunk, first, n) => {
    for (let i = 0; i < n; i++) {
      let dot = 0,
        rr = 0;
      for (let c = 0; c < d; c++) {
        const v = chunk[i * d + c]!;
        dot += v * query[c]!;
        rr += v * v;
      }
      out[first + i] = rr > 0 ? (dot * qInv) / Math.sqrt(rr) : 0;
    }
  });
  return out;
}

/** The k rows most similar to `query` (cosine), best first; indices into the field. */
export function topMatches(rows: FeatureRows, query: Float32Array, k: number): FeatureMatch[] {
  checkDim(rows, query);
  let best: FeatureMatch[] = [];
  forEachChunk(rows, (chunk, first) => {
    const local = matchFeatures(query, chunk, rows.dim, k)[0]!.map((m) => ({ index: m.index + first, similarity: m.similarity }));
    // Stable merge: on equal similarity the earlier row stays first.
    best = [...best, ...local].sort((a, b) => b.similarity - a.similarity || a.index - b.index).slice(0, k);
  });
  return best;
}
