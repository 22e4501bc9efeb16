/**
 * CLIP tokenisation on top of @huggingface/tokenizers (byte-level BPE from a `tokenizer.json`),
 * with CLIP's fixed context: [start, …tokens, end], truncated to `contextLength` keeping the end
 * token, zero-padded for the model (as openai/CLIP's `tokenize`).
 */
import { Tokenizer } from '@huggingface/tokenizers';

export interface ClipTokenizerSpec {
  readonly contextLength: number;
  readonly startId: number;
  readonly endId: number;
}

export interface ClipTokenizer {
  readonly spec: ClipTokenizerSpec;
  /** Ids with start and end, truncated to the context length, no padding. */
  encode(text: string): number[];
  /** A [batch, contextLength] int64 tensor's data, zero-padded. */
  encodeBatch(texts: readonly string[]): BigInt64Array;
}

export function createClipTokenizer(tokenizerJson: unknown, spec: ClipTokenizerSpec): ClipTokenizer {
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson as ConstructorParameters<typeof Tokenizer>[0], {});
  } catch (error) {
    throw new Error(`tokenizer.json: not a Hugging Face tokenizer (${(error as Error).message})`, { cause: error });
  }
  const encode = (text: string): number[] => {
    const ids = tokenizer.encode(text).ids;
    // The post-processor adds start/end; a tokenizer.json without one gets them here.
    const body = ids[0] === spec.startId ? ids.slice(1, ids[ids.length - 1] === spec.endId ? -1 : undefined) : ids;
    const room = spec.contextLength - 2;
    return [spec.startId, ...body.slice(0, room), spec.endId];
  };
  return {
    spec,
    encode,
    encodeBatch(texts) {
      const out = new BigInt64Array(texts.length * spec.contextLength);
      texts.forEach((text, b) => encode(text).forEach((id, j) => (out[b * spec.contextLength + j] = BigInt(id))));
      return out;
    },
  };
}

/** Start/end ids of a CLIP-style tokenizer.json, read from its added tokens (context 77). */
export function clipSpecialIds(tokenizerJson: unknown, source: string): ClipTokenizerSpec {
  const added = (tokenizerJson as { added_tokens?: { id: number; content: string }[] } | null)?.added_tokens ?? [];
  const id = (content: string) => added.find((t) => t.content === content)?.id;
  const startId = id('<|startoftext|>');
  const endId = id('<|endoftext|>');
  if (startId === undefined || endId === undefined)
    throw new Error(`${source}: not a CLIP tokenizer (expected added tokens <|startoftext|> and <|endoftext|>)`);
  return { contextLength: 77, startId, endId };
}
