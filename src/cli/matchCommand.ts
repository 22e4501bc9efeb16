/**
 * `fieldlens match <reference> <target> --point I [--k 5] --json`: the k target points whose features
 * are most similar (cosine) to reference point I's — SparseDFF's correspondence across scenes.
 * `--points FILE` takes many reference indices (a text file of integers, or a JSON array).
 * Both captures get their features the same way (their own, else the model set's student) and must
 * be in the same feature space. Matching: core/match/matchStores.ts (exact below
 * APPROXIMATE_FROM_POINTS target points, approximate from there: exact similarities of the points
 * in the N lists nearest each query; `--exact` forces exact, `--approximate N` sets N). `--prune` drops target points whose feature disagrees with their
 * neighbours' first; `--refine` refines both scenes' features across their views first.
 */
import { readFileSync } from 'node:fs';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../core/capture/loadCapture.ts';
import { halfFeaturesFromFloat32 } from '../core/features/featureStores.ts';
import { DEFAULT_PROBES } from '../core/match/approximateIndex.ts';
import { APPROXIMATE_FROM_POINTS, matchFeatureStore, matchIsExact, type MatchStoreOptions } from '../core/match/matchStores.ts';
import { readFeatureRows } from '../core/features/featureStores.ts';
import { pruneDiscontinuous, PRUNE_DEFAULTS } from '../core/match/pruneFeatures.ts';
import { refineAcrossViews } from '../core/match/refineFeatures.ts';
import { countOption, readCapture, stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { activeFeatureSetId, modelChoice, pointFeatures, SCENE_MODEL_OPTIONS, sceneEngine, type ModelChoice } from './sceneModels.ts';

export interface MatchCommandOptions {
  readonly reference: { readonly files: readonly CaptureFile[]; readonly capture: CaptureSettings };
  readonly target: { readonly files: readonly CaptureFile[]; readonly capture: CaptureSettings };
  readonly points: readonly number[];
  readonly k: number;
  readonly approximate?: number | undefined;
  /** Force the exact kernel whatever the target's size. */
  readonly exact?: boolean;
  readonly prune: boolean;
  readonly refine: boolean;
  readonly models: ModelChoice;
}

export interface MatchJson {
  readonly index: number;
  readonly similarity: number;
  /** Metres, the target's world frame. */
  readonly position: readonly [number, number, number];
}

export interface MatchCommandResult {
  readonly queries: readonly { readonly point: number; readonly matches: readonly MatchJson[] }[];
  readonly featureSource: string;
  readonly dim: number;
  readonly referencePoints: number;
  readonly targetPoints: number;
  /** Target points left after --prune (all of them without). */
  readonly targetKept: number;
  readonly exact: boolean;
}

export const MATCH_OPTIONS: readonly CliOptionRow[] = [
  { name: 'point', value: 'I', help: ['a reference point index'] },
  { name: 'points', value: 'FILE', help: ['many reference point indices (integers in a text file, or a JSON array)'] },
  { name: 'k', value: 'N', help: ['matches per point (default 5)'] },
  { name: 'approximate', value: 'N', help: [`score the points of the N feature clusters nearest each query (default ${DEFAULT_PROBES}; may miss matches)`] },
  { name: 'exact', help: [`exact matching (the default below ${APPROXIMATE_FROM_POINTS.toLocaleString('en')} target points; approximate from there)`] },
  { name: 'prune', help: [`drop target points whose feature disagrees with most of their ${PRUNE_DEFAULTS.neighbours} neighbours (SparseDFF)`] },
  { name: 'refine', help: ["refine both scenes' features across their views first (contrastive, SparseDFF)"] },
  ...SCENE_MODEL_OPTIONS,
];

/**
 * The scene's features as float32 rows: refinement, pruning and the query rows read them per
 * point (a CLI run on two scenes, expanded once from the engine's compact store).
 */
async function sceneFeatures(loaded: LoadedCapture, models: ModelChoice, refine: boolean) {
  const store = await pointFeatures(sceneEngine(loaded, models), loaded);
  const features = { values: readFeatureRows(store, 0, store.pointCount), dim: store.dim };
  return refine ? { ...features, values: refineAcrossViews(loaded.cloud, features.values, features.dim).values } : features;
}

export async function runMatchCommand(o: MatchCommandOptions): Promise<MatchCommandResult> {
  const reference = loadCapture(o.reference.files, o.reference.capture);
  const target = loadCapture(o.target.files, o.target.capture);
  for (const p of o.points) {
    if (!Number.isInteger(p) || p < 0 || p >= reference.cloud.count)
      throw new Error(`match: reference point ${p} is not an index of its ${reference.cloud.count} points`);
  }
  const source = activeFeatureSetId(reference);
  if (activeFeatureSetId(target) !== source) {
    throw new Error(
      `match: the reference's features come from ${source === 'file' ? 'its own file' : 'the student'} but the target's do not; both scenes must be in the same feature space`,
    );
  }
  const ref = await sceneFeatures(reference, o.models, o.refine);
  const tgt = await sceneFeatures(target, o.models, o.refine);
  if (ref.dim !== tgt.dim)
    throw new Error(`match: the reference's features are ${ref.dim}-d, the target's ${tgt.dim}-d; both scenes must be in the same feature space`);
  const dim = ref.dim;
  let kept: Uint32Array | null = null;
  if (o.prune) kept = pruneDiscontinuous(target.cloud.positions, tgt.values, dim, target.cloud.count).kept;
  const keptCount = kept ? kept.length : target.cloud.count;
  const values = kept ? new Float32Array(keptCount * dim) : tgt.values;
  const positions = kept ? new Float32Array(keptCount * 3) : target.cloud.positions;
  if (kept) {
    kept.forEach((i, j) => {
      values.set(tgt.values.subarray(i * dim, (i + 1) * dim), j * dim);
      positions.set(target.cloud.positions.subarray(3 * i, 3 * i + 3), 3 * j);
    });
  }
  const queries = new Float32Array(o.points.length * dim);
  o.points.forEach((p, j) => queries.set(ref.values.subarray(p * dim, (p + 1) * dim), j * dim));
  // The target is matched from fp16 rows (the engine's per-point form): half the bytes read per scored row.
  if (o.exact && o.approximate !== undefined) throw new Error('match: give at most one of --exact and --approximate N');
  const options: MatchStoreOptions = o.exact ? { exact: true } : o.approximate !== undefined ? { exact: false, probes: o.approximate } : {};
  const results = matchFeatureStore(queries, halfFeaturesFromFloat32(values, dim), o.k, positions, options);
  const p = target.cloud.positions;
  return {
    queries: o.points.map((point, j) => ({
      point,
      matches: results[j]!.map((m) => {
        const index = kept ? kept[m.index]! : m.index;
        return { index, similarity: m.similarity, position: [p[3 * index]!, p[3 * index + 1]!, p[3 * index + 2]!] as const };
      }),
    })),
    featureSource: source,
    dim,
    referencePoints: reference.cloud.count,
    targetPoints: target.cloud.count,
    targetKept: keptCount,
    exact: matchIsExact(keptCount, options),
  };
}

/** Point indices from a --points file: integers separated by white space or commas, or a JSON array. */
export function parsePointList(text: string, fileName: string): number[] {
  const trimmed = text.trim();
  const raw: unknown[] = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split(/[\s,]+/).filter(Boolean);
  const items = raw.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
  const bad = items.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0);
  if (bad >= 0) throw new Error(`${fileName}: entry ${bad + 1} is not a point index (a whole number ≥ 0), found ${JSON.stringify(raw[bad])}`);
  if (items.length === 0) throw new Error(`${fileName}: no point indices`);
  return items as number[];
}

