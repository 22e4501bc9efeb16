/**
 * A query result as a PLY that FieldLens reads back: x y z, r g b, `float relevancy` (first
 * layer; more layers as relevancy_1, relevancy_2, …), `int label`, `int instance` (−1 = none), and
 * one header line `comment fieldlens-result {json}` with what produced it (query text, mode,
 * formula, template, negatives, threshold, layer labels, label names).
 *
 * Re-import restores the result without running a model, and encoding the restored result gives
 * the same bytes: floats and ints are stored exactly and the JSON is written in a fixed key order.
 */
import { encodePly } from '../formats/plyEncode.ts';
import type { PointFeatures, PointSet } from '../units.ts';
import { instancesFromIds, type Instance } from '../query/clustering.ts';
import { scalarRange, type ScalarRange } from '../query/relevancy.ts';
import { DEFAULT_FORMULA } from '../query/formulaTable.ts';

export const RESULT_COMMENT = 'fieldlens-result';

/** What produced a result (the query panel's settings at the time). */
export interface ResultQuery {
  readonly text: string;
  readonly mode: 'relevancy' | 'labels';
  readonly formula: string;
  readonly template: string;
  readonly negatives: string;
  /** Instance threshold (min–max normalised relevancy); null when none was used. */
  readonly threshold: number | null;
}

/** A result in the form the page and the CLI hold it. */
export interface QueryResultData {
  readonly query: ResultQuery;
  readonly layers: readonly { readonly label: string; readonly values: Float32Array }[];
  readonly labels: { readonly names: readonly string[]; readonly perPoint: Int32Array } | null;
  readonly instanceIds: Int32Array | null;
}

export interface ResultCloud {
  readonly count: number;
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
}

/** A result read back from a PLY, with what the UI shows beside it. */
export interface RestoredResult extends QueryResultData {
  readonly layers: readonly { readonly label: string; readonly values: Float32Array; readonly range: ScalarRange }[];
  readonly instances: readonly Instance[];
}

interface ResultMetadata extends ResultQuery {
  readonly version: 1;
  readonly layerLabels: readonly string[];
  readonly labelNames: readonly string[];
}

const layerColumn = (k: number) => (k === 0 ? 'relevancy' : `relevancy_${k}`);

export function encodeResultPly(cloud: ResultCloud, result: QueryResultData): Uint8Array {
  const n = cloud.count;
  const q = result.query;
  const metadata: ResultMetadata = {
    version: 1,
    text: q.text,
    mode: q.mode,
    formula: q.formula,
    template: q.template,
    negatives: q.negatives,
    threshold: q.threshold,
    layerLabels: result.layers.map((l) => l.label),
    labelNames: result.labels?.names ?? [],
  };
  const layerColumns =
    result.layers.length > 0
      ? result.layers.map((l, k) => ({ name: layerColumn(k), values: l.values }))
      : [{ name: 'relevancy', values: new Float32Array(n).fill(Number.NaN) }];
  return encodePly(
    {
      positions: cloud.positions.subarray(0, n * 3),
      colors: cloud.colors.subarray(0, n * 3),
      scalars: [
        ...layerColumns,
        { name: 'label', values: result.labels?.perPoint ?? new Int32Array(n).fill(-1) },
        { name: 'instance', values: result.instanceIds ?? new Int32Array(n).fill(-1) },
      ],
      comments: [`${RESULT_COMMENT} ${JSON.stringify(metadata)}`],
    },
    'binary_little_endian',
  );
}

function parseMetadata(comment: string, fileName: string): ResultMetadata {
  let value: unknown;
  try {
    value = JSON.parse(comment.slice(RESULT_COMMENT.length));
  } catch (error) {
    throw new Error(`${fileName}: the "${RESULT_COMMENT}" comment is not valid JSON`, { cause: error });
  }
  const m = value as Partial<ResultMetadata> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  if (
    !m ||
    m.version !== 1 ||
    typeof m.text !== 'string' ||
    (m.mode !== 'relevancy' && m.mode !== 'labels') ||
    !strings(m.layerLabels) ||
    !strings(m.labelNames)
  ) {
    throw new Error(`${fileName}: the "${RESULT_COMMENT}" comment lacks version 1, text, mode, layerLabels or labelNames`);
  }
  return {
    version: 1,
    text: m.text,
    mode: m.mode,
    formula: String(m.formula ?? DEFAULT_FORMULA),
    template: String(m.template ?? 'single'),
    negatives: String(m.negatives ?? ''),
    threshold: typeof m.threshold === 'number' ? m.threshold : null,
    layerLabels: m.layerLabels,
    labelNames: m.labelNames,
  };
}

/**
 * The result stored in a FieldLens result PLY (null for any other point set), and the feature
 * channels left once its columns are taken out (a file may carry its own features as well).
 */
export function decodeResultPly(points: PointSet, fileName: string): { result: RestoredResult; features: PointFeatures | undefined } | null {
  const comment = points.comments?.find((c) => c.startsWith(`${RESULT_COMMENT} `));
  if (!comment) return null;
  const meta = parseMetadata(comment, fileName);
  const features = points.features;
  const names = features?.names ?? [];
  const wanted = [...(meta.layerLabels.length > 0 ? meta.layerLabels.map((_, k) => layerColumn(k)) : ['relevancy']), 'label', 'instance'];
  const missing = wanted.filter((w) => !names.includes(w));
  if (!features || missing.length > 0) throw new Error(`${fileName}: a FieldLens result PLY without the vertex properties ${missing.join(', ')}`);
  const n = points.count;
  const column = (name: string) => {
    const d = names.indexOf(name);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = features.values[i * features.dim + d]!;
    return out;
  };
  const ints = (name: string) => Int32Array.from(column(name), Math.round);
  const layers = meta.layerLabels.map((label, k) => {
    const values = column(layerColumn(k));
    return { label, values, range: scalarRange(values) };
  });
  const labelIds = ints('label');
  const instanceIds = ints('instance');
  const hasInstances = instanceIds.some((v) => v >= 0);
  const result: RestoredResult = {
    query: { text: meta.text, mode: meta.mode, formula: meta.formula, template: meta.template, negatives: meta.negatives, threshold: meta.threshold },
    layers,
    labels: meta.mode === 'labels' ? { names: meta.labelNames, perPoint: labelIds } : null,
    instanceIds: hasInstances || meta.threshold !== null ? instanceIds : null,
    instances: hasInstances ? instancesFromIds(points.positions, instanceIds) : [],
  };
  const rest = names.map((name, d) => ({ name, d })).filter(({ name }) => !wanted.includes(name));
  if (rest.length === 0) return { result, features: undefined };
  const values = new Float32Array(n * rest.length);
  for (let i = 0; i < n; i++) rest.forEach(({ d }, k) => (values[i * rest.length + k] = features.values[i * features.dim + d]!));
  return { result, features: { dim: rest.length, values, names: rest.map((r) => r.name) } };
}
