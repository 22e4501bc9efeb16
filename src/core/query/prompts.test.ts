import { describe, expect, it } from 'vitest';
import {
  TEMPLATES_CLIP_ENSEMBLE,
  TEMPLATE_SEMANTIC_ABSTRACTION,
  TEMPLATE_SINGLE,
  applyTemplate,
  ensembleEmbedding,
  expandPrompts,
  parseLabelSet,
  parseQuery,
  splitPositives,
  templatesOf,
} from './prompts.ts';

describe('templates', () => {
  it('fills {} with the phrase', () => {
    expect(applyTemplate(TEMPLATE_SINGLE, 'yellow dice')).toBe('yellow dice');
    expect(applyTemplate(TEMPLATE_SEMANTIC_ABSTRACTION, 'mug')).toBe('a photograph of a mug in a home.');
    expect(() => applyTemplate('no placeholder', 'mug')).toThrow(/placeholder/);
  });

  it('expands a phrase over a template set', () => {
    expect(templatesOf('single')).toEqual(['{}']);
    expect(templatesOf('semantic-abstraction')).toEqual(['a photograph of a {} in a home.']);
    const prompts = expandPrompts('mug', templatesOf('clip-ensemble'));
    expect(prompts.length).toBe(TEMPLATES_CLIP_ENSEMBLE.length);
    expect(prompts).toContain('a photo of the large mug.');
    expect(TEMPLATES_CLIP_ENSEMBLE.every((t) => t.includes('{}'))).toBe(true);
  });
});

describe('ensembleEmbedding', () => {
  it('is the mean of the normalised embeddings, renormalised', () => {
    // (3, 4, 0)/5 = (0.6, 0.8, 0); (0, 0, 2)/2 = (0, 0, 1). Mean (0.3, 0.4, 0.5), norm √0.5.
    const out = ensembleEmbedding([Float32Array.from([3, 4, 0]), Float32Array.from([0, 0, 2])]);
    const norm = Math.sqrt(0.3 * 0.3 + 0.4 * 0.4 + 0.5 * 0.5);
    [0.3 / norm, 0.4 / norm, 0.5 / norm].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
  });

  it('weights templates equally whatever their raw norms', () => {
    const a = ensembleEmbedding([Float32Array.from([100, 0]), Float32Array.from([0, 0.01])]);
    expect(a[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(a[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('gives a zero vector when the embeddings cancel, and rejects bad input', () => {
    expect(Array.from(ensembleEmbedding([Float32Array.from([1, 0]), Float32Array.from([-1, 0])]))).toEqual([0, 0]);
    expect(() => ensembleEmbedding([])).toThrow(/at least one/);
    expect(() => ensembleEmbedding([new Float32Array(2), new Float32Array(3)])).toThrow(/differ/);
  });
});

describe('parsing what the user typed', () => {
  it('splitPositives splits on semicolons, trims and drops empties', () => {
    expect(splitPositives('mug; plate')).toEqual(['mug', 'plate']);
    expect(splitPositives('  red   mug ;; ; plate;')).toEqual(['red mug', 'plate']);
    expect(splitPositives('')).toEqual([]);
  });

  it('parseLabelSet splits on commas (and ; or newlines) and drops duplicates', () => {
    expect(parseLabelSet('mug, plate, bottle')).toEqual(['mug', 'plate', 'bottle']);
    expect(parseLabelSet('mug,,Plate\nplate; bottle ,')).toEqual(['mug', 'Plate', 'bottle']);
  });

  it('parseQuery separates "not …" entries as user negatives', () => {
    expect(parseQuery('mug; not the table; NOT  wall')).toEqual({ positives: ['mug'], negatives: ['the table', 'wall'] });
    expect(parseQuery('notebook')).toEqual({ positives: ['notebook'], negatives: [] });
  });
});
