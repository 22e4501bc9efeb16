/**
 * The small version of `npm run eval:relations`: one generated scene (seed 7301, scene 0, which holds
 * two yellow objects), relation queries answered by `fieldlens query`'s code and checked against the
 * generator's instance masks; mask queries' top segments against the same masks.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRelations } from './relationsEval.ts';

describe('relation and mask evaluation (small)', () => {
  it("answers every relation query of the scene right and finds each colour's object (IoU ≥ 0.5)", async () => {
    const summary = await evaluateRelations({ seed: 7301, scenes: 1, views: 4, width: 160, height: 120 });
    // The scene has a colour shared by two objects and unique references: there are queries to answer.
    expect(summary.relations.length).toBeGreaterThanOrEqual(2);
    expect(summary.relations.filter((r) => !r.correct)).toEqual([]);
    expect(summary.masks.length).toBeGreaterThanOrEqual(2);
    for (const m of summary.masks) expect(m.iou).toBeGreaterThanOrEqual(0.5);
  }, 180_000);
});
