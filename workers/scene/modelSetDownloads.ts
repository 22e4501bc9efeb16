/**
 * Model sets in the scene worker: what each set would download on this device (and whether Cache
 * Storage already holds it), and the download of a whole set into Cache Storage before it is used,
 * cancellable, with per-file progress. A quota failure names the bytes needed and available.
 */
import { resolveModelSet, type ModelManifest } from '../../src/core/models/manifest.ts';
import { formatDownloadSize as mb, modelSetFiles, type ModelSetFile } from '../../src/core/models/modelSetScope.ts';
import { fetchModelBytes, ModelDownloadError, type LoadProgress, type ModelBytesCache } from '../../src/infer/modelLoader.ts';
import { hasShaderF16, resolveBackend, type BackendPreference } from '../../src/infer/ortRuntime.ts';
import type { ModelSetDownloadReport, ModelSetInfo } from './protocol.ts';

/** The files the loaders will fetch on this device (fp16 variants only where WebGPU runs fp16). */
async function filesOnThisDevice(manifest: ModelManifest, id: string, backend: BackendPreference): Promise<ModelSetFile[]> {
  const { text, image, student } = resolveModelSet(manifest, id);
  const needsDevice = [text, image, student].some((e) => e?.variants?.fp16);
  const resolved = needsDevice ? await resolveBackend(backend) : 'wasm';
  const shaderF16 = resolved === 'webgpu' && (await hasShaderF16());
  return modelSetFiles(manifest, id, () => ({ backend: resolved, shaderF16 }));
}

/** Files served by the studio itself come with the page: they never need the user's consent. */
const isBundled = (url: URL) => url.origin === self.location.origin;

export async function describeModelSets(
  manifest: ModelManifest,
  baseUrl: URL,
  backend: BackendPreference,
  cache: ModelBytesCache | null,
): Promise<ModelSetInfo[]> {
  const sets = manifest.modelSets ?? [];
  return Promise.all(
    sets.map(async (set) => {
      const files = await filesOnThisDevice(manifest, set.id, backend);
      let downloadBytes = 0;
      for (const f of files) {
        const url = new URL(f.file, baseUrl);
        if (isBundled(url) || (await cache?.has?.(url.href).catch(() => false))) continue;
        downloadBytes += f.bytes ?? 0;
      }
      const bundled = files.every((f) => isBundled(new URL(f.file, baseUrl)));
      return {
        id: set.id,
        bundled,
        label: set.label,
        space: set.space,
        totalBytes: set.totalBytes,
        downloadBytes,
        hasStudent: set.student !== undefined,
        isDefault: set.id === manifest.defaultModelSet,
      };
    }),
  );
}

/** A cache write refused for lack of space, as a message with the figures (navigator.storage.estimate). */
async function quotaError(url: string, needed: number, cause: unknown): Promise<Error> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  const available = estimate?.quota !== undefined ? Math.max(0, estimate.quota - (estimate.usage ?? 0)) : null;
  const figures = available === null ? `${mb(needed)} needed` : `${mb(needed)} needed, ${mb(available)} available`;
  return new ModelDownloadError(`${url}: browser storage is full — ${figures}; free some space (or allow this site more) and retry`, 'quota', { cause });
}

const isQuotaError = (error: unknown) => error instanceof DOMException && error.name === 'QuotaExceededError';

export interface DownloadOptions {
  readonly backend: BackendPreference;
  readonly cache: ModelBytesCache | null;
  readonly signal: AbortSignal;
  readonly onProgress?: (event: LoadProgress) => void;
  readonly stallTimeoutMs?: number;
}

/**
 * Downloads (or re-verifies from the cache) every file of set `id` and keeps it in Cache Storage,
 * one file at a time so at most one model is held in memory. A cached file whose hash no longer
 * matches is evicted and downloaded again; the report lists those.
 */
export async function downloadModelSet(manifest: ModelManifest, baseUrl: URL, id: string, options: DownloadOptions): Promise<ModelSetDownloadReport> {
  const files = await filesOnThisDevice(manifest, id, options.backend);
  const evicted: string[] = [];
  const remaining = (from: number) => files.slice(from).reduce((n, f) => n + (f.bytes ?? 0), 0);
  for (const [i, f] of files.entries()) {
    const url = new URL(f.file, baseUrl);
    try {
      await fetchModelBytes(url, {
        expectedSha256: f.sha256,
        ...(f.bytes !== undefined ? { expectedBytes: f.bytes } : {}),
        ...(options.cache && !isBundled(url) ? { cache: options.cache, requireCache: true } : {}),
        signal: options.signal,
        ...(options.stallTimeoutMs !== undefined ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        onCorruptCache: (href) => evicted.push(href),
      });
    } catch (error) {
      throw isQuotaError(error) ? await quotaError(url.href, remaining(i), error) : error;
    }
  }
  return { files: files.length, bytes: remaining(0), evicted };
}
