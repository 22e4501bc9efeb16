/**
 * The `fieldlens` command-line tool: batch work on the same core as the studio.
 * Each subcommand returns an exit code; errors print one specific line to stderr.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { checkFileSize, type CaptureFile } from '../core/capture/captureFiles.ts';
import { CAPTURE_FORMATS } from '../core/capture/captureFormats.ts';
import { CAPTURE_FLAG_OPTIONS, CAPTURE_VALUE_OPTIONS, captureFormatsHelp, captureOptionsHelp, captureSettingsFromOptions } from './captureOptions.ts';
import { findModel } from '../core/models/manifest.ts';
import { clipSpecialIds, createClipTokenizer } from '../core/text/clipTokenizer.ts';
import { QUERY_DEFAULTS, runQueryCommand } from './queryCommand.ts';
import { defaultManifestFile, repoRoot } from '../node/repoPaths.ts';
import { readModelManifest } from '../node/modelSource.ts';
import { parseSize, runDatasetCommand } from './datasetCommand.ts';
import { runTeacherCommand } from './teacherCommand.ts';
import { runZeroShotCommand } from './zeroShotCommand.ts';
import { DEFAULT_BEST_K, FUSION_MODES } from '../core/teacher/fusion.ts';
import type { TeacherProgress } from '../core/teacher/runTeacher.ts';
import { runInfoCommand } from './infoCommand.ts';
import { BATCH_TASK_NAMES, type BatchSettings } from './batchTasks.ts';
import { runBatchCli, runBatchStatusCli } from './batchCli.ts';
import { cliRuntime, installNativeRuntime, parseRuntimeChoice, setRuntimeChoice } from '../node/nativeRuntime.ts';
import { DEFAULT_FORMULA, FORMULA_TABLE, RELEVANCY_KINDS } from '../core/query/formulaTable.ts';
import { SEGMENT_FLAG_OPTIONS, SEGMENT_VALUE_OPTIONS, segmentOptionsHelp, segmentQuerySettings } from './segmentOptions.ts';

const VERSION = '0.1.0';

/** `--formula`'s help, one line per formula of the table: name, label, parameters, canonical negatives. */
const FORMULA_HELP = [
  `        --formula F            ${RELEVANCY_KINDS.join(' | ')} (default ${DEFAULT_FORMULA})`,
  ...RELEVANCY_KINDS.map((kind) => {
    const f = FORMULA_TABLE[kind];
    const details = [f.parameterText, f.negatives.length > 0 ? `negatives: ${f.negatives.join(', ')}` : ''].filter(Boolean).join('; ');
    return `                                 ${kind.padEnd(16)}${f.label}${details ? ` — ${details}` : ''}`;
  }),
].join('\n');

