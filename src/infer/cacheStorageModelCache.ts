/**
 * ModelBytesCache on the Cache Storage API (available in windows and workers on https and
 * localhost): a second visit loads models without the network. The loader re-verifies sha256.
 */
import type { ModelBytesCache } from './modelLoader.ts';

const CACHE_NAME = 'fieldlens-models-v1';

/** null where Cache Storage is unavailable (plain http on another host, some private modes). */
export function cacheStorageModelCache(): ModelBytesCache | null {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage) return null;
  return {
    async get(url) {
      const response = await (await storage.open(CACHE_NAME)).match(url);
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async has(url) {
      return (await (await storage.open(CACHE_NAME)).match(url)) !== undefined;
    },
    async delete(url) {
      await (await storage.open(CACHE_NAME)).delete(url);
    },
    async put(url, bytes) {
      await (
        await storage.open(CACHE_NAME)
      ).put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }));
    },
  };
}
