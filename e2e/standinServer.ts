/**
 * A local model host for the stand-ins: serves a stand-in folder (manifest.json, onnx/*.onnx,
 * tokenizer.json) under the path layout of the pinned production URLs
 * (/<repo>/resolve/<revision>/…, as on the hub), on another origin than the studio (so the studio
 * treats it as a download: consent, progress, Cache Storage). Bodies stream from disk with CORS
 * headers; every request is recorded.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { CLIP_B32_REPO, CLIP_B32_REVISION } from '../models/build/productionModels.ts';

export interface StandinHost {
  /** The stand-ins' manifest.json on this host (its model paths resolve beside it). */
  readonly manifestUrl: string;
  /** The URL of a file served beside the manifest. */
  url(file: string): string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface StandinServeOptions {
  /** Rewrites the folder's manifest.json before serving it (e.g. keeps one tower of the set). */
  readonly manifest?: (manifest: Record<string, unknown>) => Record<string, unknown>;
  /** More files served beside the manifest (name → bytes), e.g. a scene for `?scene=`. */
  readonly files?: ReadonlyMap<string, Uint8Array>;
}

export async function serveStandins(dir: string, options: StandinServeOptions = {}): Promise<StandinHost> {
  const prefix = `/${CLIP_B32_REPO}/resolve/${CLIP_B32_REVISION}/`;
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url!, 'http://host').pathname);
    requests.push(path);
    const headers = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
    const relative = path.startsWith(prefix) ? normalize(path.slice(prefix.length)) : null;
    const file = relative && !relative.startsWith('..') ? join(dir, relative) : null;
    const generated =
      relative === 'manifest.json' && options.manifest
        ? Buffer.from(JSON.stringify(options.manifest(JSON.parse(readFileSync(join(dir, relative), 'utf8')) as Record<string, unknown>)))
        : relative
          ? options.files?.get(relative)
          : undefined;
    if (generated) {
      response.writeHead(200, { ...headers, 'content-length': String(generated.length), 'content-type': 'application/octet-stream' });
      response.end(generated);
      return;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, headers).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(statSync(file).size), 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    manifestUrl: `${origin}${prefix}manifest.json`,
    url: (file) => `${origin}${prefix}${file}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
