/**
 * The scene worker bridge in Node with a fake Worker: a small stand-in for the scene worker
 * exposed by comlink on a MessageChannel, which records what it was asked and can crash (an
 * `error` event) or be held mid-call. Checks lazy start, crash → restart → scene restored, abort →
 * terminate → lazy restart, and stale results dropped.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { DEFAULT_QUERY } from '../../src/infer/queryTypes.ts';
import { SceneWorkerBridge, StaleResultError, WorkerStoppedError, type BridgeStatus, type WorkerLike } from './bridge.ts';
import type { TransferredFile } from './protocol.ts';

/** What a fake worker was asked, and which scene it holds. */
interface FakeScene {
  calls: string[];
  scene: string | null;
}

class FakeWorker implements WorkerLike {
  readonly state: FakeScene = { calls: [], scene: null };
  terminated = false;
  /** Queries for "hold" wait for this. */
  private held: Array<() => void> = [];
  private readonly channel = new MessageChannel();
  private readonly errorListeners = new Set<EventListenerOrEventListenerObject>();

  constructor() {
    const state = this.state;
    const api = {
      configure: (config: { backend: string }) => void state.calls.push(`configure ${config.backend}`),
      loadSceneUrl: (url: string) => {
        state.calls.push(`loadSceneUrl ${url}`);
        state.scene = url;
        return { count: url.length };
      },
      loadDroppedFiles: (files: TransferredFile[]) => {
        const text = files.map((f) => `${f.name}=${new TextDecoder().decode(f.bytes)}`).join(',');
        state.calls.push(`loadDroppedFiles ${text}`);
        state.scene = text;
        return { count: files.reduce((n, f) => n + f.bytes.byteLength, 0) };
      },
      rescale: (factor: number) => {
        state.calls.push(`rescale ${factor}`);
        state.scene = `${state.scene} ×${factor}`;
        return { count: 0 };
      },
      query: async (request: { text: string }) => {
        state.calls.push(`query ${request.text}`);
        const scene = state.scene;
        if (request.text === 'hold') await new Promise<void>((release) => this.held.push(release));
        return { text: request.text, scene };
      },
      acceptedFileTypes: () => '.ply',
    };
    Comlink.expose(api, this.channel.port1);
    this.channel.port2.start();
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.channel.port2.postMessage(message, transfer);
  }
  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'message') this.channel.port2.addEventListener('message', listener);
    else this.errorListeners.add(listener);
  }
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'message') this.channel.port2.removeEventListener('message', listener);
    else this.errorListeners.delete(listener);
  }
  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
  }
  /** An uncaught error inside the worker. */
  crash(message: string): void {
    const event = Object.assign(new Event('error'), { message });
    for (const l of this.errorListeners) (typeof l === 'function' ? l : l.handleEvent.bind(l))(event);
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
  /** Resolves once a call named `prefix…` has reached this worker. */
  async reached(prefix: string): Promise<void> {
    while (!this.state.calls.some((c) => c.startsWith(prefix))) await new Promise((r) => setTimeout(r, 1));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const bridge = new SceneWorkerBridge(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker;
  });
  const statuses: BridgeStatus[] = [];
  const crashes: Error[] = [];
  bridge.subscribe((status, crash) => {
    statuses.push(status);
    if (crash) crashes.push(crash);
  });
  bridge.configure({ manifestUrl: 'http://localhost/models/manifest.json', backend: 'wasm' });
  /** Files as the page keeps them: handles read again on every (re)load; counts the reads. */
  const reads = { count: 0 };
  const files = (name: string, text: string) => () => {
    reads.count++;
    return Promise.resolve([{ name, bytes: new TextEncoder().encode(text).buffer }]);
  };
  const query = (text: string, signal?: AbortSignal) =>
    bridge.call('query', [{ ...DEFAULT_QUERY, text }], { signal }) as unknown as Promise<{ text: string; scene: string }>;
  return { bridge, workers, statuses, crashes, files, reads, query };
}

