/**
 * The scene worker bridge in Node with a fake Worker: a small stand-in for the scene worker
 * exposed by comlink on a MessageChannel, which records what it was asked and can crash (an
 * `error` event), end silently (it gives up its life lock, as a closed or killed worker does) or be
 * held mid-call. Checks lazy start, crash → restart → scene and worker state restored, a silent end
 * → restart, abort → terminate → lazy restart, and stale results dropped.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { DEFAULT_QUERY } from '../../src/infer/queryTypes.ts';
import { SceneWorkerBridge, StaleResultError, WorkerStoppedError, type BridgeStatus, type LifeLocks, type WorkerLike } from './bridge.ts';
import type { TransferredFile } from './protocol.ts';

/** What a fake worker was asked, and which scene it holds. */
interface FakeScene {
  calls: string[];
  scene: string | null;
  /** The name of the compared scene open, if any. */
  compared: string | null;
}

/**
 * Web Locks in miniature: exclusive locks by name, each granted in request order once the holder's
 * callback promise settles (or, for a worker's lock, once the worker ends).
 */
class FakeLocks implements LifeLocks {
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly held = new Set<string>();
  request(name: string, callback: () => unknown): Promise<unknown> {
    return new Promise((resolve) => {
      const run = () => {
        this.held.add(name);
        void Promise.resolve(callback()).then((value) => {
          this.release(name);
          resolve(value);
        });
      };
      if (this.held.has(name)) this.queues.set(name, [...(this.queues.get(name) ?? []), run]);
      else run();
    });
  }
  /** The holder of `name` is gone: the next request in line gets it. */
  release(name: string): void {
    this.held.delete(name);
    const next = this.queues.get(name)?.shift();
    if (next) queueMicrotask(next);
  }
}

class FakeWorker implements WorkerLike {
  readonly state: FakeScene = { calls: [], scene: null, compared: null };
  terminated = false;
  /** Queries for "hold" wait for this. */
  private held: Array<() => void> = [];
  private readonly channel = new MessageChannel();
  private readonly errorListeners = new Set<EventListenerOrEventListenerObject>();

  /** The life lock this worker holds, if asked to hold one. */
  private lifeLock: string | null = null;

