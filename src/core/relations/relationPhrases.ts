/**
 * Spatial-relation queries in words: "red ball left of green box", "the mug on the plate",
 * "dice in the bowl", "ball behind the box" → target phrase, relation, reference phrase.
 * The relation vocabulary is Semantic Abstraction's VOOL set (in, on, on the left of, on the right
 * of, behind, in front of) plus the short forms people type ("left of", "to the right of").
 * Wording that matches none of them is a plain query (`null`), never a guess.
 *
 * One table, RELATION_TABLE: every place that names a relation (parser, geometry dispatch, labels
 * on the arrow, CLI help, README) derives from it.
 */

export type RelationKind = 'in' | 'on' | 'left-of' | 'right-of' | 'behind' | 'in-front-of';

export interface RelationSpec {
  /** How the relation is written on the studio's arrow and in the CLI's JSON prose. */
  readonly label: string;
  /** Connecting phrases (lower case, single spaces), longest first is enforced by the parser. */
  readonly phrases: readonly string[];
}

export const RELATION_TABLE = {
  'left-of': { label: 'left of', phrases: ['on the left of', 'to the left of', 'on the left side of', 'left of'] },
  'right-of': { label: 'right of', phrases: ['on the right of', 'to the right of', 'on the right side of', 'right of'] },
  behind: { label: 'behind', phrases: ['behind', 'in back of', 'at the back of'] },
  'in-front-of': { label: 'in front of', phrases: ['in front of', 'at the front of'] },
  on: { label: 'on', phrases: ['on top of', 'on', 'upon', 'onto', 'resting on', 'sitting on', 'lying on', 'standing on'] },
  in: { label: 'in', phrases: ['in', 'inside', 'inside of', 'within', 'into'] },
} as const satisfies { readonly [K in RelationKind]: RelationSpec };

export const RELATION_KINDS = Object.keys(RELATION_TABLE) as readonly RelationKind[];

export const isRelationKind = (v: unknown): v is RelationKind => typeof v === 'string' && Object.hasOwn(RELATION_TABLE, v);

export interface RelationQuery {
  readonly target: string;
  readonly relation: RelationKind;
  readonly reference: string;
}

/** Words that may sit between the target and the relation ("the mug that is on the plate"). */
const LINKING_WORDS = ['which is', 'that is', "that's", 'which are', 'that are', 'is', 'are', 'sitting', 'lying', 'standing', 'placed', 'located'];
const ARTICLES = ['the', 'a', 'an', 'some'];

/** Every (phrase, kind) pair, longest phrase first, so "on the left of" wins over "on". */
const CONNECTORS: readonly { readonly words: readonly string[]; readonly kind: RelationKind }[] = RELATION_KINDS.flatMap((kind) =>
  RELATION_TABLE[kind].phrases.map((p) => ({ words: p.split(' '), kind })),
).sort((a, b) => b.words.length - a.words.length);

function stripArticles(words: readonly string[]): string[] {
  let start = 0;
  while (start < words.length - 1 && ARTICLES.includes(words[start]!)) start++;
  return words.slice(start);
}

function stripTrailingLinks(words: readonly string[]): string[] {
  let end = words.length;
  for (let changed = true; changed;) {
    changed = false;
    for (const link of LINKING_WORDS) {
      const parts = link.split(' ');
      if (end - parts.length >= 1 && parts.every((w, i) => words[end - parts.length + i] === w)) {
        end -= parts.length;
        changed = true;
      }
    }
  }
  return words.slice(0, end);
}

/**
 * The first relation connector that leaves a non-empty target before it and a non-empty reference
 * after it. Returns null for a plain query (no connector, or one at either end: "on the table" is
 * a phrase about a table, not a relation without a target). Queries with ";" (several positives)
 * or a negative ("not …") are plain queries too.
 */
export function parseRelationQuery(text: string): RelationQuery | null {
  if (text.includes(';') || text.includes(',')) return null;
  const words = text
    .toLowerCase()
    .replace(/[.!?]+$/u, '')
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  if (words[0] === 'not') return null;
  for (let start = 1; start < words.length - 1; start++) {
    for (const connector of CONNECTORS) {
      const end = start + connector.words.length;
      if (end >= words.length) continue;
      if (!connector.words.every((w, i) => words[start + i] === w)) continue;
      const target = stripArticles(stripTrailingLinks(words.slice(0, start)));
      const reference = stripArticles(words.slice(end));
      if (target.length === 0 || reference.length === 0) continue;
      return { target: target.join(' '), relation: connector.kind, reference: reference.join(' ') };
    }
  }
  return null;
}
