/**
 * Every `fieldlens` command, one row each: name, usage line, summary, its own options (parsed and
 * listed in --help from the row) and its runner. main.ts parses with the row's options and calls
 * the runner; the help text is built from this table alone. A new command is one row here and one
 * runner file.
 */
import { CAPTURE_SETTING_FIELDS } from '../core/capture/captureSettings.ts';
import { CAPTURE_FORMATS } from '../core/capture/captureFormats.ts';
import { batchCli } from './batchCli.ts';
import { optionRowsHelp, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { captureFormatsHelp, captureOptionsHelp } from './captureOptions.ts';
import { datasetCli } from './datasetCommand.ts';
import { infoCli } from './infoCommand.ts';
import { MODEL_SET_OPTIONS, QUERY_OPTIONS, queryCli } from './queryCommand.ts';
import { MATCH_OPTIONS, matchCli } from './matchCommand.ts';
import { OCCUPANCY_OPTIONS, occupancyCli } from './occupancyCommand.ts';
import { RENDER_OPTIONS, renderCli } from './renderCommand.ts';
import { runtimeCli } from './runtimeCommand.ts';
import { SEGMENT_QUERY_OPTIONS } from './segmentOptions.ts';
import { TEACHER_OPTIONS, teacherCli } from './teacherCommand.ts';
import { tokenizeCli } from './tokenizeCommand.ts';
import { zeroShotCli } from './zeroShotCommand.ts';

export const VERSION = '0.1.0';

export interface CliCommand {
  readonly name: string;
  /** What follows `fieldlens` on the usage line. */
  readonly usage: string;
  readonly summary: readonly string[];
  /** The command's own options, listed under its usage line. */
  readonly options: readonly CliOptionRow[];
  /** Whether the command reads a capture: the shared capture options (listed once, under "Options") apply. */
  readonly capture: boolean;
  readonly run: (args: ParsedArgs) => number | Promise<number>;
}

export const JSON_OPTION: CliOptionRow = { name: 'json', help: ['print one JSON object'] };
/** Options every command takes (main.ts handles them before the command runs). */
export const GLOBAL_OPTIONS: readonly CliOptionRow[] = [
  { name: 'help', help: ['this text'] },
  { name: 'version', help: ['the version'] },
  { name: 'runtime', value: 'R', help: ['auto | native | wasm: the ONNX Runtime for model runs (or FIELDLENS_RUNTIME)'] },
];
export const CAPTURE_OPTIONS: readonly CliOptionRow[] = CAPTURE_SETTING_FIELDS.map((f) => f.cli);

const out = (what: string): CliOptionRow => ({ name: 'out', value: 'DIR', help: [what] });

export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'info',
    usage: 'info <files, folders or zips…> [options] [--json]',
    summary: [
      'Detect the capture format, lift and fuse it, and print the point count, bounds and',
      "centroid (metres; world frame = first camera's frame when there are no poses).",
    ],
    options: [JSON_OPTION],
    capture: true,
    run: infoCli,
  },
  {
    name: 'query',
    usage: 'query <files, folders or zips…> --text "<phrase>" --out result.ply [options]',
    summary: [
      'Lift the capture, run the 3D student and the CLIP text encoder (WASM), and write a PLY',
      'with x y z red green blue relevancy label instance per point (--out may be left out with --json).',
    ],
    options: [...QUERY_OPTIONS, ...SEGMENT_QUERY_OPTIONS, JSON_OPTION],
    capture: true,
    run: queryCli,
  },
  {
    name: 'teacher',
    usage: 'teacher <posed capture> --out scene.ply [--fusion F] [--k N] [--baseline B] [--json]',
    summary: [
      'Run the multi-view object-centric CLIP teacher (planes + objects, whitened crops per view,',
      'CLIP image encoder on WASM, fused per object) and write a PLY with x y z rgb and',
      'feat_0..feat_{D-1} per point, loadable as bring-your-own features.',
    ],
    options: [...TEACHER_OPTIONS, JSON_OPTION],
    capture: true,
    run: teacherCli,
  },
  {
    name: 'render',
    usage: 'render <capture> --view N | --pose FILE --out DIR [--size WxH] [--text "<phrase>"] [--features]',
    summary: [
      'Images of the cloud from an input camera or a pose file: points splatted with a depth test',
      '(splat size from the point spacing, depth and intrinsics), small holes filled from the front-most neighbour.',
    ],
    options: [...RENDER_OPTIONS, JSON_OPTION],
    capture: true,
    run: renderCli,
  },
  {
    name: 'occupancy',
    usage: 'occupancy <capture> --voxel M --out DIR [--labels "a, b"] [--text "<phrase>"]',
    summary: [
      'Semantic occupancy: a voxel grid over the cloud with per-voxel occupancy, majority label and mean',
      'relevancy as .npy arrays, plus a JSON header (origin, voxel size, shape, axes, label names).',
    ],
    options: [...OCCUPANCY_OPTIONS, JSON_OPTION],
    capture: true,
    run: occupancyCli,
  },
  {
    name: 'match',
    usage: 'match <reference> <target> --point I | --points FILE [--k 5] [--json]',
    summary: [
      "Feature correspondence across scenes (SparseDFF): the k target points most similar to a reference point's",
      'feature: { matches: [{ index, similarity, position }] } (index into the target, position in metres).',
    ],
    options: [...MATCH_OPTIONS, JSON_OPTION],
    capture: true,
    run: matchCli,
  },
  {
    name: 'tokenize',
    usage: 'tokenize "<text>" [--tokenizer FILE] [--json]',
    summary: [
      'CLIP token ids of a phrase, start and end tokens included, no padding',
      "(default tokenizer: the default text model's in models/manifest.json).",
    ],
    options: [{ name: 'tokenizer', value: 'FILE', help: ['a CLIP tokenizer.json'] }, JSON_OPTION],
    capture: false,
    run: tokenizeCli,
  },
  {
    name: 'dataset',
    usage: 'dataset --seed S --scenes N --views V --out DIR [--size WxH]',
    summary: [
      'Render N random tabletop scenes (deterministic from the seed), V posed RGB-D views each, into',
      'DIR/scene_000/… : scene.json (poses, intrinsics), colour, 16-bit depth and instance PNGs.',
    ],
    options: [
      { name: 'seed', value: 'S', help: ['random seed (default 0)'] },
      { name: 'scenes', value: 'N', help: ['number of scenes (default 1)'] },
      { name: 'views', value: 'V', help: ['views per scene (default 4)'] },
      { name: 'size', value: 'WxH', help: ['image size in pixels (default 320x240)'] },
      out('output folder'),
    ],
    capture: false,
    run: datasetCli,
  },
  {
    name: 'zero-shot',
    usage: 'zero-shot <image> --labels "a diagram, a dog, a cat" [--model-set ID] [--json]',
    summary: ['CLIP zero-shot label probabilities of one image (softmax of 100 × cosine).'],
    options: [{ name: 'labels', value: '"a, b"', help: ['the labels, encoded as written'] }, ...MODEL_SET_OPTIONS, JSON_OPTION],
    capture: false,
    run: zeroShotCli,
  },
  {
    name: 'models',
    usage: 'models standins --out DIR [--layers N] [--fp16]',
    summary: [
      'Write stand-ins of the CLIP ViT-B/32 towers (real architecture and size, random weights)',
      'with a tokenizer and DIR/manifest.json (use with --manifest DIR/manifest.json).',
    ],
    options: [
      out('output folder'),
      { name: 'layers', value: 'N', help: ['transformer layers per tower (default: the real count)'] },
      { name: 'fp16', help: ['also write float16 variants'] },
    ],
    capture: false,
    // Needs the dev dependencies (onnx-proto): loaded only when the command runs.
    run: async (args) => (await import('./modelsCommand.ts')).modelsCli(args),
  },
  {
    name: 'batch',
    usage: 'batch <info|teacher|query|status> <inputs…> --out DIR [task options] [--shard-index I --shard-count N]',
    summary: [
      'One shard of a dataset-wide task (see README "Running on a cluster"). Inputs: capture files or',
      'folders, folders of captures, quoted globs, or a .txt/.lst list of capture paths. Items are',
      'sorted by path; shard I of N takes every N-th. Shard defaults: SLURM_ARRAY_TASK_ID/_COUNT,',
      'JOB_COMPLETION_INDEX (Kubernetes; give --shard-count), AWS_BATCH_JOB_ARRAY_INDEX/_SIZE.',
      'Outputs DIR/<item>.<task>.{json,ply} appear complete or not at all; re-runs skip them.',
      "`batch status DIR [--json]` merges the shards' status files: done, failed, missing, time.",
    ],
    options: [
      { name: 'shard-index', value: 'I', help: ['this shard (0-based)'] },
      { name: 'shard-count', value: 'N', help: ['number of shards'] },
      JSON_OPTION,
    ],
    capture: true,
    run: batchCli,
  },
  {
    name: 'runtime',
    usage: 'runtime [install-native [--cuda]]',
    summary: [
      'Show the ONNX Runtime the CLI uses, or install native onnxruntime-node on demand (CPU; --cuda',
      'also fetches the CUDA 12 provider). --runtime auto|native|wasm (or FIELDLENS_RUNTIME) picks one.',
    ],
    options: [{ name: 'cuda', help: ['also install the CUDA 12 execution provider'] }],
    capture: false,
    run: runtimeCli,
  },
];

