/**
 * A tiny static file server for the production build, as a plain static host would serve it:
 * dist/ under a sub-path (e.g. /lab/demo/), with or without the COOP/COEP headers. Used by the
 * sub-path end-to-end test and the browser benchmarks.
 *
 *   npx tsx src/node/staticServer.ts [--base /lab/demo/] [--no-isolation] [--port 8080]
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './repoPaths.ts';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServerOptions {
  /** Folder to serve (the build). */
  readonly root: string;
  /** URL path the site lives under, starting and ending with "/". */
  readonly base: string;
  /** Send Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy (threaded WASM needs them). */
  readonly isolation: boolean;
  /** Let pages of other origins fetch the files (CORS, and CORP for cross-origin-isolated pages). */
  readonly cors?: boolean;
  /** 0 = any free port. */
  readonly port?: number;
}

export interface StaticServer {
  /** The site's address, ending with the base path. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (!path.startsWith(options.base)) {
      res.writeHead(404).end('not under the base path');
      return;
    }
    let file = normalize(join(root, path.slice(options.base.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(statSync(file).size),
      // As a static host should send it: the header form also covers the workers.
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    };
    if (options.isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (options.cors) {
      headers['Access-Control-Allow-Origin'] = '*';
      headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.base}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const server = await startStaticServer({
    root: join(repoRoot, 'dist'),
    base: arg('--base') ?? '/lab/demo/',
    isolation: !process.argv.includes('--no-isolation'),
    port: Number(arg('--port') ?? 8080),
  });
  console.log(`serving dist/ at ${server.url}`);
}
