/**
 * The `fieldlens` command-line tool: batch work on the same core as the studio.
 * Each subcommand returns an exit code; errors print one specific line to stderr.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { assembleRgbdFrame } from '../core/ingest/assembleRgbdFrame.ts';
import { computeBounds } from '../core/lift/pointCloud.ts';
import { INTRINSICS_PRESETS } from '../core/parse/intrinsics.ts';

const VERSION = '0.1.0';

const HELP = `fieldlens ${VERSION} — open-vocabulary 3D scene understanding from RGB-D captures

Usage:
  fieldlens info <files…> [--depth-scale S] [--intrinsics-preset ID] [--json]
      Lift a colour image + 16-bit depth PNG (+ Open3D intrinsics .json) and print
      the point count, bounds (metres, camera frame) and what was detected.
  fieldlens --help | --version

Options:
  --depth-scale S         depth units per metre (default 1000)
  --intrinsics-preset ID  camera preset when no intrinsics .json is given:
${INTRINSICS_PRESETS.map((p) => `                            ${p.id}`).join('\n')}
  --json                  print one JSON object
`;

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
    const takesValue = name === 'depth-scale' || name === 'intrinsics-preset';
    if (takesValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      options.set(name, value);
    } else {
      options.set(name, true);
    }
  }
  return { positional, options };
}

async function info(args: ParsedArgs): Promise<number> {
  if (args.positional.length === 0) throw new Error('info: give a colour image, a depth PNG and (optionally) an intrinsics .json');
  const files = await Promise.all(args.positional.map(async (path) => ({ name: basename(path), bytes: new Uint8Array(await readFile(path)) })));
  const depthScale = Number(args.options.get('depth-scale') ?? 1000);
  const preset = args.options.get('intrinsics-preset');
  const { cloud, report } = assembleRgbdFrame(files, { depthScale, intrinsicsPresetId: typeof preset === 'string' ? preset : undefined });
  const bounds = computeBounds(cloud.positions, cloud.count);
  const result = { detected: report.detected, points: cloud.count, min: bounds.min, max: bounds.max, centroid: bounds.centroid, intrinsics: report.intrinsics, depthScale };
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const fmt = (v: readonly number[]) => `[${v.map((x) => x.toFixed(4)).join(', ')}]`;
    process.stdout.write(`${report.detected}: ${cloud.count} points\n  min ${fmt(bounds.min)} m\n  max ${fmt(bounds.max)} m\n  centroid ${fmt(bounds.centroid)} m\n`);
  }
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [command] = args.positional;
    if (args.options.has('version')) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || args.options.has('help') || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined && !args.options.has('help') ? 1 : 0;
    }
    if (command === 'info') return await info({ ...args, positional: args.positional.slice(1) });
    throw new Error(`unknown command "${command}" (try fieldlens --help)`);
  } catch (error) {
    process.stderr.write(`fieldlens: ${(error as Error).message}\n`);
    return 1;
  }
}
