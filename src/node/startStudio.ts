/**
 * `npm start`: the Vite dev server with the bundled demo scene, and the studio's address printed
 * plainly. A browser is opened only where one can be (a desktop session); on a headless machine
 * (SSH, a container, a lab server) `vite --open` fails quietly, so the address line is what the
 * user needs to see.
 */
import { parseArgs } from 'node:util';
import { createServer } from 'vite';

const { values: args } = parseArgs({
  options: { host: { type: 'string' }, port: { type: 'string' } },
  allowPositionals: false,
});

const hasDesktop = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

const server = await createServer({
  server: {
    open: hasDesktop,
    // `--host` alone listens on every interface (as Vite's own flag); `--host ADDR` on one.
    ...(args.host !== undefined ? { host: args.host === '' ? true : args.host } : {}),
    ...(args.port !== undefined ? { port: Number(args.port) } : {}),
  },
});
await server.listen();
const urls = [...(server.resolvedUrls?.local ?? []), ...(server.resolvedUrls?.network ?? [])];
const address = urls[0] ?? `http://localhost:${server.config.server.port ?? 5173}/`;
console.log('');
console.log(`  FieldLens studio (demo scene): ${address}`);
console.log(hasDesktop ? '  Opening it in your browser…' : '  No desktop session found: open that address in a browser (Chromium or Chrome for WebGPU).');
for (const other of urls.slice(1)) console.log(`  also at ${other}`);
if (args.host === undefined) console.log("  Other machines: npm start -- --host=0.0.0.0 (then this machine's address). Ctrl+C stops.");
console.log('');