const HELP = `fieldlens ${VERSION} — open-vocabulary 3D scene understanding from RGB-D captures

Usage:
  fieldlens info <files, folders or zips…> [options] [--json]
      Detect the capture format, lift and fuse it, and print the point count, bounds and
      centroid (metres; world frame = first camera's frame when there are no poses).
  fieldlens query <files, folders or zips…> --text "<phrase>" --out result.ply [options]
      Lift the capture, run the 3D student and the CLIP text encoder (WASM), and write a PLY
      with x y z red green blue relevancy label instance per point (--out may be left out with --json).
        --labels               the text is a label set ("mug, plate, bottle") → label per point
${FORMULA_HELP}
        --template T           single | semantic-abstraction | clip-ensemble (default single)
        --negatives "a, b"     extra negatives (join the canonical set)
        --threshold X          instances above this min–max normalised relevancy (default 0.7)
        --model ID             a model from the manifest instead of its default of that kind
        --manifest FILE        another models/manifest.json
${segmentOptionsHelp()}
  fieldlens teacher <posed capture> --out scene.ply [--fusion F] [--k N] [--baseline B] [--json]
      Run the multi-view object-centric CLIP teacher (planes + objects, whitened crops per view,
      CLIP image encoder on WASM, fused per object) and write a PLY with x y z rgb and
      feat_0..feat_{D-1} per point, loadable as bring-your-own features.
        --fusion F             pixels | semantic | best-k (default pixels)
        --k N                  views kept by best-k fusion (default 3)
        --baseline B           tiles | conceptfusion instead of the object-centric teacher
        --image-model ID       a clip-image model from the manifest
        --manifest FILE        another models/manifest.json
  fieldlens tokenize "<text>" [--tokenizer FILE] [--json]
      CLIP token ids of a phrase, start and end tokens included, no padding
      (default tokenizer: the default text model's in models/manifest.json).
  fieldlens dataset --seed S --scenes N --views V --out DIR [--size WxH]
      Render N random tabletop scenes (deterministic from the seed), V posed RGB-D views each, into
      DIR/scene_000/… : scene.json (poses, intrinsics), colour, 16-bit depth and instance PNGs.
  fieldlens zero-shot <image> --labels "a diagram, a dog, a cat" [--model-set ID] [--json]
      CLIP zero-shot label probabilities of one image (softmax of 100 × cosine).
  fieldlens models standins --out DIR [--layers N] [--fp16]
      Write stand-ins of the CLIP ViT-B/32 towers (real architecture and size, random weights)
      with a tokenizer and DIR/manifest.json (use with --manifest DIR/manifest.json).
  fieldlens batch <info|teacher|query> <inputs…> --out DIR [task options] [--shard-index I --shard-count N]
      One shard of a dataset-wide task (see README "Running on a cluster"). Inputs: capture files or
      folders, folders of captures, quoted globs, or a .txt/.lst list of capture paths. Items are
      sorted by path; shard I of N takes every N-th. Shard defaults: SLURM_ARRAY_TASK_ID/_COUNT,
      JOB_COMPLETION_INDEX (Kubernetes; give --shard-count), AWS_BATCH_JOB_ARRAY_INDEX/_SIZE.
      Outputs DIR/<item>.<task>.{json,ply} appear complete or not at all; re-runs skip them.
  fieldlens batch status DIR [--json]
      Merge the shards' status files: done, failed (with messages), missing, time.
  fieldlens runtime [install-native [--cuda]]
      Show the ONNX Runtime the CLI uses, or install native onnxruntime-node on demand (CPU; --cuda
      also fetches the CUDA 12 provider). --runtime auto|native|wasm (or FIELDLENS_RUNTIME) picks one.
  fieldlens --help | --version

Model sets (query, teacher, zero-shot):
  --model-set ID          a model set of the manifest (default: its default set; see README)
  --manifest FILE         another models/manifest.json

Options:
${captureOptionsHelp()}
  --json                  print one JSON object

Capture formats (detected in this order):
${captureFormatsHelp(CAPTURE_FORMATS)}
`;

const VALUE_OPTIONS = new Set([
  'fusion',
  'k',
  'baseline',
  'image-model',
  'text',
  'out',
  'formula',
  'template',
  'negatives',
  'threshold',
  'model',
  'manifest',
  'tokenizer',
  ...CAPTURE_VALUE_OPTIONS,
]);
// `dataset` options (appended separately so parallel additions merge cleanly).
for (const name of ['seed', 'scenes', 'views', 'size']) VALUE_OPTIONS.add(name);
// Model sets, `zero-shot` and `models standins`.
for (const name of ['model-set', 'layers']) VALUE_OPTIONS.add(name);
// Segment-level query options (segmentOptions.ts).
for (const name of SEGMENT_VALUE_OPTIONS) VALUE_OPTIONS.add(name);
// `batch` and `runtime` options.
for (const name of ['shard-index', 'shard-count', 'runtime']) VALUE_OPTIONS.add(name);
const FLAG_OPTIONS = new Set(['json', 'help', 'version', 'labels', 'cuda', 'fp16', ...CAPTURE_FLAG_OPTIONS, ...SEGMENT_FLAG_OPTIONS]);

interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      options.set(name, value);
    } else if (FLAG_OPTIONS.has(name)) {
      options.set(name, true);
    } else {
      throw new Error(`unknown option --${name} (try fieldlens --help)`);
    }
  }
  return { positional, options };
}

