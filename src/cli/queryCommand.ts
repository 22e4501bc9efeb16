/**
 * `fieldlens query`: lift a capture, run the 3D student and the text encoder (onnxruntime-web's
 * WASM backend under Node, through the same SceneEngine the worker uses) and write a PLY with
 * xyz, rgb, relevancy, label and instance per point.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { encodeResultPly } from '../core/export/resultPly.ts';
import type { RelevancyKind } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import { findModel, resolveModelSet, type ModelManifest } from '../core/models/manifest.ts';
import { SceneEngine } from '../infer/sceneEngine.ts';
import { MIN_EMBEDDING_DIM } from '../core/units.ts';
import { nodeModelSource, readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { segmentQueryJson, type MasksJson, type RelationJson } from './segmentQueryCommand.ts';
import { segmentQuerySettings, type SegmentQuerySettings } from './segmentOptions.ts';
import { choice, numberOption, readCapture, stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { DEFAULT_FORMULA as DEFAULT_FORMULA, FORMULA_TABLE, RELEVANCY_KINDS } from '../core/query/formulaTable.ts';

export interface QueryCommandOptions {
  readonly files: readonly CaptureFile[];
  readonly capture: CaptureSettings;
  readonly text: string;
  readonly labels: boolean;
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  readonly negatives: string;
  readonly threshold: number;
  readonly modelId?: string | undefined;
  /** A model set of the manifest (default: its default set). */
  readonly modelSetId?: string | undefined;
  readonly manifestPath: string;
  /** The result PLY; absent = none written (`--json` alone). */
  readonly out?: string | undefined;
  /** Mask mode and relations (segmentOptions.ts); absent = neither. */
  readonly segmentQuery?: SegmentQuerySettings | undefined;
}

export interface QueryCommandResult {
  readonly points: number;
  readonly instances: number;
  readonly relevancyRange: { readonly min: number; readonly max: number } | null;
  readonly labels: readonly string[];
  readonly featureSource: string;
  /** Dimension of the features queried, and the model set and text model that answered. */
  readonly featureDim: number;
  readonly modelSet: string;
  readonly textModel: string;
  readonly space: string;
  readonly out: string | null;
  /** Present when the text names a spatial relation ("red ball left of green box"). */
  readonly relation?: RelationJson;
  /** Present with --masks: segments best first. */
  readonly masks?: MasksJson;
}

/** What `fieldlens query` uses when an option is not given (the help text states the same). */
export const QUERY_DEFAULTS = {
  labels: false,
  formula: DEFAULT_FORMULA,
  template: 'single',
  negatives: '',
  threshold: 0.7,
  manifestPath: defaultManifestFile,
} as const satisfies Partial<QueryCommandOptions>;

/** An engine with the chosen models; `fieldlens batch` keeps one per shard so models load once. */
export function queryEngine(o: Pick<QueryCommandOptions, 'manifestPath' | 'modelId' | 'modelSetId'>): SceneEngine {
  const manifestUrl = pathToFileURL(o.manifestPath);
  const manifest = readModelManifest(o.manifestPath);
  const { models } = chooseQueryModels(manifest, o.manifestPath, o.modelSetId, o.modelId);
  return new SceneEngine(() => Promise.resolve(nodeModelSource(manifest, manifestUrl, models)));
}

export async function runQueryCommand(o: QueryCommandOptions, engine = queryEngine(o)): Promise<QueryCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
  const manifest = readModelManifest(o.manifestPath);
  const { set, models } = chooseQueryModels(manifest, o.manifestPath, o.modelSetId, o.modelId);
  const own = loaded.halfFeatures ?? loaded.features;
  const ownFeatures = own && own.dim >= MIN_EMBEDDING_DIM ? own : null;
  if (!models.student && !ownFeatures) {
    throw new Error(
      `model set "${set.set.id}" has no 3D student: give a capture that carries its own ${set.text.embeddingDim}-d features (PLY feat_* properties or an N×D .npy), e.g. written by fieldlens teacher`,
    );
  }
  engine.setCloud(loaded.cloud, own);
  const outcome = await engine.query({
    text: o.text,
    mode: o.labels ? 'labels' : 'relevancy',
    formula: o.formula,
    template: o.template,
    negatives: o.negatives,
    ...(o.labels ? {} : { threshold: o.threshold }),
  });
  const n = loaded.cloud.count;
  // The same writer as the studio's export: the file loads back into FieldLens with its result.
  if (o.out !== undefined) {
    const ply = encodeResultPly(loaded.cloud, {
      query: { text: o.text, mode: outcome.mode, formula: o.formula, template: o.template, negatives: o.negatives, threshold: o.labels ? null : o.threshold },
      layers: outcome.layers,
      labels: outcome.labels,
      instanceIds: outcome.instanceIds,
    });
    writeFileSync(o.out, ply);
  }
  const segments = o.segmentQuery ? await segmentQueryJson(engine, loaded, o, o.segmentQuery) : {};
  return {
    points: n,
    instances: outcome.instances.length,
    relevancyRange: outcome.layers[0]?.range ?? null,
    labels: outcome.labels?.names ?? [],
    featureSource: outcome.featureSource,
    featureDim: outcome.featureSource === 'file' ? ownFeatures!.dim : findModel(manifest, 'student3d', models.student).embeddingDim,
    modelSet: set.set.id,
    textModel: models.text,
    space: findModel(manifest, 'clip-text', models.text).space,
    out: o.out ?? null,
    ...segments,
  };
}

