import { expect, test, type Page, type Request } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { download, dropFiles, repoRoot, waitForDrawn } from './helpers.ts';

/**
 * Nothing leaves the browser, and nothing from a file or a URL runs: the built page carries a
 * Content-Security-Policy without 'unsafe-eval' and a query runs under it with no violation; a local
 * capture dropped, queried, exported and reloaded makes no request off the page's origin and its
 * bytes are in no request; HTML in file names, PLY comments and manifest labels is shown as text;
 * a link's `?scene=` on another origin is shown (with its host) and fetched only after a yes.
 */

interface Api {
  query(text: string): Promise<void>;
  relevancy(layer?: number): number[] | null;
}

/** Collects CSP violations of the document (the listener is installed before any page script). */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

/** An ascii PLY of a small coloured grid with `comments` in its header. */
function asciiPly(comments: readonly string[], marker = ''): Uint8Array {
  const rows: string[] = [];
  for (let i = 0; i < 400; i++) rows.push(`${(i % 20) * 0.01} ${Math.floor(i / 20) * 0.01} ${0.5 + (i % 7) * 0.001} ${(i * 5) % 256} 80 200`);
  const header = ['ply', 'format ascii 1.0', ...comments.map((c) => `comment ${c}`), ...(marker ? [`comment ${marker}`] : [])];
  const props = ['property float x', 'property float y', 'property float z', 'property uchar red', 'property uchar green', 'property uchar blue'];
  return new TextEncoder().encode([...header, 'element vertex 400', ...props, 'end_header', ...rows, ''].join('\n'));
}

