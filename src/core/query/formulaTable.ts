/**
 * The relevancy formulas FieldLens offers: one entry per formula, and every place that names a
 * formula (the engine's dispatch, the query panel's picker, the colour bar's caption, URL and
 * state-file guards, the CLI's `--formula` and its help) derives from this table. Adding a formula
 * is an entry here plus its kernel in formulas.ts; `satisfies` below makes a missing entry a type
 * error, and `formulaSpec` makes an unknown name a clear error at run time.
 *
 * The kind doubles as the formula's name in URLs (`?formula=`), state files, result PLYs and the
 * CLI (`--formula`). The maths of each is in formulas.ts and README.md beside this file.
 */

/** Raw cosine s(f, t_q). Negatives are ignored. */
export interface CosineRelevancy {
  readonly kind: 'cosine';
}

/**
 * LERF (kerrj/lerf `get_relevancy`): for each negative i,
 * p_i = exp(T·s_q) / (exp(T·s_q) + exp(T·s_i)); relevancy r = min_i p_i. T = 10 in LERF.
 */
export interface LerfRelevancy {
  readonly kind: 'lerf';
  readonly temperature: number;
}

/**
 * DROP-CLIP "paired" (gtziafas/DROP-CLIP `models/similarity.py`): softmax over
 * [s_q repeated M times, s_1 … s_M], first entry:
 * p = exp(s_q/τ) / (M·exp(s_q/τ) + Σ_i exp(s_i/τ)). τ = 0.1 in DROP-CLIP. p ∈ (0, 1/M].
 */
export interface PairedSoftmaxRelevancy {
  readonly kind: 'paired-softmax';
  readonly tau: number;
}

export type RelevancyOptions = CosineRelevancy | LerfRelevancy | PairedSoftmaxRelevancy;
export type RelevancyKind = RelevancyOptions['kind'];

/** What the rest of FieldLens knows about one formula. */
export interface FormulaSpec<K extends RelevancyKind = RelevancyKind> {
  /** The query panel's picker and the CLI help. */
  readonly label: string;
  /** The formula with its reference system's parameters (the engine runs these). */
  readonly defaults: Extract<RelevancyOptions, { kind: K }>;
  /** How each parameter is written in help texts, e.g. "T = 10". */
  readonly parameterText: string;
  /** Canonical negative phrases, in the reference system's order (empty: negatives are ignored). */
  readonly negatives: readonly string[];
  /** The colour bar's caption of a result this formula produced. */
  readonly caption: string;
}

/** LERF's canonical negatives (`openclip_encoder.py`), in its order. */
export const LERF_CANONICAL_NEGATIVES: readonly string[] = Object.freeze(['object', 'things', 'stuff', 'texture']);
/** DROP-CLIP's `NEGATIVE_PROMPT_GENERIC`, in its order. */
export const DROP_CLIP_CANONICAL_NEGATIVES: readonly string[] = Object.freeze(['object', 'thing', 'texture', 'stuff']);

const LERF_TEMPERATURE = 10;
const DROP_CLIP_TAU = 0.1;

/** The formulas in picker order. */
export const FORMULA_TABLE = {
  cosine: { label: 'Raw cosine', defaults: { kind: 'cosine' }, parameterText: '', negatives: [], caption: 'cosine relevancy' },
  lerf: {
    label: 'LERF (pairwise min vs negatives)',
    defaults: { kind: 'lerf', temperature: LERF_TEMPERATURE },
    parameterText: `T = ${LERF_TEMPERATURE}`,
    negatives: LERF_CANONICAL_NEGATIVES,
    caption: 'LERF relevancy',
  },
  'paired-softmax': {
    label: `DROP-CLIP paired softmax (τ ${DROP_CLIP_TAU})`,
    defaults: { kind: 'paired-softmax', tau: DROP_CLIP_TAU },
    parameterText: `τ = ${DROP_CLIP_TAU}`,
    negatives: DROP_CLIP_CANONICAL_NEGATIVES,
    caption: 'paired-softmax relevancy',
  },
} as const satisfies { readonly [K in RelevancyKind]: FormulaSpec<K> };

/** Every formula kind, in table order. */
export const RELEVANCY_KINDS = Object.keys(FORMULA_TABLE) as readonly RelevancyKind[];

/** The formula a query uses when none is chosen (picker, URL, CLI, state files). */
export const DEFAULT_FORMULA: RelevancyKind = RELEVANCY_KINDS[0]!;

/**
 * Label sets (LangSplat's softmax over labels and negatives) join LERF's canonical negatives: the
 * formula whose canonical set a label-set query borrows.
 */
export const LABEL_SET_NEGATIVES_OF: RelevancyKind = 'lerf';

export const isRelevancyKind = (v: unknown): v is RelevancyKind => typeof v === 'string' && Object.hasOwn(FORMULA_TABLE, v);

/** The table entry of a formula named by a string (URL, CLI, worker message); unknown names throw. */
export function formulaSpec(kind: string): FormulaSpec {
  if (!isRelevancyKind(kind)) throw new Error(`unknown relevancy formula "${kind}" (expected ${RELEVANCY_KINDS.join(', ')})`);
  return FORMULA_TABLE[kind];
}

/** The canonical negative phrases of a formula (none for raw cosine). */
export function canonicalNegatives(kind: RelevancyKind): readonly string[] {
  return formulaSpec(kind).negatives;
}