  constructor(private readonly locks: FakeLocks | null = null) {
    const state = this.state;
    const api = {
      configure: (config: { backend: string }) => void state.calls.push(`configure ${config.backend}`),
      holdLifeLock: (name: string) =>
        new Promise<void>((resolve) => {
          this.lifeLock = name;
          void this.locks!.request(name, () => (resolve(), new Promise<never>(() => undefined)));
        }),
      useModelSet: (id: string) => void state.calls.push(`useModelSet ${id}`),
      runTeacher: (options: { fusion: string; k: number }) => {
        state.calls.push(`runTeacher ${options.fusion} k=${options.k}`);
        return { views: 4 };
      },
      useFeatureSet: (id: string) => void state.calls.push(`useFeatureSet ${id}`),
      restoreLayers: (layers: Float32Array[]) => void state.calls.push(`restoreLayers ${layers.map((l) => Array.from(l).join(' ')).join(' | ')}`),
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
        return { text: request.text, scene, layers: [{ values: Float32Array.from([request.text.length, 0.5]) }] };
      },
      acceptedFileTypes: () => '.ply',
      openCompareScene: (files: TransferredFile[], _settings: unknown, name: string) => {
        state.calls.push(`openCompareScene ${name} ${files.map((f) => `${f.name}=${new TextDecoder().decode(f.bytes)}`).join(',')}`);
        state.compared = name;
        return { count: files.length };
      },
      pruneFeatures: (minCosine: number) => void state.calls.push(`pruneFeatures ${minCosine}`),
      restoreUnpruned: () => void state.calls.push('restoreUnpruned'),
      refineFeatures: () => {
        state.calls.push('refineFeatures');
        return { from: 'student' };
      },
      closeCompareScene: () => {
        state.calls.push('closeCompareScene');
        state.compared = null;
      },
      // As the real worker: no second scene open → the match fails.
      compareMatch: (from: string, index: number) => {
        if (state.compared === null) throw new Error('compare: no second scene is open (use Compare with… first)');
        return { from, index, scene: state.compared };
      },
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
    if (this.lifeLock) this.locks!.release(this.lifeLock);
  }
  /** The worker ends without an error event (`self.close()`, killed for memory): only its life lock tells. */
  endSilently(): void {
    this.terminated = true;
    if (this.lifeLock) this.locks!.release(this.lifeLock);
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

function setup(locks: FakeLocks | null = null) {
  const workers: FakeWorker[] = [];
  const bridge = new SceneWorkerBridge(() => {
    const worker = new FakeWorker(locks);
    workers.push(worker);
    return worker;
  }, locks);
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
    (bridge.call('query', [{ ...DEFAULT_QUERY, text }], { signal }) as unknown as Promise<{ text: string; scene: string }>).then(({ text, scene }) => ({
      text,
      scene,
    }));
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

  it('a restarted worker gets the model set, the teacher run, the chosen feature set and the last query layers back', async () => {
    const { bridge, workers, statuses, query } = setup();
    await bridge.call('useModelSet', ['clip-vit-b32']);
    await bridge.loadSceneUrl('http://localhost/demo/scene.json');
    // Forgotten with the scene it belonged to: a teacher run on an earlier scene.
    await bridge.call('runTeacher', [{ fusion: 'pixels', k: 2, method: 'objects' }]);
    await bridge.loadSceneUrl('http://localhost/other/scene.json');
    await bridge.call('useFeatureSet', ['student']);
    await bridge.call('runTeacher', [{ fusion: 'best-k', k: 3, method: 'objects' }]);
    await bridge.call('useFeatureSet', ['student']);
    await query('mug');
    await query('red ball');
    const pending = query('hold');
    await workers[0]!.reached('query hold');
    workers[0]!.crash('lost');
    await pending.catch(() => undefined);
    await until(() => statuses.at(-1)?.state === 'running' && workers.length === 2);
    // In the order that rebuilds the state: the set before the scene, the teacher on the scene, the
    // choice made after it, and the layers of the last query that answered ("red ball": 8 letters).
    expect(workers[1]!.state.calls).toEqual([
      'configure wasm',
      'useModelSet clip-vit-b32',
      'loadSceneUrl http://localhost/other/scene.json',
      'runTeacher best-k k=3',
      'useFeatureSet student',
      'restoreLayers 8 0.5',
    ]);
    // A new scene keeps only the model set.
    await bridge.loadSceneUrl('http://localhost/third/scene.json');
    const controller = new AbortController();
    const cancelled = query('hold', controller.signal);
    await workers[1]!.reached('query hold');
    controller.abort();
    await cancelled.catch(() => undefined);
    await query('dice');
    expect(workers[2]!.state.calls).toEqual(['configure wasm', 'useModelSet clip-vit-b32', 'loadSceneUrl http://localhost/third/scene.json', 'query dice']);
  });

  it('a compared scene survives a crash and a Cancel: a double-click still matches, and Close forgets it', async () => {
    const { bridge, workers, statuses, query } = setup();
    await bridge.loadSceneUrl('http://localhost/demo/scene.json');
    const compareFiles = [{ name: 'other.ply', bytes: new TextEncoder().encode('ply…').buffer }];
    await bridge.call('openCompareScene', [compareFiles, DEFAULT_CAPTURE_SETTINGS, 'other.ply']);
    const match = () => bridge.call('compareMatch', ['main', 7, 3]) as unknown as Promise<{ scene: string }>;
    expect((await match()).scene).toBe('other.ply');
    // A crash mid-query: the fresh worker gets the scene, then the compared scene.
    const pending = query('hold');
    await workers[0]!.reached('query hold');
    workers[0]!.crash('lost');
    await pending.catch(() => undefined);
    await until(() => statuses.at(-1)?.state === 'running' && workers.length === 2);
    expect(workers[1]!.state.calls).toEqual(['configure wasm', 'loadSceneUrl http://localhost/demo/scene.json', 'openCompareScene other.ply other.ply=ply…']);
    expect((await match()).scene).toBe('other.ply');
    // A Cancel terminates the worker; the next double-click starts a fresh one that still has it.
    const controller = new AbortController();
    const cancelled = query('hold', controller.signal);
    await workers[1]!.reached('query hold');
    controller.abort();
    await cancelled.catch(() => undefined);
    expect((await match()).scene).toBe('other.ply');
    expect(workers).toHaveLength(3);
    expect(workers[2]!.state.calls).toContain('openCompareScene other.ply other.ply=ply…');
    // Closed: a restart no longer brings it back, and a new scene forgets it too.
    await bridge.call('closeCompareScene', []);
    workers[2]!.crash('lost again');
    await until(() => workers.length === 4 && statuses.at(-1)?.state === 'running');
    await expect(match()).rejects.toThrow(/no second scene is open/);
    await bridge.call('openCompareScene', [compareFiles, DEFAULT_CAPTURE_SETTINGS, 'other.ply']);
    await bridge.loadSceneUrl('http://localhost/third/scene.json');
    workers[3]!.crash('lost once more');
    await until(() => workers.length === 5 && statuses.at(-1)?.state === 'running');
    expect(workers[4]!.state.calls).toEqual(['configure wasm', 'loadSceneUrl http://localhost/third/scene.json']);
  });

  it('a refined and pruned scene is refined and pruned again in a restarted worker (before the compared scene); restored, it is not pruned', async () => {
    const { bridge, workers, statuses, query } = setup();
    await bridge.loadSceneUrl('http://localhost/demo/scene.json');
    await query('mug');
    await bridge.call('useFeatureSet', ['student']);
    await bridge.call('refineFeatures', []);
    await bridge.call('pruneFeatures', [0.5]);
    await bridge.call('pruneFeatures', [0.8]);
    await bridge.call('openCompareScene', [[], DEFAULT_CAPTURE_SETTINGS, 'other']);
    workers[0]!.crash('lost');
    await until(() => workers.length === 2 && statuses.at(-1)?.state === 'running');
    // The query's layers were for the points before pruning: not restored.
    expect(workers[1]!.state.calls).toEqual([
      'configure wasm',
      'loadSceneUrl http://localhost/demo/scene.json',
      // Refined again from the set it came from, which it then selects.
      'useFeatureSet student',
      'refineFeatures',
      'useFeatureSet refined',
      'pruneFeatures 0.8',
      'openCompareScene other ',
    ]);
    await bridge.call('restoreUnpruned', []);
    workers[1]!.crash('lost again');
    await until(() => workers.length === 3 && statuses.at(-1)?.state === 'running');
    expect(workers[2]!.state.calls).not.toContain('pruneFeatures 0.8');
  });

  it('a worker that ends without an error event (closed, killed) is noticed by its life lock and restarted with its scene', async () => {
    const { bridge, workers, statuses, crashes, query } = setup(new FakeLocks());
    await bridge.loadSceneUrl('http://localhost/demo/scene.json');
    const pending = query('hold');
    await workers[0]!.reached('query hold');
    workers[0]!.endSilently();
    const failure = await pending.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkerStoppedError);
    expect((failure as Error).message).toMatch(/crashed \(it ended without an error: closed, or killed for memory\).*restarted and the scene restored/);
    expect(crashes).toHaveLength(1);
    await until(() => statuses.at(-1)?.state === 'running' && workers.length === 2);
    expect(statuses.at(-1)).toEqual({ state: 'running', restarts: 1 });
    expect(await query('mug')).toEqual({ text: 'mug', scene: 'http://localhost/demo/scene.json' });
    // The bridge's own terminate (a cancel) is not a crash, though it frees the lock just the same.
    const controller = new AbortController();
    const cancelled = query('hold', controller.signal);
    await workers[1]!.reached('query hold');
    controller.abort();
    await cancelled.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(crashes).toHaveLength(1);
    expect(workers).toHaveLength(2);
    expect(statuses.at(-1)).toEqual({ state: 'idle', restarts: 1 });
  });
});
