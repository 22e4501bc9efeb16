/**
 * `fieldlens models standins --out DIR [--layers N] [--fp16]`: writes the stand-ins of the CLIP
 * ViT-B/32 towers (models/build/standins.ts) with their tokenizer and a manifest whose default
 * model set they are. A repository tool: it needs the dev dependencies (onnx-proto), so the command
 * table imports this module only when the subcommand runs.
 */
import { buildStandins, type StandinBuild } from '../../models/build/standins.ts';
import { numberOption, requiredOption, type ParsedArgs } from './cliArgs.ts';

export interface StandinsCommandOptions {
  readonly out: string;
  readonly layers?: number | undefined;
  readonly fp16: boolean;
}

export function runStandinsCommand(o: StandinsCommandOptions): StandinBuild {
  return buildStandins({ out: o.out, fp16: o.fp16, ...(o.layers === undefined ? {} : { layers: o.layers }) });
}

export function modelsCli(args: ParsedArgs): number {
  if (args.positional[0] !== 'standins') throw new Error('models: the subcommand is "standins" (fieldlens models standins --out DIR [--layers N] [--fp16])');
  const out = requiredOption(args, 'out', 'models standins: --out DIR is required');
  const built = runStandinsCommand({ out, layers: numberOption(args, 'layers'), fp16: args.options.has('fp16') });
  for (const f of built.files) process.stdout.write(`wrote ${f.path} (${(f.bytes / 1e6).toFixed(1)} MB, ${(f.parameters / 1e6).toFixed(2)} M parameters)\n`);
  process.stdout.write(
    `wrote ${built.manifestPath} (tokenizer: ${built.tokenizer === 'clip' ? 'the real CLIP tokenizer.json' : "the repo's tiny CLIP-format tokenizer"})\n`,
  );
  return 0;
}
