import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchModelBytes, ModelDownloadError, sha256Hex, type LoadProgress, type ModelBytesCache } from './modelLoader.ts';

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

  it('refuses a body shorter than the manifest declares as truncated, with both sizes', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(chunkedResponse(model.slice(0, 1000), 2)));
    const failure = fetchModelBytes(url, { expectedSha256: nodeSha256(model), expectedBytes: model.length });
    await expect(failure).rejects.toThrow(`${url.href}: truncated — received 1,000 bytes, the manifest declares 300,001`);
    await expect(failure).rejects.toMatchObject({ failure: 'truncated' });
  });

  /** A response that sends `first` bytes and then nothing, until the request is aborted. */
  function stallingFetch(first: number) {
    return (_input: unknown, init?: RequestInit) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(model.slice(0, first));
          init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return Promise.resolve(new Response(body, { headers: { 'content-length': String(model.length) } }));
    };
  }

  it('ends a download that stalls mid-stream after the stall timeout, naming it', async () => {
    vi.stubGlobal('fetch', stallingFetch(4096));
    const events: LoadProgress[] = [];
    const failure = fetchModelBytes(url, { expectedSha256: nodeSha256(model), stallTimeoutMs: 50, onProgress: (e) => events.push(e) });
    await expect(failure).rejects.toThrow(`${url.href}: download stalled — no data for 0 s`);
    await expect(failure).rejects.toBeInstanceOf(ModelDownloadError);
    expect(events.find((e) => e.status === 'progress')).toEqual({ status: 'progress', file: 'model.onnx', loaded: 4096, total: model.length });
  });

  it("stops when the caller's signal aborts (cancel)", async () => {
    vi.stubGlobal('fetch', stallingFetch(10));
    const abort = new AbortController();
    const failure = fetchModelBytes(url, { signal: abort.signal, stallTimeoutMs: 60_000 });
    setTimeout(() => abort.abort(), 10);
    await expect(failure).rejects.toMatchObject({ failure: 'cancelled', message: `${url.href}: download cancelled` });
  });

  it('evicts a cached copy whose hash no longer matches and downloads again', async () => {
    const store = new Map<string, Uint8Array>([[url.href, new Uint8Array([1, 2, 3])]]);
    const cache: ModelBytesCache = {
      get: (key) => Promise.resolve(store.get(key) ?? null),
      put: (key, bytes) => Promise.resolve(void store.set(key, bytes)),
      delete: (key) => Promise.resolve(void store.delete(key)),
    };
    const deleted = vi.spyOn(cache, 'delete');
    vi.stubGlobal('fetch', () => Promise.resolve(chunkedResponse(model, 3)));
    const corrupt: string[] = [];
    const bytes = await fetchModelBytes(url, { cache, expectedSha256: nodeSha256(model), onCorruptCache: (u) => corrupt.push(u) });
    expect(bytes).toEqual(model);
    expect(deleted).toHaveBeenCalledWith(url.href);
    expect(corrupt).toEqual([url.href]);
    expect(store.get(url.href)).toEqual(model);
  });

  it('a cache write that fails (quota) is thrown when the cache is required, ignored otherwise', async () => {
    const quota = new DOMException('quota', 'QuotaExceededError');
    const cache: ModelBytesCache = { get: () => Promise.resolve(null), put: () => Promise.reject(quota) };
    vi.stubGlobal('fetch', () => Promise.resolve(chunkedResponse(model, 2)));
    await expect(fetchModelBytes(url, { cache, expectedSha256: nodeSha256(model), requireCache: true })).rejects.toBe(quota);
    await expect(fetchModelBytes(url, { cache, expectedSha256: nodeSha256(model) })).resolves.toEqual(model);
  });
});