function numberOption(args: ParsedArgs, name: string): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a non-negative number, found ${String(raw)}`);
  return value;
}

/**
 * Files as the core expects them: a folder contributes its files with paths relative to it.
 * All CLI file I/O is synchronous on purpose: once onnxruntime-web is imported, Node delivered
 * libuv completions (fs promises, WebCrypto) tens of seconds late in our measurements.
 */
function readInputs(paths: readonly string[]): CaptureFile[] {
  const out: CaptureFile[] = [];
  for (const path of paths) {
    const info = existsSync(path) ? statSync(path) : null;
    if (!info) throw new Error(`${path}: no such file or folder`);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = join(entry.parentPath, entry.name);
        checkFileSize(full, statSync(full).size);
        out.push({ name: relative(path, full).split(sep).join('/'), bytes: new Uint8Array(readFileSync(full)) });
      }
    } else {
      checkFileSize(path, info.size);
      out.push({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
    }
  }
  return out;
}

function captureOptions(args: ParsedArgs) {
  const { settings, extraFiles } = captureSettingsFromOptions(args.options, readInputs);
  return { options: settings, extraFiles };
}

function info(args: ParsedArgs): number {
  if (args.positional.length === 0) throw new Error('info: give capture files, folders or zips (e.g. color.png depth.png camera.json)');
  const { options, extraFiles } = captureOptions(args);
  const result = runInfoCommand([...readInputs(args.positional), ...extraFiles], options);
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const fmt = (v: readonly number[]) => `[${v.map((x) => x.toFixed(4)).join(', ')}]`;
    process.stdout.write(
      `${result.detected}\n${result.points} points\n  min ${fmt(result.min)} m\n  max ${fmt(result.max)} m\n  centroid ${fmt(result.centroid)} m\n`,
    );
    for (const w of result.warnings) process.stdout.write(`  note: ${w}\n`);
    if (result.depthScaleWarning) process.stdout.write(`  depth units: ${result.depthScaleWarning}\n`);
  }
  return 0;
}

const TEMPLATES = ['single', 'semantic-abstraction', 'clip-ensemble'] as const;

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw))
    throw new Error(`--${name}: expected one of ${allowed.join(', ')}, found ${String(raw)}`);
  return raw as T;
}

function querySettings(args: ParsedArgs): BatchSettings['query'] {
  const text = args.options.get('text');
  if (typeof text !== 'string') throw new Error('query: --text "<phrase>" is required');
  const manifest = args.options.get('manifest');
  const model = args.options.get('model');
  const negatives = args.options.get('negatives');
  return {
    text,
    labels: args.options.has('labels'),
    formula: choice(args, 'formula', RELEVANCY_KINDS, DEFAULT_FORMULA),
    template: choice(args, 'template', TEMPLATES, 'single'),
    negatives: typeof negatives === 'string' ? negatives : '',
    threshold: numberOption(args, 'threshold') ?? QUERY_DEFAULTS.threshold,
    modelId: typeof model === 'string' ? model : undefined,
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: typeof manifest === 'string' ? manifest : defaultManifestFile,
  };
}

async function query(args: ParsedArgs): Promise<number> {
  const settings = querySettings(args);
  const out = stringOption(args, 'out');
  const json = args.options.has('json');
  if (out === undefined && !json) throw new Error('query: --out result.ply is required (or --json)');
  if (args.positional.length === 0) throw new Error('query: give capture files, folders or zips');
  const { options, extraFiles } = captureOptions(args);
  const segmentQuery = segmentQuerySettings(args.options);
  const result = await runQueryCommand({ files: [...readInputs(args.positional), ...extraFiles], capture: options, ...settings, out, segmentQuery });
  const relation = result.relation
    ? `; ${result.relation.kind}: target segment ${result.relation.target.segment} at [${result.relation.target.centroid.map((v) => v.toFixed(3)).join(', ')}] m`
    : '';
  process.stdout.write(
    json
      ? `${JSON.stringify(result)}\n`
      : `wrote ${result.points} points to ${result.out} (${result.instances} instances, features from ${result.featureSource})${relation}\n`,
  );
  return 0;
}

function teacherSettings(args: ParsedArgs): BatchSettings['teacher'] {
  const manifest = args.options.get('manifest');
  const imageModel = args.options.get('image-model');
  const k = numberOption(args, 'k') ?? DEFAULT_BEST_K;
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k: expected a whole number ≥ 1, found ${k}`);
  const baseline = choice(args, 'baseline', ['none', 'tiles', 'conceptfusion'] as const, 'none');
  return {
    fusion: choice(args, 'fusion', FUSION_MODES, 'pixels'),
    k,
    method: baseline === 'none' ? 'objects' : baseline,
    imageModelId: typeof imageModel === 'string' ? imageModel : undefined,
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: typeof manifest === 'string' ? manifest : defaultManifestFile,
  };
}

