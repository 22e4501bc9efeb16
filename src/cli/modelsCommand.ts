/**
 * `fieldlens models standins --out DIR [--layers N] [--fp16]`: writes the stand-ins of the CLIP
 * ViT-B/32 towers (models/build/standins.ts) with their tokenizer and a manifest whose default
 * model set they are. A repository tool: it needs the dev dependencies (onnx-proto), so main.ts
 * imports this module only when the subcommand runs.
 */
import { buildStandins, type StandinBuild } from '../../models/build/standins.ts';

export interface StandinsCommandOptions {
  readonly out: string;
  readonly layers?: number | undefined;
  readonly fp16: boolean;
}

export function runStandinsCommand(o: StandinsCommandOptions): StandinBuild {
  return buildStandins({ out: o.out, fp16: o.fp16, ...(o.layers === undefined ? {} : { layers: o.layers }) });
}
