/**
 * Mutation inputs for the parser fuzz suite: fast-check arbitraries that turn a seed file (real
 * or generated) into a damaged one — truncation, bit flips, insertions, deletions, splices, and
 * header numbers replaced by lies (0, −1, 2³¹, 2⁵³, NaN, inf) — plus JSON-shaped attacks (wrong
 * types, huge arrays, `__proto__` keys, deep nesting). Deterministic for a given fast-check seed.
 */
import fc from 'fast-check';

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Values a lying header field takes: empty, negative, 32-bit overflow, past float64 integers, non-numbers. */
export const LYING_NUMBERS = [
  '0',
  '-1',
  '2147483648',
  '2147483647',
  '4294967296',
  '9007199254740992',
  '100000000',
  '1e308',
  'NaN',
  'inf',
  '-0',
  '0.5',
  '30000',
];

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

function truncate(bytes: Uint8Array, at: number): Uint8Array {
  return bytes.slice(0, at);
}

/** Offsets worth cutting at: everywhere, and just around line ends and the header's end. */
function interestingOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [0, 1, bytes.length - 1];
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) if (bytes[i] === 10) offsets.push(i, i + 1);
  return offsets.filter((o) => o >= 0 && o <= bytes.length);
}

/** Every run of digits (with sign / decimals) in the first `window` bytes: header counts, sizes, matrix entries. */
function numberSpans(bytes: Uint8Array, window = 2048): [number, number][] {
  const text = decoder.decode(bytes.subarray(0, window));
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function splice(bytes: Uint8Array, start: number, end: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

type Mutation = (bytes: Uint8Array) => Uint8Array;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => (b: Uint8Array) => truncate(b, b.length === 0 ? 0 : n % (b.length + 1))),
  fc.nat().map((n) => (b: Uint8Array) => {
    const offsets = interestingOffsets(b);
    return truncate(b, offsets[n % offsets.length] ?? 0);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([n, bit]) => (b: Uint8Array) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[n % b.length]! ^= 1 << bit;
    return out;
  }),
  // Flips inside the first 512 bytes: the header, where the size arithmetic lives.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([n, bit]) => (b: Uint8Array) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[n % Math.min(b.length, 512)]! ^= 1 << bit;
    return out;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
    ([n, ins]) =>
      (b: Uint8Array) =>
        splice(b, n % (b.length + 1), n % (b.length + 1), ins),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(([n, len]) => (b: Uint8Array) => {
    const at = n % (b.length + 1);
    return splice(b, at, Math.min(b.length, at + len), new Uint8Array(0));
  }),
  // A header number replaced by a lie.
  fc.tuple(fc.nat(), fc.constantFrom(...LYING_NUMBERS)).map(([n, lie]) => (b: Uint8Array) => {
    const spans = numberSpans(b);
    if (spans.length === 0) return b;
    const [s, e] = spans[n % spans.length]!;
    return splice(b, s, e, encoder.encode(lie));
  }),
  // A header line repeated (an element declared twice, a duplicated key).
  fc.nat().map((n) => (b: Uint8Array) => {
    const offsets = interestingOffsets(b).filter((o) => o > 0 && b[o - 1] === 10);
    if (offsets.length < 2) return b;
    const i = n % (offsets.length - 1);
    const [from, to] = [offsets[i]!, offsets[i + 1]!];
    return splice(b, from, from, b.slice(from, to));
  }),
  // More data appended than the header declares.
  fc.nat({ max: 4 }).map((k) => (b: Uint8Array) => {
    const extra = b.slice(Math.max(0, b.length - 64 * (k + 1)));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b, 0);
    out.set(extra, b.length);
    return out;
  }),
);

/** A seed with 1–3 mutations applied. */
export function mutatedSeed(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  return fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([n, ms]) => {
    const seed = seeds[n % seeds.length]!;
    return { name: seed.name, bytes: ms.reduce((b, m) => m(b), seed.bytes) };
  });
}

const jsonLeaf = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 2 ** 31, 2 ** 53, 1e308, -1e308, '', 'NaN', 'Infinity', [], {}, [0, 0, 0]),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

/** A JSON value replaced somewhere inside `value` (wrong types, null, huge arrays, `__proto__` / `constructor` keys). */
function mutateJson(value: unknown, path: number[], replacement: unknown, key: string): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [step, ...rest] = path;
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const i = step! % value.length;
    return (value as unknown[]).map((v, j): unknown => (j === i ? mutateJson(v, rest, replacement, key) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0 || step! % 7 === 6) return { ...value, [key]: replacement };
  const k = keys[step! % keys.length]!;
  return { ...value, [k]: mutateJson((value as Record<string, unknown>)[k], rest, replacement, key) };
}

const HUGE_ARRAY = '[' + Array.from({ length: 200_000 }, () => '1').join(',') + ']';

/** JSON seeds mutated structurally, serialised (with `__proto__` spelled as a real own key), or deeply nested. */
export function mutatedJson(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  const structural = fc
    .tuple(
      fc.nat(),
      fc.array(fc.nat(), { maxLength: 4 }),
      jsonLeaf,
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'x'),
      fc.constantFrom('plain', 'huge', 'proto'),
    )
    .map(([n, path, leaf, key, kind]) => {
      const seed = seeds[n % seeds.length]!;
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder().decode(seed.bytes));
      } catch {
        return seed;
      }
      const marker = '"__FUZZ_REPLACEMENT__"';
      const replacement = kind === 'plain' ? leaf : '__FUZZ_REPLACEMENT__';
      let text = JSON.stringify(mutateJson(value, path, replacement, key === '__proto__' ? '__FUZZ_PROTO__' : key));
      text = text.replaceAll('"__FUZZ_PROTO__"', '"__proto__"');
      if (kind === 'huge') text = text.replace(marker, HUGE_ARRAY);
      if (kind === 'proto') text = text.replace(marker, '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}');
      return { name: seed.name, bytes: encoder.encode(text) };
    });
  const deep = fc.tuple(fc.nat(), fc.integer({ min: 1000, max: 200_000 }), fc.constantFrom('[', '{"a":')).map(([n, depth, open]) => {
    const seed = seeds[n % seeds.length]!;
    return { name: seed.name, bytes: encoder.encode(open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth)) };
  });
  return fc.oneof({ arbitrary: structural, weight: 6 }, { arbitrary: deep, weight: 1 }, { arbitrary: mutatedSeed(seeds), weight: 3 });
}
