/**
 * The page's one way to the scene worker, after squoosh's WorkerBridge: the worker starts lazily
 * on the first call; every call takes an AbortSignal, and aborting one terminates the worker
 * (a task cannot be interrupted inside it) and lets the next call start a fresh one; a worker that
 * crashes (an `error` event) or ends without one (it closed itself, or was killed for memory: told
 * by a Web Lock it holds for its life) is terminated and restarted at once. A fresh worker is
 * configured and given the current scene again — the bridge keeps what rebuilds it (the scene's URL,
 * or handles to the dropped files and their capture settings, and any unit rescales) and the dropped
 * model files, never their bytes — so the user never re-drops anything; replay.ts then restores the
 * model set, teacher features, feature-set choice and last query layers.
 *
 * Stale results are dropped here and only here: a call that depends on the current scene rejects
 * with StaleResultError when another scene load started after it; a scene load rejects so when a
 * later load started, and it is not even sent to the worker when that happened while its files
 * were being read (the worker installs scenes in the order they arrive).
 */
import * as Comlink from 'comlink';
import type { BackendPreference } from '../../src/infer/ortRuntime.ts';
import { WorkerReplay } from './replay.ts';
import type { DrawableCloud, IngestOptions, IngestProgress, SceneWorkerApi, SceneWorkerConfig, SceneWorkerFaultHooks, TransferredFile } from './protocol.ts';

/** What the bridge needs of a Worker (a fake one in unit tests). */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

/** A result that belongs to a scene no longer shown (or being replaced): the caller ignores it. */
export class StaleResultError extends Error {
  constructor(what: string) {
    super(`${what}: superseded by a newer scene`);
    this.name = 'StaleResultError';
  }
}

/** The worker stopped while a call ran (it crashed, or another call's cancel terminated it). */
export class WorkerStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStoppedError';
  }
}

export const isCancelled = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
/** Errors the user need not see: a cancel they asked for, a result for a scene they replaced. */
export const isQuietError = (error: unknown): boolean => isCancelled(error) || error instanceof StaleResultError;

