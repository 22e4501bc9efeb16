/**
 * Fetches model files (ONNX, tokenizer.json) by URL with streaming progress and a sha256 check.
 * The same code loads the repo's tiny models (served beside the app) and real ones from a hub;
 * the CLI uses it too, with file:// URLs read through `readLocalFile`.
 *
 * Hashing is hash-wasm's sha256, not WebCrypto: `crypto.subtle` exists only in secure contexts,
 * so a studio served over plain HTTP from a lab server or LAN address could not verify a model.
 * Fetched files are hashed chunk by chunk as they arrive, so a large model costs no extra pass.
 */
import { createSHA256, sha256 } from 'hash-wasm';

/** Progress events, as a discriminated union the UI renders directly. */
export type LoadProgress =
  | { readonly status: 'initiate'; readonly file: string }
  | { readonly status: 'progress'; readonly file: string; readonly loaded: number; readonly total: number | null }
  | { readonly status: 'ready'; readonly file: string; readonly bytes: number };

/**
 * Where verified model bytes are kept between visits (Cache Storage in the worker). Entries are
 * trusted only after their sha256 matches the manifest again.
 */
export interface ModelBytesCache {
  get(url: string): Promise<Uint8Array | null>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  /** Removes an entry (a corrupt one, so it is not read again). */
  delete?(url: string): Promise<void>;
  /** Whether an entry exists, without reading it (its hash is checked when it is loaded). */
  has?(url: string): Promise<boolean>;
}

/**
 * Why a download failed, for the UI (a stalled or interrupted download offers a retry). The
 * message always names the URL and what was expected and found.
 */
export type DownloadFailure = 'http' | 'network' | 'truncated' | 'hash' | 'stalled' | 'cancelled' | 'quota';

export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly failure: DownloadFailure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ModelDownloadError';
  }
}

/** No byte for this long (before the response or mid-stream) ends a download as stalled. */
export const DEFAULT_STALL_TIMEOUT_MS = 15_000;

export interface FetchOptions {
  /** Second visits load verified bytes from here, so the studio works offline. */
  readonly cache?: ModelBytesCache;
  readonly expectedSha256?: string;
  readonly onProgress?: (event: LoadProgress) => void;
  /** For file: URLs (the CLI's disk) and local: URLs (model files dropped on the page). */
  readonly readLocalFile?: (url: URL) => Promise<Uint8Array>;
  /**
   * Hex sha256 of the bytes; hash-wasm's (streamed during the download) when absent. The CLI
   * passes node:crypto's (native, and the fastest under Node).
   */
  readonly sha256?: (bytes: Uint8Array) => Promise<string>;
  /** Byte size the manifest declares: a shorter or longer body is refused as truncated / wrong. */
  readonly expectedBytes?: number;
  /** Aborts the download (the user cancelled it). */
  readonly signal?: AbortSignal;
  /** No byte for this long ends the download as stalled (default DEFAULT_STALL_TIMEOUT_MS). */
  readonly stallTimeoutMs?: number;
  /** Cache write failures (quota) are thrown instead of ignored: a download meant for later visits. */
  readonly requireCache?: boolean;
  /** Hears that a cached copy failed its hash check and was evicted before downloading again. */
  readonly onCorruptCache?: (url: string) => void;
}

/** Hex sha256 in any context (secure or not, browser or Node). */
export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return sha256(bytes);
}

/** Feeds downloaded chunks to a hash as they arrive; `digest` is the hex sha256 of them all. */
interface StreamingHash {
  update(chunk: Uint8Array): void;
  digest(): Promise<string>;
}

async function streamingSha256(): Promise<StreamingHash> {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (chunk) => void hasher.update(chunk), digest: () => Promise.resolve(hasher.digest('hex')) };
}

/** A caller's one-shot hash, applied to the assembled bytes. */
function oneShot(hash: (bytes: Uint8Array) => Promise<string>): () => Promise<StreamingHash> {
  return () => {
    const chunks: Uint8Array[] = [];
    return Promise.resolve({ update: (chunk) => void chunks.push(chunk), digest: () => hash(concatChunks(chunks)) });
  };
}