/** Resolves once `check` holds (status events arrive asynchronously). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
}

describe('scene worker bridge (fake Worker, in Node)', () => {
  it('starts the worker lazily, on the first call, configured', async () => {
    const { workers, query } = setup();
    expect(workers).toHaveLength(0);
    await query('mug');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.state.calls).toEqual(['configure wasm', 'query mug']);
  });

  it('a crash mid-call rejects that call, restarts the worker and restores the scene without a re-drop', async () => {
    const { bridge, workers, statuses, crashes, files, reads, query } = setup();
    await bridge.loadFiles(files('scan.ply', 'abc'), DEFAULT_CAPTURE_SETTINGS);
    await bridge.rescale(0.001);
    const pending = query('hold');
    await workers[0]!.reached('query hold');
    workers[0]!.crash('out of memory');
    const failure = await pending.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkerStoppedError);
    expect((failure as Error).message).toMatch(/crashed \(out of memory\).*restarted and the scene restored/);
    expect(workers[0]!.terminated).toBe(true);
    expect(crashes).toHaveLength(1);
    // Restarted at once, without any call: configured, the files read again from their handles, rescaled.
    await until(() => statuses.at(-1)?.state === 'running' && workers.length === 2);
    expect(workers[1]!.state.calls).toEqual(['configure wasm', 'loadDroppedFiles scan.ply=abc', 'rescale 0.001']);
    expect(reads.count).toBe(2);
    expect(statuses.at(-1)).toEqual({ state: 'running', restarts: 1 });
    expect(await query('mug')).toEqual({ text: 'mug', scene: 'scan.ply=abc ×0.001' });
  });

  it('aborting a call terminates the worker; the next call starts a fresh one with the scene', async () => {
    const { bridge, workers, query } = setup();
    await bridge.loadSceneUrl('http://localhost/demo/scene.json');
    const controller = new AbortController();
    const pending = query('hold', controller.signal);
    await workers[0]!.reached('query hold');
    controller.abort();
    const failure = await pending.catch((e: unknown) => e);
    expect((failure as DOMException).name).toBe('AbortError');
    expect(workers[0]!.terminated).toBe(true);
    // Lazily: no worker until the next call.
    await new Promise((r) => setTimeout(r, 20));
    expect(workers).toHaveLength(1);
    expect(await query('dice')).toEqual({ text: 'dice', scene: 'http://localhost/demo/scene.json' });
    expect(workers[1]!.state.calls).toEqual(['configure wasm', 'loadSceneUrl http://localhost/demo/scene.json', 'query dice']);
  });

  it('a cancelled drop leaves the previous scene to be restored', async () => {
    const { bridge, workers, files, query } = setup();
    await bridge.loadFiles(files('a.ply', 'first'), DEFAULT_CAPTURE_SETTINGS);
    const controller = new AbortController();
    const slow = () => new Promise<TransferredFile[]>(() => undefined);
    const pending = bridge.loadFiles(slow, DEFAULT_CAPTURE_SETTINGS, undefined, { signal: controller.signal });
    controller.abort();
    expect(((await pending.catch((e: unknown) => e)) as DOMException).name).toBe('AbortError');
    expect(await query('mug')).toEqual({ text: 'mug', scene: 'a.ply=first' });
    expect(workers).toHaveLength(2);
  });

  it('drops stale results: a query that outlives a drop, and a drop overtaken by a later one', async () => {
    const { bridge, workers, files, query } = setup();
    await bridge.loadFiles(files('a.ply', 'first'), DEFAULT_CAPTURE_SETTINGS);
    const old = query('hold');
    await workers[0]!.reached('query hold');
    await bridge.loadFiles(files('b.ply', 'second'), DEFAULT_CAPTURE_SETTINGS);
    workers[0]!.release();
    expect(await old.catch((e: unknown) => e)).toBeInstanceOf(StaleResultError);
    // A drop whose files are slow to read, overtaken by a quick one: only the quick one reaches the worker.
    let finishReading: ((files: TransferredFile[]) => void) | null = null;
    const slowDrop = bridge.loadFiles(() => new Promise((resolve) => (finishReading = resolve)), DEFAULT_CAPTURE_SETTINGS).catch((e: unknown) => e);
    await until(() => finishReading !== null);
    const quickDrop = bridge.loadFiles(files('d.ply', 'fourth'), DEFAULT_CAPTURE_SETTINGS);
    expect(await quickDrop).toEqual({ count: 6 });
    finishReading!([{ name: 'c.ply', bytes: new TextEncoder().encode('third').buffer }]);
    expect(await slowDrop).toBeInstanceOf(StaleResultError);
    expect(workers[0]!.state.calls.filter((c) => c.startsWith('loadDroppedFiles'))).toEqual([
      'loadDroppedFiles a.ply=first',
      'loadDroppedFiles b.ply=second',
      'loadDroppedFiles d.ply=fourth',
    ]);
    expect(await query('mug')).toEqual({ text: 'mug', scene: 'd.ply=fourth' });
    // A superseded load that fails in the worker is stale too, not an error to show.
    const failing = bridge.loadFiles(() => Promise.reject(new Error('c.ply: the worker refused it')), DEFAULT_CAPTURE_SETTINGS);
    const winner = bridge.loadFiles(files('e.ply', 'fifth'), DEFAULT_CAPTURE_SETTINGS);
    expect(await failing.catch((e: unknown) => e)).toBeInstanceOf(StaleResultError);
    await winner;
    // Calls that do not depend on the scene are never stale.
    expect(await bridge.call('acceptedFileTypes', [])).toBe('.ply');
  });
});
