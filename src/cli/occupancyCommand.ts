/**
 * `fieldlens occupancy <capture> --voxel M --out DIR [--labels "a, b"] [--text "…"]`: the semantic
 * occupancy grid of a capture (core/occupancy/semanticOccupancy.ts) as `occupancy.npy` (bool),
 * `labels.npy` (int32, −1 = empty or background), `relevancy.npy` (float32, NaN = empty) and
 * `occupancy.json` (origin, voxel size, shape, axes, order, label names). `--voxel` here is the
 * grid's voxel, not the capture's down-sampling. Labels come from a label-set query, relevancy from
 * `--text` (else the per-point score of the winning label is not defined: relevancy stays NaN).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { encodeNpy } from '../core/formats/npyEncode.ts';
import { occupancyHeader, semanticOccupancy } from '../core/occupancy/semanticOccupancy.ts';
import { numberOption, readCapture, requiredOption, stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { modelChoice, pointLabels, pointRelevancy, SCENE_MODEL_OPTIONS, sceneEngine } from './sceneModels.ts';

export const OCCUPANCY_OPTIONS: readonly CliOptionRow[] = [
  { name: 'voxel', value: 'M', help: ["the grid's voxel edge in metres (not the capture's down-sampling here)"] },
  { name: 'out', value: 'DIR', help: ['writes occupancy.npy, labels.npy, relevancy.npy and occupancy.json'] },
  { name: 'labels', value: '"a, b"', help: ['label set: majority label per voxel (labels.npy, names in the JSON)'] },
  { name: 'text', value: '"<phrase>"', help: ['relevancy of a phrase: mean per voxel (relevancy.npy)'] },
  ...SCENE_MODEL_OPTIONS,
];

export async function occupancyCli(args: ParsedArgs): Promise<number> {
  if (args.positional.length === 0) throw new Error('occupancy: give a capture (files, a folder or a zip)');
  const voxel = numberOption(args, 'voxel');
  if (voxel === undefined || voxel <= 0) throw new Error('occupancy: --voxel M (metres, > 0) is required');
  const out = requiredOption(args, 'out', 'occupancy: --out DIR is required');
  const labelsText = stringOption(args, 'labels');
  const text = stringOption(args, 'text');
  // --voxel belongs to the grid: the capture is read at full resolution.
  const options = new Map(args.options);
  options.delete('voxel');
  const { files, capture } = readCapture({ ...args, options }, args.positional);
  const loaded = loadCapture(files, capture);
  const engine = labelsText !== undefined || text !== undefined ? sceneEngine(loaded, modelChoice(args)) : null;
  const labels = labelsText !== undefined ? await pointLabels(engine!, labelsText) : null;
  const relevancy = text !== undefined ? await pointRelevancy(engine!, text) : null;
  const grid = semanticOccupancy(
    { count: loaded.cloud.count, positions: loaded.cloud.positions, labels: labels?.perPoint ?? null, relevancy: relevancy?.values ?? null },
    voxel,
  );
  const files_ = { occupancy: 'occupancy.npy', labels: 'labels.npy', relevancy: 'relevancy.npy' } as const;
  const header = occupancyHeader(grid, { labelNames: labels?.names ?? [], relevancyQuery: text ?? null, files: files_ });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, files_.occupancy), encodeNpy(grid.occupancy, grid.shape, { bool: true }));
  writeFileSync(join(out, files_.labels), encodeNpy(grid.labels, grid.shape));
  writeFileSync(join(out, files_.relevancy), encodeNpy(grid.relevancy, grid.shape));
  writeFileSync(join(out, 'occupancy.json'), `${JSON.stringify(header, null, 1)}\n`);
  process.stdout.write(
    args.options.has('json')
      ? `${JSON.stringify(header)}\n`
      : `wrote ${out}: ${grid.shape.join(' × ')} voxels of ${voxel} m, ${header.occupiedVoxels} occupied${labels ? `, labels ${labels.names.join(', ')}` : ''}\n`,
  );
  return 0;
}