export async function matchCli(args: ParsedArgs): Promise<number> {
  if (args.positional.length !== 2) throw new Error('match: give a reference and a target capture (each a file, a folder or a zip)');
  const point = stringOption(args, 'point');
  const pointsFile = stringOption(args, 'points');
  if ((point === undefined) === (pointsFile === undefined)) throw new Error('match: give exactly one of --point I and --points FILE');
  const points = pointsFile !== undefined ? parsePointList(readFileSync(pointsFile, 'utf8'), pointsFile) : parsePointList(point!, '--point');
  const approximate = args.options.has('approximate') ? countOption(args, 'approximate', 64) : undefined;
  const result = await runMatchCommand({
    reference: readCapture(args, [args.positional[0]!]),
    target: readCapture(args, [args.positional[1]!]),
    points,
    k: countOption(args, 'k', 5),
    approximate,
    exact: args.options.has('exact'),
    prune: args.options.has('prune'),
    refine: args.options.has('refine'),
    models: modelChoice(args),
  });
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(pointsFile === undefined ? { matches: result.queries[0]!.matches, ...summary(result) } : { ...result })}\n`);
    return 0;
  }
  for (const q of result.queries) {
    process.stdout.write(`reference point ${q.point}:\n`);
    for (const m of q.matches)
      process.stdout.write(`  ${m.index}  similarity ${m.similarity.toFixed(4)}  at [${m.position.map((v) => v.toFixed(3)).join(', ')}] m\n`);
  }
  return 0;
}

function summary(r: MatchCommandResult) {
  return {
    featureSource: r.featureSource,
    dim: r.dim,
    referencePoints: r.referencePoints,
    targetPoints: r.targetPoints,
    targetKept: r.targetKept,
    exact: r.exact,
  };
}
