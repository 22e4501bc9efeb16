import { describe, expect, it } from 'vitest';
import { canonicalNegatives, DEFAULT_FORMULA, FORMULA_TABLE, formulaSpec, isRelevancyKind, RELEVANCY_KINDS } from './formulaTable.ts';
import { relevancyLayers, type RelevancyOptions } from './formulas.ts';

describe('formula table', () => {
  it("holds the reference systems' constants: LERF T = 10, DROP-CLIP τ = 0.1, and their canonical negatives in order", () => {
    expect(RELEVANCY_KINDS).toEqual(['cosine', 'lerf', 'paired-softmax']);
    expect(DEFAULT_FORMULA).toBe('cosine');
    expect(FORMULA_TABLE.lerf.defaults).toEqual({ kind: 'lerf', temperature: 10 });
    expect(FORMULA_TABLE['paired-softmax'].defaults).toEqual({ kind: 'paired-softmax', tau: 0.1 });
    expect(canonicalNegatives('lerf')).toEqual(['object', 'things', 'stuff', 'texture']);
    expect(canonicalNegatives('paired-softmax')).toEqual(['object', 'thing', 'texture', 'stuff']);
    expect(canonicalNegatives('cosine')).toEqual([]);
    for (const kind of RELEVANCY_KINDS) expect(FORMULA_TABLE[kind].defaults.kind).toBe(kind);
  });

  it('refuses an unknown formula by name, listing the known ones', () => {
    expect(isRelevancyKind('lerf')).toBe(true);
    expect(isRelevancyKind('toString')).toBe(false);
    expect(() => formulaSpec('sparkles')).toThrow('unknown relevancy formula "sparkles" (expected cosine, lerf, paired-softmax)');
  });

  it('the kernel refuses an unknown kind instead of running another formula', () => {
    const features = new Float32Array([1, 0, 0, 1]);
    const t = new Float32Array([1, 0]);
    expect(() => relevancyLayers(features, 2, [t], [t], { kind: 'sparkles', tau: 0.1 } as unknown as RelevancyOptions)).toThrow(/unknown formula "sparkles"/);
  });
});
