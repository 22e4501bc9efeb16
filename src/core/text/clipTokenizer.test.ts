import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { clipSpecialIds, createClipTokenizer } from './clipTokenizer.ts';
import { repoRoot, requireRealData } from '../../testing/realData.ts';
import { OpenAiClipTokenizer } from '../../testing/openaiClipTokenizer.ts';

const CLIP = { contextLength: 77, startId: 49406, endId: 49407 };

/** Phrases that exercise normalisation, contractions, non-Latin scripts, emoji, digits, overflow. */
const HARD_PHRASES = [
  'a photo of a mug',
  'Yellow DICE!!',
  "the robot's gripper, isn't it?",
  "it'll be the cat's toy; we've seen it",
  'café crème brûlée',
  'Ærøskøbing naïve façade',
  '東京タワーの写真',
  'фото кружки',
  'صورة كوب',
  '🐶 dog 🐱 cat 😀',
  '3D point-cloud (x, y, z) = [1.5, -2, 3e4]',
  '   multiple\t\nspaces   here  ',
  '',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'dice '.repeat(120),
];

/**
 * The same checks on the repo's own CLIP-format tokenizer (models/tiny/tokenizer.json): they need
 * no real data, so they run in every clone. Expected ids are read from the file's vocabulary, and
 * the reference port of openai/CLIP's tokenizer runs on the same merges written in openai's format.
 */
describe('CLIP tokenizer on the repo tiny CLIP-format tokenizer', () => {
  const json = JSON.parse(readFileSync(join(repoRoot, 'models', 'tiny', 'tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number>; merges: string[] };
  };
  const spec = clipSpecialIds(json, 'models/tiny/tokenizer.json');
  const tok = createClipTokenizer(json, spec);
  const vocabId = (token: string): number => {
    const id = json.model.vocab[token];
    if (id === undefined) throw new Error(`tiny vocabulary lacks ${token}`);
    return id;
  };

  it('reads the special ids from the added tokens (last two ids, as in CLIP)', () => {
    expect(spec).toEqual({ contextLength: 77, startId: 700, endId: 701 });
  });

  it('encodes whole vocabulary words to their ids, lower-cased and whitespace-collapsed', () => {
    const expected = [700, vocabId('yellow</w>'), vocabId('dice</w>'), 701];
    expect(tok.encode('yellow dice')).toEqual(expected);
    expect(tok.encode('  YELLOW   Dice ')).toEqual(expected);
    expect(tok.encode('')).toEqual([700, 701]);
  });

  it('truncates to 77 keeping the end token, and zero-pads the batch tensor', () => {
    const dice = vocabId('dice</w>');
    const long = tok.encode('dice '.repeat(100));
    expect(long).toEqual([700, ...Array<number>(75).fill(dice), 701]);
    const batch = tok.encodeBatch(['yellow dice', '']);
    expect(batch).toHaveLength(2 * 77);
    expect(Array.from(batch.subarray(0, 5), Number)).toEqual([700, vocabId('yellow</w>'), dice, 701, 0]);
    expect(Array.from(batch.subarray(77, 80), Number)).toEqual([700, 701, 0]);
    expect(batch.subarray(80).every((v) => v === 0n)).toBe(true);
  });

  it('equals the independent port of openai/CLIP simple_tokenizer on the same merges', () => {
    const bpeFile = gzipSync(new TextEncoder().encode(['#version: tiny', ...json.model.merges].join('\n')));
    const reference = new OpenAiClipTokenizer(bpeFile);
    for (const phrase of HARD_PHRASES) expect(tok.encode(phrase), phrase).toEqual(reference.tokenize(phrase));
  });
});

describe('CLIP tokenizer on the real tokenizer.json', () => {
  const load = (ctx: { skip(note?: string): never }) =>
    createClipTokenizer(JSON.parse(readFileSync(requireRealData(ctx, 'clip/tokenizer.json'), 'utf8')), CLIP);

  it('matches openai/CLIP reference ids', (ctx) => {
    const tok = load(ctx);
    expect(tok.encode('a photo of a mug')).toEqual([49406, 320, 1125, 539, 320, 9722, 49407]);
    expect(tok.encode('yellow dice')).toEqual([49406, 4481, 14406, 49407]);
    expect(tok.encode('')).toEqual([49406, 49407]);
  });

  it('lower-cases and collapses whitespace like CLIP', (ctx) => {
    const tok = load(ctx);
    expect(tok.encode('  YELLOW   Dice ')).toEqual(tok.encode('yellow dice'));
  });

  it('truncates to 77 keeping the end token, and zero-pads the batch tensor', (ctx) => {
    const tok = load(ctx);
    const long = tok.encode('dice '.repeat(100));
    expect(long).toHaveLength(77);
    expect(long[0]).toBe(49406);
    expect(long[76]).toBe(49407);
    const batch = tok.encodeBatch(['yellow dice', 'a photo of a mug']);
    expect(batch).toHaveLength(2 * 77);
    expect(Array.from(batch.subarray(0, 5), Number)).toEqual([49406, 4481, 14406, 49407, 0]);
    expect(Number(batch[77 + 6])).toBe(49407);
  });

  it('equals an independent port of openai/CLIP simple_tokenizer on hard phrases', (ctx) => {
    const tok = load(ctx);
    const reference = new OpenAiClipTokenizer(new Uint8Array(readFileSync(requireRealData(ctx, 'clip/bpe_simple_vocab_16e6.txt.gz'))));
    for (const phrase of HARD_PHRASES) expect(tok.encode(phrase), phrase).toEqual(reference.tokenize(phrase));
  });
});
