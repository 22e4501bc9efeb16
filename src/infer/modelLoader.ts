/**
 * Fetches model files (ONNX, tokenizer.json) by URL with streaming progress and a sha256 check.
 * The same code loads the repo's tiny models (served beside the app) and real ones from a hub;
 * the CLI uses it too, with file:// URLs read through `readLocalFile`.
 */

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
}

export interface FetchOptions {
  /** Second visits load verified bytes from here, so the studio works offline. */
  readonly cache?: ModelBytesCache;
  readonly expectedSha256?: string;
  readonly onProgress?: (event: LoadProgress) => void;
  /** For file: URLs (the CLI's disk) and local: URLs (model files dropped on the page). */
  readonly readLocalFile?: (url: URL) => Promise<Uint8Array>;
  /**
   * Hex sha256 of the bytes; WebCrypto when absent. The CLI passes node:crypto's: under Node,
   * a WebCrypto digest started after onnxruntime-web has initialised waited ~30 s (measured).
   */
  readonly sha256?: (bytes: Uint8Array) => Promise<string>;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
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
  }
  let bytes: Uint8Array;
  if (url.protocol === 'file:' || url.protocol === 'local:') {
    // file: = the CLI's disk; local: = model files the user dropped on the page (held in memory).
    if (!options.readLocalFile) throw new Error(`${url.href}: ${url.protocol} URLs need a local file reader (the CLI, or files dropped on the page)`);
    bytes = await options.readLocalFile(url);
  } else {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`${url.href}: could not be fetched (${(error as Error).message})`, { cause: error });
    }
    if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status} ${response.statusText}`.trim());
    bytes = await readWithProgress(response, file, options.onProgress);
  }
  if (options.expectedSha256) {
    const actual = await hash(bytes);
    if (actual !== options.expectedSha256) {
      throw new Error(`${url.href}: sha256 mismatch (expected ${options.expectedSha256}, found ${actual}); the file is corrupt or not the model the manifest names`);
    }
    // Only verified bytes are cached; a failing cache (quota, private mode) costs nothing but speed.
    await options.cache?.put(url.href, bytes).catch(() => undefined);
  }
  options.onProgress?.({ status: 'ready', file, bytes: bytes.length });
  return bytes;
}

async function readWithProgress(response: Response, file: string, onProgress?: (e: LoadProgress) => void): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  const total = header ? Number(header) : null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.({ status: 'progress', file, loaded, total });
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