test.describe('a locked-down page', () => {
  test('the built page has a CSP without unsafe-eval; a WASM query runs under it with no violation', async ({ page }) => {
    test.setTimeout(180_000);
    const consoleCsp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
    });
    await recordViolations(page);
    const response = await page.goto('/?backend=wasm');
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const header = response!.headers()['content-security-policy'];
    for (const policy of [meta, header]) {
      expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(policy).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    }
    await expect(page.locator('script:not([src])')).toHaveCount(0);
    await waitForDrawn(page);
    // The demo's 180k points on WASM: the student and text models run in the worker under the policy.
    const layer = await page.evaluate(async () => {
      const api = (window as unknown as { fieldlens: Api }).fieldlens;
      await api.query('yellow dice');
      return api.relevancy()?.length ?? 0;
    });
    expect(layer).toBeGreaterThan(1000);
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    await waitForDrawn(page);
    expect(await violations(page)).toEqual([]);
    expect(consoleCsp).toEqual([]);
  });

  test('drop → query → export → reload of a local capture: no request leaves the origin, the file is in no request', async ({ page }) => {
    test.setTimeout(180_000);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    await page.goto('/?backend=wasm');
    const origin = new URL(page.url()).origin;
    await waitForDrawn(page);
    const marker = `privacy-marker-${Date.now()}`;
    await dropFiles(page, [{ name: 'lab-scan.ply', mime: 'application/octet-stream', bytes: asciiPly([], marker) }]);
    await expect(page.getByTestId('point-count')).toHaveText('400');
    await waitForDrawn(page);
    await page.getByTestId('query-input').fill('red mug');
    await page.getByTestId('query-input').press('Enter');
    await expect(page.getByTestId('colorbar')).toBeVisible();
    const exported = await download(page, 'ply');
    expect(exported.bytes.length).toBeGreaterThan(400 * 12);
    await page.reload();
    await waitForDrawn(page);

    const urls = requests.map((r) => r.url());
    // The worker's own fetches are seen too (the models, the demo scene): the recording is complete.
    expect(urls.some((u) => /\/models\/.+\.onnx$/.test(u))).toBe(true);
    const offOrigin = urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(offOrigin).toEqual([]);
    for (const r of requests) {
      expect(r.method(), r.url()).toBe('GET');
      expect(r.postData() ?? '', r.url()).not.toContain(marker);
      expect(r.url()).not.toContain(marker);
    }
  });

  test('HTML in file names, PLY comments and manifest labels is shown as text, never run', async ({ page }) => {
    test.setTimeout(120_000);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as { modelSets: { id: string; label: string }[] };
    const demoSet = manifest.modelSets.find((s) => s.id === 'demo')!;
    manifest.modelSets.push({ ...demoSet, id: 'html', label: '<img src=x onerror="window.__xss=4">' });
    await page.route('**/models/manifest.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(manifest) }));
    await page.goto('/?backend=wasm');
    await waitForDrawn(page);
    const name = '<img src=x onerror="window.__xss=1">.ply';
    await dropFiles(page, [
      { name, mime: 'application/octet-stream', bytes: asciiPly(['<script>window.__xss=2</script>', '<img src=x onerror=window.__xss=3>']) },
    ]);
    await expect(page.getByTestId('point-count')).toHaveText('400');
    await expect(page.getByTestId('scene-description')).toContainText(name);
    // A broken file's name is shown inside an error message, as text.
    // (No "/" in it: a file name cannot hold one, and a dropped path is split there.)
    const badName = '<b onmouseover="window.__xss=5">bad.ply';
    await dropFiles(page, [{ name: badName, mime: 'application/octet-stream', bytes: new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex x\n') }]);
    await expect(page.getByTestId('error')).toContainText(badName);
    await expect(page.getByTestId('model-set').locator('option', { hasText: '<img src=x' })).toHaveCount(1);
    expect(await page.locator('img[src="x"], b[onmouseover], script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});

const OTHER_HOST = 'scenes.fieldlens.test';

/** Serves public/demo on another origin (with CORS/CORP, as a lab server would); counts its requests. */
async function serveDemoElsewhere(page: Page): Promise<string[]> {
  const hits: string[] = [];
  await page.route(`http://${OTHER_HOST}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    hits.push(path);
    const file = join(repoRoot, 'public', path);
    return route.fulfill({
      body: readFileSync(file),
      contentType: path.endsWith('.json') ? 'application/json' : 'image/png',
      headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
    });
  });
  return hits;
}

test.describe('links that load from another origin', () => {
  test('?scene= on another host is shown with its host and fetched only after a yes', async ({ page }) => {
    test.setTimeout(120_000);
    const hits = await serveDemoElsewhere(page);
    await page.goto(`/?backend=wasm&scene=http://${OTHER_HOST}/demo/scene.json`);
    const dialog = page.getByTestId('remote-consent');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('remote-consent-host')).toHaveText(OTHER_HOST);
    await expect(dialog).toContainText(`http://${OTHER_HOST}/demo/scene.json`);
    expect(hits).toEqual([]);
    await page.getByTestId('remote-consent-accept').click();
    await waitForDrawn(page);
    await expect(dialog).toHaveCount(0);
    expect(hits).toContain('/demo/scene.json');
    expect(hits.filter((h) => h.endsWith('.png')).length).toBeGreaterThan(0);
    // Said yes once in this tab: a reload of the link does not ask again.
    await page.reload();
    await waitForDrawn(page);
    await expect(dialog).toHaveCount(0);
  });

  test('a no loads the default scene and fetches nothing from the other host', async ({ page }) => {
    test.setTimeout(120_000);
    const hits = await serveDemoElsewhere(page);
    await page.goto(`/?backend=wasm&scene=http://${OTHER_HOST}/demo/scene.json`);
    await page.getByTestId('remote-consent-decline').click();
    await waitForDrawn(page);
    await expect(page.getByTestId('scene-description')).toContainText('demo');
    expect(hits).toEqual([]);
  });

  test('a same-origin ?scene= loads directly, without asking', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/?backend=wasm&scene=demo/scene.json');
    await waitForDrawn(page);
    await expect(page.getByTestId('remote-consent')).toHaveCount(0);
  });
});