async function teacher(args: ParsedArgs): Promise<number> {
  const out = args.options.get('out');
  if (typeof out !== 'string') throw new Error('teacher: --out scene.ply is required');
  if (args.positional.length === 0) throw new Error('teacher: give a posed RGB-D capture (files, a folder or a zip)');
  const { options, extraFiles } = captureOptions(args);
  const json = args.options.has('json');
  const result = await runTeacherCommand({
    files: [...readInputs(args.positional), ...extraFiles],
    capture: options,
    ...teacherSettings(args),
    out,
    ...(json ? {} : { onProgress: (p: TeacherProgress) => process.stderr.write(`\r${p.stage} ${p.done}/${p.total}${p.done === p.total ? '\n' : ''}`) }),
  });
  const t = result.timings;
  process.stdout.write(
    json
      ? `${JSON.stringify(result)}\n`
      : `wrote ${result.points} points with ${result.dim}-d teacher features (${result.space}) to ${result.out}: ${result.objects} segments, ${result.views} views, ${result.crops} crops, ${t.totalMs.toFixed(0)} ms\n`,
  );
  return 0;
}

function tokenize(args: ParsedArgs): number {
  if (args.positional.length !== 1) throw new Error('tokenize: give exactly one phrase (quote it)');
  const manifest = readModelManifest(defaultManifestFile);
  const spec = findModel(manifest, 'clip-text').tokenizer!;
  const override = args.options.get('tokenizer');
  const tokenizerPath = typeof override === 'string' ? override : join(repoRoot, 'models', spec.file);
  const tokenizerJson: unknown = JSON.parse(readFileSync(tokenizerPath, 'utf8'));
  // A user's tokenizer.json names its own special tokens; the manifest's ids fit only its own file.
  const ids = createClipTokenizer(tokenizerJson, typeof override === 'string' ? clipSpecialIds(tokenizerJson, tokenizerPath) : spec).encode(
    args.positional[0]!,
  );
  process.stdout.write(args.options.has('json') ? `${JSON.stringify(ids)}\n` : `${ids.join(' ')}\n`);
  return 0;
}

