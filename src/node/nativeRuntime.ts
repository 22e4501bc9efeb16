/**
 * Which ONNX Runtime the CLI runs models on: native onnxruntime-node when it is installed (CPU
 * threads; CUDA where its provider libraries were installed too), else onnxruntime-web's WASM.
 *
 * onnxruntime-node is an on-demand install, not a dependency: its package is ≈ 290 MB unpacked
 * (108 MiB download; every platform's binaries) and its install script fetches the CUDA provider
 * from NuGet, which many machines cannot reach. `fieldlens runtime install-native` puts it in
 * `.cache/native-runtime/` (git-ignored) — CPU only with install scripts off, or `--cuda` with
 * the script on, fetching the CUDA 12 provider — and `npm install --no-save onnxruntime-node`
 * in the repo works as well; both are found here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OrtSessionFactory } from '../infer/ortRuntime.ts';
import { loadNativeRuntime, type NativeRuntime } from '../infer/ortNativeRuntime.ts';
import { repoRoot } from './repoPaths.ts';

const requireFromRepo = createRequire(join(repoRoot, 'package.json'));

export const RUNTIME_CHOICES = ['auto', 'native', 'wasm'] as const;
export type RuntimeChoice = (typeof RUNTIME_CHOICES)[number];

/** The same ONNX Runtime release as the installed onnxruntime-web, so both runtimes agree on operators. */
export function nativeRuntimeVersion(): string {
  return packageOf(requireFromRepo.resolve('onnxruntime-web')).version;
}

/** The package.json above a resolved entry module (`exports` hides `<name>/package.json`). */
function packageOf(entry: string): { readonly root: string; readonly version: string } {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && basename(dirname(dir)) === 'node_modules') {
      return { root: dir, version: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version };
    }
  }
  throw new Error(`${entry}: no package.json above it`);
}

function cacheDir(): string {
  return join(repoRoot, '.cache', 'native-runtime', `onnxruntime-node@${nativeRuntimeVersion()}`);
}

export interface LocatedNativeRuntime {
  readonly entry: string;
  readonly version: string;
  /** The CUDA execution provider's library sits beside the binding (installed with --cuda). */
  readonly cudaInstalled: boolean;
}

/** onnxruntime-node from the repo's node_modules or the on-demand cache, or null. */
export function locateNativeRuntime(): LocatedNativeRuntime | null {
  for (const from of [requireFromRepo, createRequire(join(cacheDir(), 'package.json'))]) {
    let entry: string;
    try {
      entry = from.resolve('onnxruntime-node');
    } catch {
      continue;
    }
    const { root, version } = packageOf(entry);
    const cudaLib = join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
    return { entry, version, cudaInstalled: existsSync(cudaLib) };
  }
  return null;
}

/** Cores this process may use: FIELDLENS_THREADS, else Slurm's CPUs per task, else the affinity mask. */
export function nativeThreads(env: NodeJS.ProcessEnv = process.env): number {
  for (const raw of [env.FIELDLENS_THREADS, env.SLURM_CPUS_PER_TASK]) {
    const n = Number(raw);
    if (raw && Number.isInteger(n) && n > 0) return n;
  }
  return availableParallelism();
}

let choice: RuntimeChoice = parseRuntimeChoice(process.env.FIELDLENS_RUNTIME ?? 'auto', 'FIELDLENS_RUNTIME');

export function parseRuntimeChoice(raw: string, where: string): RuntimeChoice {
  if (!(RUNTIME_CHOICES as readonly string[]).includes(raw)) throw new Error(`${where}: expected one of ${RUNTIME_CHOICES.join(', ')}, found ${raw}`);
  return raw as RuntimeChoice;
}

/** `--runtime`: overrides FIELDLENS_RUNTIME for this process. */
export function setRuntimeChoice(next: RuntimeChoice): void {
  choice = next;
}

const notInstalled = () =>
  `onnxruntime-node is not installed: run \`npx fieldlens runtime install-native\` (add --cuda for the CUDA provider), or \`npm install --no-save onnxruntime-node@${nativeRuntimeVersion()}\``;

export interface CliRuntime {
  /** Undefined = onnxruntime-web (WASM), the model wrappers' default. */
  readonly openSession: OrtSessionFactory | undefined;
  readonly description: string;
}

let current: { readonly key: string; readonly runtime: CliRuntime } | undefined;

/** The runtime the CLI's model sources use, per `--runtime` / FIELDLENS_RUNTIME (`auto` by default); one per choice and thread count. */
export function cliRuntime(): CliRuntime {
  const key = `${choice}/${nativeThreads()}`;
  if (current?.key !== key) current = { key, runtime: openCliRuntime(choice) };
  return current.runtime;
}

function openCliRuntime(preference: RuntimeChoice): CliRuntime {
  const located = preference === 'wasm' ? null : locateNativeRuntime();
  if (!located) {
    if (preference === 'native') throw new Error(notInstalled());
    return { openSession: undefined, description: `onnxruntime-web ${nativeRuntimeVersion()} (WASM, 1 thread)` };
  }
  const threads = nativeThreads();
  const cuda = located.cudaInstalled && process.env.FIELDLENS_CUDA !== '0';
  let loaded: Promise<NativeRuntime> | undefined;
  return {
    openSession: (bytes, backend) => {
      loaded ??= loadNativeRuntime({ moduleUrl: pathToFileURL(located.entry).href, threads, cuda });
      return loaded.then((runtime) => runtime.openSession(bytes, backend));
    },
    description: `onnxruntime-node ${located.version} (${cuda ? 'CUDA, else ' : ''}CPU, ${threads} thread${threads === 1 ? '' : 's'})`,
  };
}

/**
 * Installs onnxruntime-node into the on-demand cache. CPU: install scripts off (the CPU binaries
 * ship inside the npm package). CUDA: its install script runs with ONNXRUNTIME_NODE_INSTALL=cuda12
 * and fetches the CUDA 12 provider libraries from NuGet (≈ 400 MB; the node needs CUDA 12 + cuDNN 9).
 */
export function installNativeRuntime(o: { readonly cuda: boolean; readonly log: (line: string) => void }): LocatedNativeRuntime {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const version = nativeRuntimeVersion();
  // A package.json of its own makes this folder the install's project: npm 11's script policy
  // (`allowScripts`) is read from it, and nothing touches the repo's lock file.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, allowScripts: { 'onnxruntime-node': o.cuda } }, null, 2)}\n`);
  o.log(`installing onnxruntime-node@${version}${o.cuda ? ' with the CUDA 12 provider' : ' (CPU)'} into ${dir} …`);
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      ...(o.cuda ? [] : ['--ignore-scripts']),
      `onnxruntime-node@${version}`,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...(o.cuda ? { ONNXRUNTIME_NODE_INSTALL: 'cuda12' } : {}) },
    },
  );
  const located = locateNativeRuntime();
  if (!located) throw new Error(`runtime install-native: npm finished but onnxruntime-node is not in ${dir}`);
  if (o.cuda && !located.cudaInstalled)
    throw new Error('runtime install-native --cuda: the CUDA provider library was not installed (is api.nuget.org reachable?)');
  return located;
}
