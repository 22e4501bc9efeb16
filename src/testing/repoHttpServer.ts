/**
 * An HTTP server over the repo's files (models/, public/demo/ …) for tests that fetch them as the
 * page and the worker do. Records each request path.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../node/repoPaths.ts';

export interface RepoHttpServer {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly origin: string;
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function serveRepoFiles(): Promise<RepoHttpServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    try {
      const bytes = readFileSync(join(repoRoot, decodeURIComponent((req.url ?? '').split('?')[0]!)));
      // No keep-alive: a socket idling past the server's timeout between tests would reset.
      res.writeHead(200, { 'Content-Length': bytes.length, Connection: 'close' });
      res.end(bytes);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
