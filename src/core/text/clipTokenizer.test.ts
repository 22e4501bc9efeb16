import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createClipTokenizer } from './clipTokenizer.ts';
import { requireRealData } from '../../testing/realData.ts';
import { OpenAiClipTokenizer } from '../../testing/openaiClipTokenizer.ts';

const CLIP = { contextLength: 77, startId: 49406, endId: 49407 };

describe('CLIP tokenizer on the real tokenizer.json', () => {
  const load = (ctx: { skip(note?: string): never }) => createClipTokenizer(JSON.parse(readFileSync(requireRealData(ctx, 'clip/tokenizer.json'), 'utf8')), CLIP);

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
    const phrases = [
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
    for (const phrase of phrases) expect(tok.encode(phrase), phrase).toEqual(reference.tokenize(phrase));
  });
});
