/**
 * Builds a tiny Hugging Face `tokenizer.json` with the same format and pipeline as CLIP's
 * (openai/clip-vit-base-patch32): NFC + whitespace collapse + lowercase, CLIP's split regex then
 * byte-level mapping, BPE with "</w>" end-of-word suffix, RobertaProcessing with
 * <|startoftext|>/<|endoftext|>, byte-level decoder. Only the vocabulary is our own: the 256
 * byte-level symbols, the same with "</w>", then BPE merges learned so that each word of a given list
 * is exactly one token, then the two special tokens as the LAST ids (start = V−2, end = V−1), so
 * ArgMax(input_ids) finds the end token as in real CLIP.
 *
 * Nothing here is copied from CLIP's vocabulary or merges; every merge is derived from the word list.
 */

export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';
export const END_OF_WORD_SUFFIX = '</w>';

/** CLIP's pre-tokenizer split pattern (contractions, letter runs, single digits, other symbol runs). */
const CLIP_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/**
 * GPT-2's bytes_to_unicode (CLIP uses it too): printable Latin-1 bytes map to themselves, the other 68
 * bytes to U+0100 onwards. Returned in CLIP's vocabulary order (printable ranges first), as
 * [byte, symbol] pairs.
 */
export function byteLevelAlphabet(): Array<[number, string]> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const pairs: Array<[number, string]> = printable.map((b) => [b, String.fromCodePoint(b)]);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) pairs.push([b, String.fromCodePoint(256 + extra++)]);
  }
  return pairs;
}

/** A word as the BPE model first sees it: one byte-level symbol per UTF-8 byte, suffix on the last. */
function initialSymbols(word: string, byteSymbol: ReadonlyMap<number, string>): string[] {
  const symbols = Array.from(new TextEncoder().encode(word), (b) => byteSymbol.get(b) ?? '');
  if (symbols.length === 0 || symbols.includes('')) throw new Error(`tiny tokenizer: cannot map word ${JSON.stringify(word)}`);
  symbols[symbols.length - 1] += END_OF_WORD_SUFFIX;
  return symbols;
}

const pairKey = (a: string, b: string): string => `${a} ${b}`;

/**
 * Segments `symbols` exactly as Hugging Face BPE does at encode time: repeatedly merge the adjacent
 * pair with the lowest merge rank, the leftmost one on ties, until no ranked pair remains.
 */
export function applyBpe(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  const word = [...symbols];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < word.length; i++) {
      const rank = ranks.get(pairKey(word[i] as string, word[i + 1] as string));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) return word;
    word.splice(best, 2, (word[best] as string) + (word[best + 1] as string));
  }
}

/**
 * Learns merges until every word encodes to one token. Unlike textbook BPE training, each step
 * re-segments the words with the encode-time algorithm (`applyBpe`), because a pair created late can
 * carry an EARLY rank and get merged at encode time where training would not have merged it; learning
 * on the encode-time segmentation keeps training and encoding consistent by construction. Each new
 * merge is ranked last and applies to a pair present in a fixed-point segmentation, so every step
 * shortens at least one word: the loop terminates.
 */
export function learnWordMerges(words: readonly string[]): Array<[string, string]> {
  const byteSymbol = new Map(byteLevelAlphabet());
  const initial = words.map((w) => initialSymbols(w, byteSymbol));
  const merges: Array<[string, string]> = [];
  const ranks = new Map<string, number>();
  for (;;) {
    const segmented = initial.map((symbols) => applyBpe(symbols, ranks));
    // Most frequent pair across words wins (shared prefixes/suffixes become shared tokens);
    // ties go to the pair seen first, so the result depends only on the word order.
    const counts = new Map<string, { pair: [string, string]; count: number; first: number }>();
    let order = 0;
    for (const word of segmented) {
      for (let i = 0; i + 1 < word.length; i++) {
        const pair: [string, string] = [word[i] as string, word[i + 1] as string];
        const key = pairKey(...pair);
        const entry = counts.get(key) ?? { pair, count: 0, first: order++ };
        entry.count++;
        counts.set(key, entry);
      }
    }
    let chosen: { pair: [string, string]; count: number; first: number } | undefined;
    for (const entry of counts.values()) {
      if (!chosen || entry.count > chosen.count || (entry.count === chosen.count && entry.first < chosen.first)) chosen = entry;
    }
    if (!chosen) return merges;
    ranks.set(pairKey(...chosen.pair), merges.length);
    merges.push(chosen.pair);
  }
}

export interface TinyTokenizerBuild {
  /** The tokenizer.json object (JSON-serialisable). */
  readonly json: Record<string, unknown>;
  /** Token string → id, in id order. */
  readonly vocab: ReadonlyMap<string, number>;
  readonly startId: number;
  readonly endId: number;
}

/** Words are matched after CLIP's normalisation, so they must already be lowercase letters. */
export function buildTinyTokenizer(words: readonly string[]): TinyTokenizerBuild {
  for (const w of words) {
    if (!/^\p{Ll}+$/u.test(w)) throw new Error(`tiny tokenizer: word ${JSON.stringify(w)} must be lowercase letters only`);
  }
  const alphabet = byteLevelAlphabet().map(([, symbol]) => symbol);
  const tokens = [...alphabet, ...alphabet.map((s) => s + END_OF_WORD_SUFFIX)];
  const merges = learnWordMerges(words);
  const known = new Set(tokens);
  for (const [a, b] of merges) {
    // Two different pairs can spell the same token ("ab c" and "a bc"); it gets one id.
    if (!known.has(a + b)) {
      known.add(a + b);
      tokens.push(a + b);
    }
  }
  tokens.push(START_TOKEN, END_TOKEN);
  const vocab = new Map(tokens.map((t, id) => [t, id]));
  const startId = tokens.length - 2;
  const endId = tokens.length - 1;

  // Field order and values mirror CLIP's tokenizer.json so any loader that accepts it accepts this.
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: startId, content: START_TOKEN, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true },
      { id: endId, content: END_TOKEN, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_REGEX }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_TOKEN, endId],
      cls: [START_TOKEN, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_TOKEN,
      continuing_subword_prefix: '',
      end_of_word_suffix: END_OF_WORD_SUFFIX,
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  return { json, vocab, startId, endId };
}