/** The Web Locks the bridge and its workers share (navigator.locks; a stand-in in unit tests). */
export interface LifeLocks {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Reads dropped files again (from the page's File handles) whenever the worker needs them. */
export type ReadFiles = () => Promise<TransferredFile[]>;

/** How to rebuild the current scene in a fresh worker. */
type SceneSource = ({ readonly kind: 'url'; readonly url: string } | { readonly kind: 'files'; readonly read: ReadFiles; readonly options: IngestOptions }) & {
  /** Unit rescales applied after loading, in order. */
  readonly rescales: readonly number[];
};

/** The worker's state as the page shows it. */
export interface BridgeStatus {
  readonly state: 'idle' | 'running' | 'restarting';
  /** Restarts after a crash so far. */
  readonly restarts: number;
}

/** Calls that read or change the scene: stale when a newer scene load started meanwhile. */
const SCENE_BOUND = {
  query: true,
  pcaColors: true,
  similarityTo: true,
  clusterInstances: true,
  agreement: true,
  exportFeaturePly: true,
  viewImage: true,
  runTeacher: true,
  featureSets: true,
  prepareFeatures: true,
  warmModels: false,
  useFeatureSet: true,
  maskQuery: true,
  relationQuery: true,
  renderView: true,
  occupancy: true,
  openCompareScene: true,
  compareMatch: true,
  displayVoxels: true,
  closeCompareScene: false,
  pruneFeatures: true,
  restoreUnpruned: true,
  refineFeatures: true,
  acceptedFileTypes: false,
  modelSets: false,
  downloadModelSet: false,
  cancelModelDownload: false,
  useModelSet: false,
} as const satisfies Record<PlainCall, boolean>;

/** Calls the bridge itself routes (it keeps what they set, to replay it in a fresh worker). */
type ManagedCall =
  'configure' | 'setBackend' | 'loadSceneUrl' | 'loadDroppedFiles' | 'reloadWithOptions' | 'rescale' | 'useLocalModels' | 'restoreLayers' | 'holdLifeLock';
export type PlainCall = Exclude<keyof SceneWorkerApi, ManagedCall>;
type Api = Comlink.Remote<SceneWorkerApi>;

export class SceneWorkerBridge {
  private worker: WorkerLike | null = null;
  private starting: Promise<Api> | null = null;
  /** Rejecters of the calls running on the current worker. */
  private readonly running = new Set<(error: Error) => void>();
  private config: SceneWorkerConfig | null = null;
  private scene: SceneSource | null = null;
  private localModels: ReadFiles | null = null;
  private readonly replay = new WorkerReplay();
  /** Names each worker's life lock. */
  private workersStarted = 0;
  /** Scene loads started so far; a scene-bound call remembers the count it started under. */
  private sceneLoads = 0;
  private status: BridgeStatus = { state: 'idle', restarts: 0 };
  private readonly listeners = new Set<(status: BridgeStatus, crash?: Error) => void>();

  /** `locks`: null where Web Locks are missing (an insecure context): a silent exit then goes unnoticed until a call is cancelled. */
  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly locks: LifeLocks | null = (globalThis.navigator as { locks?: LifeLocks } | undefined)?.locks ?? null,
  ) {}

  /** Hears status changes; after a crash, also the error that stopped the calls. Returns the unsubscribe. */
  subscribe(listener: (status: BridgeStatus, crash?: Error) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The models' manifest and backend, applied to every worker started from now on. */
  configure(config: SceneWorkerConfig): void {
    this.config = config;
    if (this.worker) this.stop(new WorkerStoppedError('the scene worker restarted with a new configuration'));
  }

  async setBackend(backend: BackendPreference): Promise<void> {
    if (!this.config) throw new Error('scene worker: configure() was not called');
    this.config = { ...this.config, backend };
    if (this.worker) await this.guard((await this.ready()).setBackend(backend), undefined);
  }

  /** Calls `method` on the worker; see the class comment for cancelling and stale results. */
  async call<K extends PlainCall>(method: K, args: Parameters<SceneWorkerApi[K]>, options: CallOptions = {}): Promise<Awaited<ReturnType<SceneWorkerApi[K]>>> {
    const loads = this.sceneLoads;
    const api = await this.ready(options.signal);
    const invoke = api[method] as unknown as (...a: Parameters<SceneWorkerApi[K]>) => Promise<Awaited<ReturnType<SceneWorkerApi[K]>>>;
    const result = await this.guard(invoke(...args), options.signal);
    if (SCENE_BOUND[method] && loads !== this.sceneLoads) throw new StaleResultError(method);
    this.replay.record(method, args, result);
    return result;
  }

  loadSceneUrl(url: string, options: CallOptions = {}): Promise<DrawableCloud> {
    return this.load({ kind: 'url', url, rescales: [] }, (api) => api.loadSceneUrl(url), options);
  }

  /** Reads the files through `read` (again on every restart) and lifts them. */
  loadFiles(read: ReadFiles, settings: IngestOptions, onProgress?: (p: IngestProgress) => void, options: CallOptions = {}): Promise<DrawableCloud> {
    const source: SceneSource = { kind: 'files', read, options: settings, rescales: [] };
    return this.load(
      source,
      async (api, stillCurrent) => {
        const files = await read();
        // Not sent when a newer load started while the files were read.
        stillCurrent();
        return api.loadDroppedFiles(transferFiles(files), settings, onProgress);
      },
      options,
    );
  }

  /** Lifts the current dropped capture again with new settings (the worker keeps its files). */
  reloadWithOptions(settings: IngestOptions, onProgress?: (p: IngestProgress) => void, options: CallOptions = {}): Promise<DrawableCloud> {
    const scene = this.scene;
    if (scene?.kind !== 'files') return Promise.reject(new Error('nothing to re-lift: drop a capture first (the bundled scene is fixed)'));
    return this.load({ ...scene, options: settings, rescales: [] }, (api) => api.reloadWithOptions(settings, onProgress), options);
  }

  rescale(factor: number, options: CallOptions = {}): Promise<DrawableCloud> {
    const scene = this.scene;
    if (!scene) return Promise.reject(new Error('unit scale: no scene is loaded'));
    return this.load({ ...scene, rescales: [...scene.rescales, factor] }, (api) => api.rescale(factor), options);
  }

  /** Uses dropped model files (read through `read`, again on every restart) instead of the manifest's. */
  async useLocalModels(read: ReadFiles, options: CallOptions = {}): Promise<string> {
    const api = await this.ready(options.signal);
    const summary = await this.guard(
      read().then((files) => api.useLocalModels(transferFiles(files))),
      options.signal,
    );
    this.localModels = read;
    return summary;
  }

  /** Calls the worker's fault injection (present only outside production builds: the fault e2e tests). */
  async callFaultHook(use: (api: Comlink.Remote<SceneWorkerFaultHooks>) => Promise<void>): Promise<void> {
    const api = await this.ready();
    await this.guard(use(api as unknown as Comlink.Remote<SceneWorkerFaultHooks>), undefined);
  }

  /**
   * A scene load: counted at once (so every earlier scene-bound call and load becomes stale), not
   * sent when a newer one started before it was ready to go, and kept for replay once it succeeded.
   */
  private async load(source: SceneSource, send: (api: Api, stillCurrent: () => void) => Promise<DrawableCloud>, options: CallOptions): Promise<DrawableCloud> {
    const load = ++this.sceneLoads;
    const stillCurrent = () => {
      if (load !== this.sceneLoads) throw new StaleResultError('scene load');
    };
    const api = await this.ready(options.signal);
    stillCurrent();
    let cloud: DrawableCloud;
    try {
      cloud = await this.guard(send(api, stillCurrent), options.signal);
    } catch (error) {
      // A superseded load's failure (the worker refuses to install it) is as stale as its result.
      if (!isCancelled(error)) stillCurrent();
      throw error;
    }
    stillCurrent();
    this.scene = source;
    this.replay.sceneReplaced();
    return cloud;
  }

  /** The started, configured worker holding the current scene; starts one when there is none. */
  private ready(signal?: AbortSignal): Promise<Api> {
    signal?.throwIfAborted();
    const starting = (this.starting ??= this.start());
    return signal ? this.guard(starting, signal) : starting;
  }

  private async start(): Promise<Api> {
    const config = this.config;
    if (!config) throw new Error('scene worker: configure() was not called');
    const worker = this.createWorker();
    this.worker = worker;
    worker.addEventListener('error', (event) => this.crashed(worker, errorDetail(event)));
    worker.addEventListener('messageerror', (event) => this.crashed(worker, errorDetail(event)));
    const api = Comlink.wrap<SceneWorkerApi>(worker);
    this.setStatus({ ...this.status, state: this.status.state === 'restarting' ? 'restarting' : 'running' });
    try {
      await this.guard(api.configure(config), undefined);
      await this.watchLife(worker, api);
      await this.guard(this.replay.replayModels(api), undefined);
      if (this.localModels) {
        const read = this.localModels;
        await this.guard(
          read().then((files) => api.useLocalModels(transferFiles(files))),
          undefined,
        );
      }
      const scene = this.scene;
      if (scene) {
        await this.guard(
          scene.kind === 'url' ? api.loadSceneUrl(scene.url) : scene.read().then((f) => api.loadDroppedFiles(transferFiles(f), scene.options)),
          undefined,
        );
        for (const factor of scene.rescales) await this.guard(api.rescale(factor), undefined);
        await this.guard(this.replay.replayScene(api), undefined);
      }
    } catch (error) {
      if (this.worker === worker) this.stop(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    this.setStatus({ ...this.status, state: 'running' });
    return api;
  }

  /**
   * The worker takes a Web Lock for its life; the bridge queues for the same lock and gets it when
   * the worker ends. Ended by the bridge (a cancel, a crash), it is no longer `this.worker`, so only
   * an end the bridge did not cause counts as a crash.
   */
  private async watchLife(worker: WorkerLike, api: Api): Promise<void> {
    if (!this.locks) return;
    const name = `fieldlens-scene-worker-${++this.workersStarted}-${Math.random().toString(36).slice(2)}`;
    await this.guard(api.holdLifeLock(name), undefined);
    this.locks.request(name, () => this.crashed(worker, 'it ended without an error: closed, or killed for memory')).catch(() => undefined);
  }

  /** An uncaught error in the worker, or its silent end: its state is suspect, so it is replaced (the scene restored). */
  private crashed(worker: WorkerLike, detail: string): void {
    if (this.worker !== worker) return;
    const wasRestoring = this.status.state === 'restarting';
    const error = new WorkerStoppedError(`the scene worker crashed (${detail}); it was restarted and the scene restored — run the task again`);
    this.stop(error);
    this.setStatus({ state: 'restarting', restarts: this.status.restarts + 1 }, error);
    // A worker that crashes while restoring is not restarted again at once (it would loop): the next call retries.
    if (wasRestoring) return this.setStatus({ ...this.status, state: 'idle' });
    this.ready().catch((restoreError: unknown) => {
      this.setStatus({ ...this.status, state: 'idle' }, new Error(`the scene worker could not restore the scene after a crash: ${String(restoreError)}`));
    });
  }

  /** Terminates the worker; every call on it rejects with `error`; the next call starts a fresh one. */
  private stop(error: Error): void {
    // Forgotten first, so that its end (its life lock freed) is not taken for a crash.
    const worker = this.worker;
    this.worker = null;
    this.starting = null;
    worker?.terminate();
    for (const reject of [...this.running]) reject(error);
    this.running.clear();
    if (this.status.state !== 'restarting') this.setStatus({ ...this.status, state: 'idle' });
  }

  /**
   * Settles with `promise`, unless the worker stops first (rejects with the stop's error) or
   * `signal` aborts first (terminates the worker; rejects with the signal's AbortError).
   */
  private guard<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        this.running.delete(fail);
        signal?.removeEventListener('abort', abort);
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      const abort = () => {
        settle();
        reject(signal!.reason instanceof DOMException ? signal!.reason : new DOMException('cancelled', 'AbortError'));
        this.stop(new WorkerStoppedError('the scene worker was restarted because another task was cancelled — run this task again'));
      };
      this.running.add(fail);
      signal?.addEventListener('abort', abort, { once: true });
      promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  private setStatus(status: BridgeStatus, crash?: Error): void {
    this.status = status;
    for (const listener of this.listeners) listener(status, crash);
  }
}

/** What an `error` / `messageerror` event says about the crash. */
function errorDetail(event: Event): string {
  const message = (event as Partial<ErrorEvent>).message;
  return typeof message === 'string' && message !== '' ? message : 'it stopped answering';
}

/** Marks the files' buffers for transfer (zero-copy); the caller must not use them afterwards. */
function transferFiles(files: TransferredFile[]): TransferredFile[] {
  return Comlink.transfer(
    files,
    files.map((f) => f.bytes),
  );
}