/** `batch` takes its tasks' options too (each task's own rows, parsed as for the single command). */
const BATCH_TASK_OPTIONS: readonly CliOptionRow[] = [...QUERY_OPTIONS, ...TEACHER_OPTIONS];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Every option `command` accepts; a command's own row wins over a shared one of the same name. */
export function commandOptions(command: CliCommand): CliOptionRow[] {
  return [...GLOBAL_OPTIONS, ...(command.capture ? CAPTURE_OPTIONS : []), ...(command.name === 'batch' ? BATCH_TASK_OPTIONS : []), ...command.options];
}

/** The whole --help text, built from the table. */
export function helpText(): string {
  const commands = COMMANDS.flatMap((c) => [
    `  fieldlens ${c.usage}`,
    ...c.summary.map((line) => `      ${line}`),
    ...optionRowsHelp(c.options.filter((o) => o !== JSON_OPTION)),
  ]);
  return `fieldlens ${VERSION} — open-vocabulary 3D scene understanding from RGB-D captures

Usage:
${commands.join('\n')}
  fieldlens --help | --version

Options (commands that read a capture: ${COMMANDS.filter((c) => c.capture)
    .map((c) => c.name)
    .join(', ')}):
${captureOptionsHelp()}
  --json                  print one JSON object
  --runtime R             ${GLOBAL_OPTIONS.find((o) => o.name === 'runtime')!.help[0]}

Capture formats (detected in this order):
${captureFormatsHelp(CAPTURE_FORMATS)}
`;
}
