/**
 * Turning what the user typed into the phrases to encode, and combining their embeddings.
 *
 * Templates use `{}` for the phrase (as in CLIP's and Semantic Abstraction's code). An ensemble of
 * templates is encoded once per template and combined by `ensembleEmbedding` (CLIP's zero-shot
 * recipe: mean of the normalised embeddings, renormalised).
 */

/** The phrase as typed. */
export const TEMPLATE_SINGLE = '{}';

/** Semantic Abstraction's template. */
export const TEMPLATE_SEMANTIC_ABSTRACTION = 'a photograph of a {} in a home.';

/**
 * A small CLIP-style ensemble: the 7 templates the CLIP authors selected from their 80 ImageNet
 * templates (openai/CLIP `notebooks/Prompt_Engineering_for_ImageNet.ipynb`).
 */
export const TEMPLATES_CLIP_ENSEMBLE: readonly string[] = Object.freeze([
  'itap of a {}.',
  'a bad photo of the {}.',
  'a origami {}.',
  'a photo of the large {}.',
  'a {} in a video game.',
  'art of the {}.',
  'a photo of the small {}.',
]);

export type PromptTemplateSet = 'single' | 'semantic-abstraction' | 'clip-ensemble';

/** The templates of a named set. */
export function templatesOf(set: PromptTemplateSet): readonly string[] {
  switch (set) {
    case 'single':
      return [TEMPLATE_SINGLE];
    case 'semantic-abstraction':
      return [TEMPLATE_SEMANTIC_ABSTRACTION];
    case 'clip-ensemble':
      return TEMPLATES_CLIP_ENSEMBLE;
  }
}

/** `template` with every `{}` replaced by `phrase`. */
export function applyTemplate(template: string, phrase: string): string {
  if (!template.includes('{}')) throw new Error(`prompts: template "${template}" has no {} placeholder`);
  return template.split('{}').join(phrase);
}

/** One prompt per template for `phrase`, in template order. */
export function expandPrompts(phrase: string, templates: readonly string[]): string[] {
  return templates.map((t) => applyTemplate(t, phrase));
}

/**
 * Mean of the L2-normalised embeddings, renormalised: the ensemble embedding of one phrase under
 * several templates. Zero embeddings count as zero vectors in the mean; if the mean itself is zero
 * the result is the zero vector. Returns a new Float32Array [D].
 */
export function ensembleEmbedding(embeddings: readonly Float32Array[]): Float32Array {
  if (embeddings.length === 0) throw new Error('prompts: ensembleEmbedding needs at least one embedding');
  const dim = embeddings[0]!.length;
  const sum = new Float64Array(dim);
  for (const e of embeddings) {
    if (e.length !== dim) throw new Error(`prompts: ensemble embeddings differ in length (${e.length} vs ${dim})`);
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += e[d]! * e[d]!;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + e[d]! * inv;
  }
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += sum[d]! * sum[d]!;
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  const out = new Float32Array(dim);
  for (let d = 0; d < dim; d++) out[d] = sum[d]! * inv;
  return out;
}

function splitOn(text: string, separators: RegExp): string[] {
  const out: string[] = [];
  for (const part of text.split(separators)) {
    const phrase = part.trim().replace(/\s+/g, ' ');
    if (phrase.length > 0) out.push(phrase);
  }
  return out;
}

/**
 * Several positive queries in one box, separated by semicolons: "mug; plate" → ['mug', 'plate'].
 * Each is trimmed (inner whitespace collapsed); empty entries are dropped. Order kept, duplicates
 * kept (each positive is its own relevancy layer).
 */
export function splitPositives(text: string): string[] {
  return splitOn(text, /;/);
}

/**
 * A label set for segmentation: "mug, plate, bottle" → ['mug', 'plate', 'bottle']. Commas,
 * semicolons and newlines separate; entries are trimmed, empties dropped, and later duplicates
 * (case-insensitive) dropped since two identical labels would split their points.
 */
export function parseLabelSet(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const label of splitOn(text, /[,;\n\r]/)) {
    const key = label.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  return out;
}

export interface ParsedQuery {
  readonly positives: readonly string[];
  /** User negatives, to join the canonical set (see formulas `negativePhrases`). */
  readonly negatives: readonly string[];
}

/**
 * A query line with user negatives: entries separated by semicolons; an entry starting with
 * "not " (any case) is a negative, the rest of it the phrase: "mug; not the table" →
 * { positives: ['mug'], negatives: ['the table'] }.
 */
export function parseQuery(text: string): ParsedQuery {
  const positives: string[] = [];
  const negatives: string[] = [];
  for (const entry of splitPositives(text)) {
    const match = /^not\s+(.+)$/i.exec(entry);
    if (match) negatives.push(match[1]!);
    else positives.push(entry);
  }
  return { positives, negatives };
}
