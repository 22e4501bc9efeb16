import { describe, expect, it } from 'vitest';
import { parseRelationQuery, RELATION_KINDS, RELATION_TABLE } from './relationPhrases.ts';

// [typed text, target, relation, reference] — written by hand, not generated from the table.
const PHRASINGS: readonly (readonly [string, string, string, string])[] = [
  ['red ball left of green box', 'red ball', 'left-of', 'green box'],
  ['the red ball on the left of the green box', 'red ball', 'left-of', 'green box'],
  ['mug to the left of the laptop', 'mug', 'left-of', 'laptop'],
  ['the mug on the left side of the laptop', 'mug', 'left-of', 'laptop'],
  ['Red Ball LEFT OF green box', 'red ball', 'left-of', 'green box'],
  ['blue ball right of the plate', 'blue ball', 'right-of', 'plate'],
  ['the cup on the right of the bowl', 'cup', 'right-of', 'bowl'],
  ['a pen to the right of a book', 'pen', 'right-of', 'book'],
  ['the lamp on the right side of the bed', 'lamp', 'right-of', 'bed'],
  ['ball behind the box', 'ball', 'behind', 'box'],
  ['the chair behind the table.', 'chair', 'behind', 'table'],
  ['a vase in back of the sofa', 'vase', 'behind', 'sofa'],
  ['the yellow dice in front of the red mug', 'yellow dice', 'in-front-of', 'red mug'],
  ['plant in front of window', 'plant', 'in-front-of', 'window'],
  ['the mug on the plate', 'mug', 'on', 'plate'],
  ['mug on plate', 'mug', 'on', 'plate'],
  ['the book on top of the shelf', 'book', 'on', 'shelf'],
  ['a cat sitting on the sofa', 'cat', 'on', 'sofa'],
  ['the mug that is on the table', 'mug', 'on', 'table'],
  ['the mug which is on the table', 'mug', 'on', 'table'],
  ['the keys lying on the desk', 'keys', 'on', 'desk'],
  ['the ball is on the plate', 'ball', 'on', 'plate'],
  ['dice in the bowl', 'dice', 'in', 'bowl'],
  ['the spoon inside the cup', 'spoon', 'in', 'cup'],
  ['apples inside of the basket', 'apples', 'in', 'basket'],
  ['the toy within the box', 'toy', 'in', 'box'],
  ['the pencils that are in the mug', 'pencils', 'in', 'mug'],
  ['  yellow   dice   in   the   white bowl  ', 'yellow dice', 'in', 'white bowl'],
  ['the left cup on the right of the plate', 'left cup', 'right-of', 'plate'],
  ['green box behind the blue ball!', 'green box', 'behind', 'blue ball'],
];

const PLAIN: readonly string[] = [
  'yellow dice',
  'red mug',
  'on the table',
  'behind',
  'mug on',
  'left of the box',
  'mug; plate',
  'mug, plate, bottle',
  'not the table',
  'a photo of a mug',
  'lemon',
  'onion',
  'the left cup',
  '',
];

describe('relation phrase parser', () => {
  it.each(PHRASINGS)('"%s" → %s | %s | %s', (text, target, relation, reference) => {
    expect(parseRelationQuery(text)).toEqual({ target, relation, reference });
  });

  it.each(PLAIN)('"%s" is a plain query', (text) => {
    expect(parseRelationQuery(text)).toBeNull();
  });

  it('covers every relation of the table with at least one phrasing, and has 30+ of them', () => {
    expect(PHRASINGS.length + PLAIN.length).toBeGreaterThanOrEqual(30);
    for (const kind of RELATION_KINDS) expect(PHRASINGS.some((p) => p[2] === kind)).toBe(true);
    expect(RELATION_TABLE['left-of'].label).toBe('left of');
  });
});