export async function fetchModelBytes(url: URL, options: FetchOptions = {}): Promise<Uint8Array> {
  const file = url.pathname.split('/').pop() ?? url.href;
  options.onProgress?.({ status: 'initiate', file });
  const hash = options.sha256 ?? sha256Hex;
  if (options.cache && options.expectedSha256) {
    const cached = await options.cache.get(url.href).catch(() => null);
    // A cached entry that no longer matches (corrupt, or the manifest moved on) is fetched again.
    if (cached && (await hash(cached)) === options.expectedSha256) {
      options.onProgress?.({ status: 'ready', file, bytes: cached.length });
      return cached;
    }
    if (cached) {
      await options.cache.delete?.(url.href).catch(() => undefined);
      options.onCorruptCache?.(url.href);
    }
  }
  let bytes: Uint8Array;
  let actual: Promise<string> | null = null;
  if (url.protocol === 'file:' || url.protocol === 'local:') {
    // file: = the CLI's disk; local: = model files the user dropped on the page (held in memory).
    if (!options.readLocalFile) throw new Error(`${url.href}: ${url.protocol} URLs need a local file reader (the CLI, or files dropped on the page)`);
    bytes = await options.readLocalFile(url);
    if (options.expectedSha256) actual = hash(bytes);
  } else {
    const hasher = options.expectedSha256 ? await (options.sha256 ? oneShot(options.sha256) : streamingSha256)() : null;
    bytes = await download(url, file, options, hasher);
    actual = hasher?.digest() ?? null;
  }
  if (options.expectedBytes !== undefined && bytes.length !== options.expectedBytes) {
    const what = bytes.length < options.expectedBytes ? 'truncated' : 'longer than expected';
    throw new ModelDownloadError(
      `${url.href}: ${what} — received ${bytes.length.toLocaleString('en')} bytes, the manifest declares ${options.expectedBytes.toLocaleString('en')}`,
      'truncated',
    );
  }
  if (options.expectedSha256) {
    const found = await actual;
    if (found !== options.expectedSha256) {
      throw new ModelDownloadError(
        `${url.href}: sha256 mismatch (expected ${options.expectedSha256}, found ${found}); the file is corrupt or not the model the manifest names`,
        'hash',
      );
    }
    // Only verified bytes are cached; a failing cache (quota, private mode) costs nothing but speed.
    const stored = options.cache?.put(url.href, bytes);
    if (options.requireCache) await stored;
    else await stored?.catch(() => undefined);
  }
  options.onProgress?.({ status: 'ready', file, bytes: bytes.length });
  return bytes;
}

/**
 * Fetches `url` and reads its body with progress, aborting when the caller's signal fires or no
 * byte arrives for the stall timeout (before the response or mid-stream).
 */
async function download(url: URL, file: string, options: FetchOptions, hasher: StreamingHash | null): Promise<Uint8Array> {
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const controller = new AbortController();
  let failure: DownloadFailure | null = null;
  const abort = (why: DownloadFailure) => {
    failure ??= why;
    controller.abort();
  };
  const onCancel = () => abort('cancelled');
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loaded = 0;
  let total: number | null = null;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort('stalled'), stallMs);
  };
  const explain = (error: unknown): ModelDownloadError => {
    if (error instanceof ModelDownloadError) return error;
    if (failure === 'cancelled') return new ModelDownloadError(`${url.href}: download cancelled`, 'cancelled', { cause: error });
    if (failure === 'stalled')
      return new ModelDownloadError(`${url.href}: download stalled — no data for ${(stallMs / 1000).toFixed(0)} s`, 'stalled', { cause: error });
    if (total !== null && loaded > 0 && loaded < total) {
      const figures = `received ${loaded.toLocaleString('en')} of ${total.toLocaleString('en')} bytes`;
      return new ModelDownloadError(`${url.href}: truncated — the connection ended after ${figures}`, 'truncated', { cause: error });
    }
    return new ModelDownloadError(`${url.href}: could not be fetched (${(error as Error).message})`, 'network', { cause: error });
  };
  try {
    touch();
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok) throw new ModelDownloadError(`${url.href}: HTTP ${response.status} ${response.statusText}`.trim(), 'http');
    const header = response.headers.get('content-length');
    total = header ? Number(header) : (options.expectedBytes ?? null);
    if (!response.body) {
      const whole = new Uint8Array(await response.arrayBuffer());
      hasher?.update(whole);
      return whole;
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      touch();
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      hasher?.update(value);
      loaded += value.length;
      options.onProgress?.({ status: 'progress', file, loaded, total });
    }
    return concatChunks(chunks);
  } catch (error) {
    throw explain(error);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
