/**
 * Checks for manifest entries that point at published models by URL: the structural part (no
 * network) used by `npm run models:verify` and by the unit tests, and the streaming hash check
 * the script runs when the network is reachable.
 */
import { createHash } from 'node:crypto';
import type { ModelEntry, TensorSignature } from '../../src/core/models/manifest.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One file the manifest names by URL, with what its bytes must be. */
export interface PinnedFile {
  readonly label: string;
  readonly url: string;
  readonly sha256: string;
  readonly bytes: number;
}

export const isRemote = (file: string): boolean => /^https:\/\//.test(file);

/** Every URL file of an entry: the model, its fp16 variant, its tokenizer. */
export function pinnedFiles(entry: ModelEntry): PinnedFile[] {
  const files: PinnedFile[] = [];
  if (isRemote(entry.file)) files.push({ label: `${entry.id} (fp32)`, url: entry.file, sha256: entry.sha256, bytes: entry.bytes });
  const fp16 = entry.variants?.fp16;
  if (fp16 && isRemote(fp16.file)) files.push({ label: `${entry.id} (fp16)`, url: fp16.file, sha256: fp16.sha256, bytes: fp16.bytes });
  const tok = entry.tokenizer;
  if (tok && isRemote(tok.file)) files.push({ label: `${entry.id} tokenizer`, url: tok.file, sha256: tok.sha256, bytes: tok.bytes ?? 0 });
  return files;
}

const sameSignature = (a: readonly TensorSignature[], b: readonly TensorSignature[]): boolean => JSON.stringify(a) === JSON.stringify(b);
const describe = (sigs: readonly TensorSignature[]): string => sigs.map((s) => `${s.name} ${s.dtype} [${s.shape.join(', ')}]`).join(', ');

/** The standard ONNX export layout of a CLIP encoder with `dim`-dimensional embeddings. */
function expectedSignature(entry: ModelEntry): { inputs: TensorSignature[]; outputs: TensorSignature[] } | null {
  const dim = entry.embeddingDim;
  if (entry.kind === 'clip-text') {
    const ctx = entry.tokenizer?.contextLength ?? 77;
    return {
      inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', ctx] }],
      outputs: [{ name: 'text_embeds', dtype: 'float32', shape: ['batch', dim] }],
    };
  }
  if (entry.kind === 'clip-image') {
    const size = entry.imagePreprocess?.size ?? 224;
    return {
      inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, size, size] }],
      outputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', dim] }],
    };
  }
  return null;
}

/** Problems with a URL entry that need no network; empty when it is well-formed. */
export function structuralProblems(entry: ModelEntry): string[] {
  const problems: string[] = [];
  for (const f of pinnedFiles(entry)) {
    if (!SHA256_HEX.test(f.sha256)) problems.push(`${f.label}: sha256 must be 64 lowercase hex digits, found ${JSON.stringify(f.sha256)}`);
    if (!Number.isInteger(f.bytes) || f.bytes <= 0) problems.push(`${f.label}: byte size must be a positive integer, found ${f.bytes}`);
    if (!/\/resolve\/[0-9a-f]{40}\//.test(f.url)) problems.push(`${f.label}: URL must pin an immutable 40-hex revision (resolve/<commit>/…): ${f.url}`);
  }
  const expected = expectedSignature(entry);
  if (expected && !sameSignature(entry.inputs, expected.inputs))
    problems.push(`${entry.id}: inputs ${describe(entry.inputs)}, expected ${describe(expected.inputs)}`);
  if (expected && !sameSignature(entry.outputs, expected.outputs))
    problems.push(`${entry.id}: outputs ${describe(entry.outputs)}, expected ${describe(expected.outputs)}`);
  if (
    entry.kind === 'clip-text' &&
    entry.tokenizer &&
    (entry.tokenizer.startId !== 49406 || entry.tokenizer.endId !== 49407 || entry.tokenizer.contextLength !== 77)
  ) {
    problems.push(`${entry.id}: a CLIP tokenizer has start 49406, end 49407, context 77`);
  }
  if (entry.kind === 'clip-image' && !entry.imagePreprocess) problems.push(`${entry.id}: a clip-image model needs "imagePreprocess"`);
  return problems;
}

export type HashOutcome =
  { readonly status: 'ok' } | { readonly status: 'mismatch'; readonly detail: string } | { readonly status: 'skipped'; readonly detail: string };

/** Streams the URL through sha256 (never holding the whole file); 'skipped' when unreachable. */
export async function verifyPinnedFile(file: PinnedFile, fetchImpl: typeof fetch = fetch): Promise<HashOutcome> {
  let response: Response;
  // The timeout covers reaching the server only: a 350 MB body may take minutes.
  const connect = new AbortController();
  const timer = setTimeout(() => connect.abort(new Error('no response within 15 s')), 15_000);
  try {
    response = await fetchImpl(file.url, { signal: connect.signal });
  } catch (error) {
    return { status: 'skipped', detail: `network unreachable (${(error as Error).message})` };
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) return { status: 'mismatch', detail: `HTTP ${response.status}` };
  const hash = createHash('sha256');
  let bytes = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    bytes += value.length;
  }
  const sha256 = hash.digest('hex');
  if (bytes !== file.bytes) return { status: 'mismatch', detail: `${bytes} bytes, expected ${file.bytes}` };
  if (sha256 !== file.sha256) return { status: 'mismatch', detail: `sha256 ${sha256}, expected ${file.sha256}` };
  return { status: 'ok' };
}