/** The set's text model and student; `--model ID` replaces the one of its kind. */
export function chooseQueryModels(manifest: ModelManifest, manifestPath: string, modelSetId?: string, modelId?: string) {
  const set = resolveModelSet(manifest, modelSetId, manifestPath);
  const chosen = modelId ? manifest.models.find((m) => m.id === modelId) : undefined;
  if (modelId && !chosen) throw new Error(`--model: "${modelId}" is not in ${manifestPath} (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  const text = chosen?.kind === 'clip-text' ? chosen.id : set.text.id;
  const student = chosen?.kind === 'student3d' ? chosen.id : set.student?.id;
  return { set, models: { text, student } };
}

const TEMPLATES = ['single', 'semantic-abstraction', 'clip-ensemble'] as const satisfies readonly PromptTemplateSet[];

/** `--model-set` and `--manifest`: every command that runs models. */
export const MODEL_SET_OPTIONS: readonly CliOptionRow[] = [
  { name: 'model-set', value: 'ID', help: ['a model set of the manifest (default: its default set; see README)'] },
  { name: 'manifest', value: 'FILE', help: ['another models/manifest.json'] },
];

/** `query`'s own options (also `batch query`'s); `--formula` lists the formula table's rows. */
export const QUERY_OPTIONS: readonly CliOptionRow[] = [
  { name: 'text', value: '"<phrase>"', help: ['the phrase, or with --labels a label set'] },
  { name: 'out', value: 'FILE', help: ['the result PLY (may be left out with --json)'] },
  { name: 'labels', help: ['the text is a label set ("mug, plate, bottle") → label per point'] },
  {
    name: 'formula',
    value: 'F',
    help: [
      `${RELEVANCY_KINDS.join(' | ')} (default ${DEFAULT_FORMULA})`,
      ...RELEVANCY_KINDS.map((kind) => {
        const f = FORMULA_TABLE[kind];
        const details = [f.parameterText, f.negatives.length > 0 ? `negatives: ${f.negatives.join(', ')}` : ''].filter(Boolean).join('; ');
        return `  ${kind.padEnd(16)}${f.label}${details ? ` — ${details}` : ''}`;
      }),
    ],
  },
  { name: 'template', value: 'T', help: [`${TEMPLATES.join(' | ')} (default ${QUERY_DEFAULTS.template})`] },
  { name: 'negatives', value: '"a, b"', help: ['extra negatives (join the canonical set)'] },
  { name: 'threshold', value: 'X', help: [`instances above this min–max normalised relevancy (default ${QUERY_DEFAULTS.threshold})`] },
  { name: 'model', value: 'ID', help: ['a model from the manifest instead of its default of that kind'] },
  ...MODEL_SET_OPTIONS,
];

/** Query settings from the options, as `query` and `batch query` take them. */
export function querySettings(args: ParsedArgs): Omit<QueryCommandOptions, 'files' | 'capture' | 'out'> {
  const text = stringOption(args, 'text');
  if (text === undefined) throw new Error('query: --text "<phrase>" is required');
  return {
    text,
    labels: args.options.has('labels'),
    formula: choice(args, 'formula', RELEVANCY_KINDS, DEFAULT_FORMULA),
    template: choice(args, 'template', TEMPLATES, QUERY_DEFAULTS.template),
    negatives: stringOption(args, 'negatives') ?? QUERY_DEFAULTS.negatives,
    threshold: numberOption(args, 'threshold') ?? QUERY_DEFAULTS.threshold,
    modelId: stringOption(args, 'model'),
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: stringOption(args, 'manifest') ?? defaultManifestFile,
  };
}

export async function queryCli(args: ParsedArgs): Promise<number> {
  const settings = querySettings(args);
  const out = stringOption(args, 'out');
  const json = args.options.has('json');
  if (out === undefined && !json) throw new Error('query: --out result.ply is required (or --json)');
  if (args.positional.length === 0) throw new Error('query: give capture files, folders or zips');
  const segmentQuery = segmentQuerySettings(args.options);
  const result = await runQueryCommand({ ...readCapture(args, args.positional), ...settings, out, segmentQuery });
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
