/**
 * The first-query timeline of studioQuery.bench.ts, measured in the page (performance.now(), page
 * milliseconds): a fresh browser context opens the studio, a 640×480 RGB-D frame is dropped as soon
 * as the demo is drawn, and the phrase is typed `delayMs` after the drop and sent with Enter. A
 * MutationObserver logs when the viewport's `data-ready` and the features state's
 * `data-runtime-ready` / `data-features-ready` change, so every figure is an event time of the page,
 * not a poll of it. The peer in the same run is a second query on the same frame (the work of a query
 * with everything open and computed).
 */
import type { Browser, Page } from '@playwright/test';

export interface DroppedFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

/** Milliseconds after the drop; null when the event did not happen (e.g. runtime already open). */
export interface FirstQueryTimeline {
  readonly drawn: number;
  readonly runtimeReady: number | null;
  readonly featuresReady: number | null;
  readonly enter: number;
  readonly answerDrawn: number;
  /** answerDrawn − enter: the goal's figure. */
  readonly firstQuery: number;
  /** Enter → drawn of a second query on the same frame (the peer). */
  readonly laterQuery: number;
  /** The first query's stage times (the status bar's tooltip). */
  readonly stages: string;
  readonly points: number;
}

interface LogEntry {
  readonly id: string;
  readonly attr: string;
  readonly value: string;
  readonly t: number;
}
declare const window: { __fieldlensLog: LogEntry[]; fieldlens: { pointCount(): number } };
declare const document: {
  body: unknown;
  querySelector(s: string): { getAttribute(name: string): string | null; textContent: string | null; dispatchEvent(e: unknown): boolean } | null;
};
declare const MutationObserver: new (cb: (records: { target: { getAttribute(n: string): string | null }; attributeName: string | null }[]) => void) => {
  observe(target: unknown, options: object): void;
};
declare const DataTransfer: new () => { items: { add(file: unknown): void } };
declare const File: new (parts: unknown[], name: string, options: object) => unknown;
declare const DragEvent: new (type: string, init: object) => unknown;
declare function atob(s: string): string;
declare const addEventListener: (type: string, listener: () => void, capture: boolean) => void;

const readyTestIds = ['viewport', 'features-state'];

/** Waits until the page's log has an entry matching (test id, attribute, value) at or after `after` (page ms); returns its time. */
async function logged(page: Page, id: string, attr: string, value: string, after: number, timeout = 300_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([i, a, v, t]) => window.__fieldlensLog.find((e) => e.id === i && e.attr === a && e.value === v && e.t >= t)?.t ?? false,
    [id, attr, value, after] as const,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

/** Enter in the query box (the phrase typed first); returns the keydown's page time. */
async function pressEnter(page: Page, phrase: string): Promise<number> {
  await page.getByTestId('query-input').fill(phrase);
  await page.evaluate(() =>
    addEventListener('keydown', () => window.__fieldlensLog.push({ id: 'key', attr: 'enter', value: 'down', t: performance.now() }), true),
  );
  const before = await page.evaluate(() => performance.now());
  await page.getByTestId('query-input').press('Enter');
  return logged(page, 'key', 'enter', 'down', before);
}

/** Enter → the new heatmap drawn (the viewport leaves and regains `data-ready`). */
async function answerDrawn(page: Page, enter: number): Promise<number> {
  const dropped = await logged(page, 'viewport', 'data-ready', 'false', enter);
  return logged(page, 'viewport', 'data-ready', 'true', dropped);
}

export async function firstQueryTimeline(
  browser: Browser,
  url: string,
  files: readonly DroppedFile[],
  phrases: [string, string],
  delayMs: number,
): Promise<FirstQueryTimeline> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('[data-testid="viewport"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 300_000,
    });
    await page.evaluate((ids) => {
      window.__fieldlensLog = [];
      new MutationObserver((records) => {
        for (const r of records) {
          const id = r.target.getAttribute('data-testid');
          if (id && ids.includes(id) && r.attributeName)
            window.__fieldlensLog.push({ id, attr: r.attributeName, value: r.target.getAttribute(r.attributeName) ?? '', t: performance.now() });
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-ready', 'data-runtime-ready', 'data-features-ready'] });
    }, readyTestIds);
    const demoPoints = await page.evaluate(() => window.fieldlens.pointCount());
    // Bytes cross the protocol as base64; the drop is dispatched, and timed, inside the page.
    const payload = files.map((f) => ({ name: f.name, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64') }));
    const drop = await page.evaluate((items) => {
      const dt = new DataTransfer();
      for (const item of items) {
        const binary = atob(item.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        dt.items.add(new File([bytes], item.name, { type: item.mime }));
      }
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      const t = performance.now();
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      return t;
    }, payload);
    await page.waitForFunction((n) => window.fieldlens.pointCount() !== n, demoPoints, { timeout: 300_000 });
    const drawn = await logged(page, 'viewport', 'data-ready', 'true', drop);
    await page.waitForFunction((t) => performance.now() >= t, drop + delayMs, { timeout: delayMs + 60_000, polling: 10 });
    const enter = await pressEnter(page, phrases[0]);
    const answer = await answerDrawn(page, enter);
    const at = (attr: string) =>
      page.evaluate(([a, t]) => window.__fieldlensLog.find((e) => e.attr === a && e.value === 'true' && e.t >= t)?.t ?? null, [attr, drop] as const);
    const runtimeReady = await at('data-runtime-ready');
    const featuresReady = await at('data-features-ready');
    const stages = (await page.evaluate(() => document.querySelector('[data-testid="query-time"]')?.getAttribute('title'))) ?? '';
    const points = await page.evaluate(() => window.fieldlens.pointCount());
    const enter2 = await pressEnter(page, phrases[1]);
    const answer2 = await answerDrawn(page, enter2);
    const since = (t: number | null) => (t === null ? null : t - drop);
    return {
      drawn: drawn - drop,
      runtimeReady: since(runtimeReady),
      featuresReady: since(featuresReady),
      enter: enter - drop,
      answerDrawn: answer - drop,
      firstQuery: answer - enter,
      laterQuery: answer2 - enter2,
      stages,
      points,
    };
  } finally {
    await context.close();
  }
}
