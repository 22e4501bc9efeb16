/**
 * An independent reference for CLIP tokenisation, for tests only: a direct port of the algorithm
 * of openai/CLIP's `simple_tokenizer.py` (byte-level BPE over `bpe_simple_vocab_16e6.txt.gz`,
 * lower-cased, whitespace-collapsed), sharing no code with @huggingface/tokenizers. The app's
 * tokenizer (tokenizer.json through tokenizers.js) must produce the same ids.
 *
 * Differences from the Python original, deliberate: ftfy.fix_text is approximated by NFC (the
 * phrases tested contain no mojibake), html.unescape is not applied (no entities are tested).
 */
import { gunzipSync } from 'fflate';

function bytesToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  return new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i]!)]));
}

export class OpenAiClipTokenizer {
  private readonly byteEncoder = bytesToUnicode();
  private readonly encoder = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, string[]>();
  private readonly pattern = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

  constructor(bpeVocabGz: Uint8Array) {
    const lines = new TextDecoder().decode(gunzipSync(bpeVocabGz)).split('\n');
    const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(' ') as [string, string]);
    const vocab = [...this.byteEncoder.values()];
    vocab.push(...vocab.map((v) => `${v}</w>`));
    for (const [a, b] of merges) vocab.push(a + b);
    vocab.push('<|startoftext|>', '<|endoftext|>');
    vocab.forEach((token, i) => this.encoder.set(token, i));
    merges.forEach(([a, b], i) => this.ranks.set(`${a} ${b}`, i));
  }

  private bpe(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const chars = [...token];
    let word = [...chars.slice(0, -1), `${chars[chars.length - 1]}</w>`];
    for (;;) {
      let best: [number, number] | null = null;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && (best === null || rank < best[0])) best = [rank, i];
      }
      if (!best) break;
      const [first, second] = [word[best[1]]!, word[best[1] + 1]!];
      // Merge every occurrence of the best pair, left to right, as the Python loop does.
      const merged: string[] = [];
      for (let i = 0; i < word.length;) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second);
          i += 2;
        } else {
          merged.push(word[i]!);
          i++;
        }
      }
      word = merged;
      if (word.length === 1) break;
    }
    this.cache.set(token, word);
    return word;
  }

  /** Ids without start/end tokens, as simple_tokenizer.encode. */
  encode(text: string): number[] {
    const cleaned = text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
    const ids: number[] = [];
    for (const match of cleaned.matchAll(this.pattern)) {
      const token = Array.from(new TextEncoder().encode(match[0]), (b) => this.byteEncoder.get(b)!).join('');
      for (const piece of this.bpe(token)) ids.push(this.encoder.get(piece)!);
    }
    return ids;
  }

  /** As clip.tokenize(text, truncate=True) without padding: [start, …, end], at most 77. */
  tokenize(text: string, contextLength = 77): number[] {
    const body = this.encode(text).slice(0, contextLength - 2);
    return [this.encoder.get('<|startoftext|>')!, ...body, this.encoder.get('<|endoftext|>')!];
  }
}
