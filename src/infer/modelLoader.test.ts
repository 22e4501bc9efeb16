import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchModelBytes, sha256Hex, type LoadProgress } from './modelLoader.ts';

/** A response whose body arrives in `parts` chunks, like a large download. */
function chunkedResponse(bytes: Uint8Array, parts: number): Response {
  const size = Math.ceil(bytes.length / parts);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let o = 0; o < bytes.length; o += size) controller.enqueue(bytes.slice(o, o + size));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-length': String(bytes.length) } });
}

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const model = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 2654435761) >>> 24);
const url = new URL('https://models.example/tiny/model.onnx');

describe('fetchModelBytes', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('verifies a chunked download without WebCrypto (an insecure context has no crypto.subtle)', async () => {
    vi.stubGlobal('crypto', {});
    vi.stubGlobal('fetch', () => Promise.resolve(chunkedResponse(model, 7)));
    const events: LoadProgress[] = [];
    const bytes = await fetchModelBytes(url, { expectedSha256: nodeSha256(model), onProgress: (e) => events.push(e) });
    expect(bytes).toEqual(model);
    expect(events.filter((e) => e.status === 'progress')).toHaveLength(7);
    expect(events.at(-1)).toEqual({ status: 'ready', file: 'model.onnx', bytes: model.length });
  });

  it('refuses bytes whose streamed hash differs from the manifest, naming both hashes', async () => {
    const tampered = model.slice();
    tampered[123_456] = tampered[123_456]! ^ 1;
    vi.stubGlobal('fetch', () => Promise.resolve(chunkedResponse(tampered, 5)));
    await expect(fetchModelBytes(url, { expectedSha256: nodeSha256(model) })).rejects.toThrow(
      `${url.href}: sha256 mismatch (expected ${nodeSha256(model)}, found ${nodeSha256(tampered)})`,
    );
  });

  it('sha256Hex equals node:crypto on empty, short and multi-block inputs', async () => {
    for (const input of [new Uint8Array(0), new TextEncoder().encode('abc'), model]) expect(await sha256Hex(input)).toBe(nodeSha256(input));
  });
});
