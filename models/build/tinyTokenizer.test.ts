import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { TINY_TOKENIZER_WORDS, tinyTokenizer } from './tinyClipSpace.ts';
import { applyBpe, buildTinyTokenizer, byteLevelAlphabet, learnWordMerges } from './tinyTokenizer.ts';

const build = tinyTokenizer();
const tokenizer = new Tokenizer(build.json, {});

describe('tiny tokenizer.json', () => {
  it('puts <|startoftext|> and <|endoftext|> at the last two ids, like CLIP', () => {
    const size = build.vocab.size;
    expect(build.startId).toBe(size - 2);
    expect(build.endId).toBe(size - 1);
    expect(tokenizer.token_to_id('<|startoftext|>')).toBe(size - 2);
    expect(tokenizer.token_to_id('<|endoftext|>')).toBe(size - 1);
    expect(tokenizer.encode('').ids).toEqual([build.startId, build.endId]);
  });

  it('starts with the 256 byte-level symbols, then the same with </w>', () => {
    const alphabet = byteLevelAlphabet();
    expect(new Set(alphabet.map(([b]) => b)).size).toBe(256);
    expect(new Set(alphabet.map(([, s]) => s)).size).toBe(256);
    alphabet.forEach(([, symbol], i) => {
      expect(build.vocab.get(symbol)).toBe(i);
      expect(build.vocab.get(`${symbol}</w>`)).toBe(256 + i);
    });
  });

  it('encodes every listed word as exactly one token between start and end', () => {
    for (const word of TINY_TOKENIZER_WORDS) {
      const ids = tokenizer.encode(word).ids;
      expect(ids, word).toEqual([build.startId, build.vocab.get(`${word}</w>`), build.endId]);
    }
  });

  it('normalises like CLIP: case, surrounding and repeated whitespace', () => {
    const expected = tokenizer.encode('a photo of a red mug').ids;
    expect(tokenizer.encode('  A   Photo\tof a RED\nmug ').ids).toEqual(expected);
    expect(expected).toHaveLength(8);
  });

  it('encodes arbitrary text (punctuation, accents, emoji, CJK) without unknown tokens', () => {
    const texts = [
      'Héllo, wörld! ¿Qué tal?',
      'naïve café — “quotes” …',
      'emoji 🍎🟥👍🏽 and ZWJ 👩‍🔬',
      '日本語のテキスト、中文，한국어',
      "it's the mug's handle (#42) @home",
    ];
    for (const text of texts) {
      const ids = tokenizer.encode(text).ids;
      expect(ids[0]).toBe(build.startId);
      expect(ids[ids.length - 1]).toBe(build.endId);
      // unk_token is <|endoftext|> (as in CLIP): an unknown piece would show up as an inner end id.
      const inner = ids.slice(1, -1);
      expect(inner.length).toBeGreaterThan(0);
      expect(
        inner.every((id) => id >= 0 && id < build.startId),
        text,
      ).toBe(true);
    }
  });

  it('round-trips text through the byte-level decoder', () => {
    const text = 'a photo of a red mug, café 🍎 日本';
    const decoded = tokenizer.decode(tokenizer.encode(text).ids, { skip_special_tokens: true });
    // "</w>" decodes to a space; the default clean-up then removes the one before the comma.
    expect(decoded.trim()).toBe(text);
  });

  it('keeps the CLIP pipeline structure', () => {
    const clipLike = build.json as { model: Record<string, unknown>; post_processor: Record<string, unknown> };
    expect(clipLike.model.type).toBe('BPE');
    expect(clipLike.model.end_of_word_suffix).toBe('</w>');
    expect(clipLike.post_processor.type).toBe('RobertaProcessing');
    const committed = JSON.parse(readFileSync(new URL('../tiny/tokenizer.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(build.json);
  });
});

describe('BPE merge learning', () => {
  it('segments as Hugging Face does: lowest rank first, leftmost on ties', () => {
    const ranks = new Map([
      ['b c', 0],
      ['a b', 1],
      ['a a', 2],
    ]);
    expect(applyBpe(['a', 'b', 'c'], ranks)).toEqual(['a', 'bc']);
    expect(applyBpe(['a', 'a', 'a'], ranks)).toEqual(['aa', 'a']);
  });

  it('makes each word one token even where merges from other words compete', () => {
    // "red" vs "green"/"bred": a naive per-word merge chain breaks one of them.
    const words = ['red', 'green', 'bred', 'reed', 'ed', 'der', 'erred'];
    const merges = learnWordMerges(words);
    const ranks = new Map(merges.map(([a, b], i) => [`${a} ${b}`, i]));
    for (const word of words) {
      const symbols = [...word];
      symbols[symbols.length - 1] += '</w>';
      expect(applyBpe(symbols, ranks), word).toEqual([`${word}</w>`]);
    }
    const small = buildTinyTokenizer(words);
    const smallTokenizer = new Tokenizer(small.json, {});
    for (const word of words) expect(smallTokenizer.encode(word).ids, word).toEqual([small.startId, small.vocab.get(`${word}</w>`), small.endId]);
  });

  it('refuses words the normaliser would change', () => {
    expect(() => buildTinyTokenizer(['Red'])).toThrow(/lowercase/);
    expect(() => buildTinyTokenizer(['t-shirt'])).toThrow(/lowercase/);
  });
});