function dataset(args: ParsedArgs): number {
  const out = args.options.get('out');
  if (typeof out !== 'string') throw new Error('dataset: --out DIR is required');
  const count = (name: string, fallback: number) => {
    const value = numberOption(args, name) ?? fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, found ${value}`);
    return value;
  };
  const size = args.options.get('size');
  const written = runDatasetCommand(
    {
      seed: Math.floor(numberOption(args, 'seed') ?? 0),
      scenes: count('scenes', 1),
      views: count('views', 4),
      ...parseSize(typeof size === 'string' ? size : undefined),
      out,
    },
    (line) => process.stdout.write(`${line}\n`),
  );
  process.stdout.write(`${written.scenes} scenes, ${written.files} files, ${(written.bytes / 1024).toFixed(0)} KiB\n`);
  return 0;
}

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

async function zeroShot(args: ParsedArgs): Promise<number> {
  // --labels is also query's flag, so its text arrives as a positional: the one that is not the image file.
  const [image, labels] = args.positional.length === 2 && !existsSync(args.positional[0]!) ? [args.positional[1]!, args.positional[0]!] : args.positional;
  if (args.positional.length !== 2 || !args.options.has('labels')) throw new Error('zero-shot: give one image and --labels "a diagram, a dog, a cat"');
  const result = await runZeroShotCommand({
    image: image!,
    labels: labels!,
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: stringOption(args, 'manifest') ?? defaultManifestFile,
  });
  process.stdout.write(
    args.options.has('json')
      ? `${JSON.stringify(result)}\n`
      : result.labels.map((l) => `${l.probability.toFixed(4)}  ${l.label}`).join('\n') + `\n(${result.modelSet}: ${result.imageModel} + ${result.textModel})\n`,
  );
  return 0;
}

async function models(args: ParsedArgs): Promise<number> {
  if (args.positional[0] !== 'standins') throw new Error('models: the subcommand is "standins" (fieldlens models standins --out DIR [--layers N] [--fp16])');
  const out = stringOption(args, 'out');
  if (out === undefined) throw new Error('models standins: --out DIR is required');
  const layers = numberOption(args, 'layers');
  const { runStandinsCommand } = await import('./modelsCommand.ts');
  const built = runStandinsCommand({ out, layers, fp16: args.options.has('fp16') });
  for (const f of built.files) process.stdout.write(`wrote ${f.path} (${(f.bytes / 1e6).toFixed(1)} MB, ${(f.parameters / 1e6).toFixed(2)} M parameters)\n`);
  process.stdout.write(
    `wrote ${built.manifestPath} (tokenizer: ${built.tokenizer === 'clip' ? 'the real CLIP tokenizer.json' : "the repo's tiny CLIP-format tokenizer"})\n`,
  );
  return 0;
}

async function batch(args: ParsedArgs): Promise<number> {
  const [task, ...inputs] = args.positional;
  if (task === 'status') {
    if (inputs.length !== 1) throw new Error('batch status: give one batch folder');
    return runBatchStatusCli(inputs[0]!, args.options.has('json'));
  }
  if (!(BATCH_TASK_NAMES as readonly (string | undefined)[]).includes(task))
    throw new Error(`batch: the task is one of ${BATCH_TASK_NAMES.join(', ')}, or status; found ${task ?? 'none'}`);
  const out = args.options.get('out');
  if (typeof out !== 'string') throw new Error('batch: --out DIR is required');
  const { options, extraFiles } = captureOptions(args);
  const settings = task === 'teacher' ? teacherSettings(args) : task === 'query' ? querySettings(args) : {};
  return runBatchCli({
    task: task as keyof BatchSettings,
    inputs,
    out,
    shardIndex: numberOption(args, 'shard-index'),
    shardCount: numberOption(args, 'shard-count'),
    settings,
    capture: options,
    readCapture: (path) => [...readInputs([path]), ...extraFiles],
  });
}

function runtime(args: ParsedArgs): number {
  const [action] = args.positional;
  if (action === 'install-native') {
    const located = installNativeRuntime({ cuda: args.options.has('cuda'), log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`onnxruntime-node ${located.version} at ${located.entry}${located.cudaInstalled ? ' (with the CUDA provider)' : ''}\n`);
    return 0;
  }
  if (action !== undefined) throw new Error(`runtime: unknown action "${action}" (install-native, or nothing to show the runtime)`);
  process.stdout.write(`${cliRuntime().description}\n`);
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [command] = args.positional;
    const runtimeOption = args.options.get('runtime');
    if (typeof runtimeOption === 'string') setRuntimeChoice(parseRuntimeChoice(runtimeOption, '--runtime'));
    if (args.options.has('version')) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || args.options.has('help') || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined && !args.options.has('help') ? 1 : 0;
    }
    if (command === 'info') return info({ ...args, positional: args.positional.slice(1) });
    if (command === 'tokenize') return tokenize({ ...args, positional: args.positional.slice(1) });
    if (command === 'query') return await query({ ...args, positional: args.positional.slice(1) });
    if (command === 'dataset') return dataset({ ...args, positional: args.positional.slice(1) });
    if (command === 'teacher') return await teacher({ ...args, positional: args.positional.slice(1) });
    if (command === 'zero-shot') return await zeroShot({ ...args, positional: args.positional.slice(1) });
    if (command === 'models') return await models({ ...args, positional: args.positional.slice(1) });
    if (command === 'batch') return await batch({ ...args, positional: args.positional.slice(1) });
    if (command === 'runtime') return runtime({ ...args, positional: args.positional.slice(1) });
    throw new Error(`unknown command "${command}" (try fieldlens --help)`);
  } catch (error) {
    process.stderr.write(`fieldlens: ${(error as Error).message}\n`);
    return 1;
  }
}
