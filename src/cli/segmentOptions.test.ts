import { describe, expect, it } from 'vitest';
import { SEGMENT_FLAG_OPTIONS, SEGMENT_VALUE_OPTIONS, segmentOptionsHelp, segmentQuerySettings } from './segmentOptions.ts';

describe('segment query options', () => {
  it('flags and valued options come from the one table, and the help names every one', () => {
    expect(SEGMENT_FLAG_OPTIONS).toEqual(['masks', 'no-relation']);
    expect(SEGMENT_VALUE_OPTIONS).toEqual(['segments', 'masks-out']);
    const help = segmentOptionsHelp();
    for (const name of [...SEGMENT_FLAG_OPTIONS, ...SEGMENT_VALUE_OPTIONS]) expect(help).toContain(`--${name}`);
    expect(help).toContain('objects | instances | regions');
  });

  it('reads the options, and refuses an unknown segment source or --masks-out without --masks', () => {
    expect(segmentQuerySettings(new Map<string, string | true>([['masks', true]]))).toEqual({
      masks: true,
      segments: 'objects',
      masksOut: undefined,
      relation: true,
    });
    expect(
      segmentQuerySettings(
        new Map<string, string | true>([
          ['no-relation', true],
          ['segments', 'regions'],
        ]),
      ),
    ).toMatchObject({ relation: false, segments: 'regions' });
    expect(() => segmentQuerySettings(new Map([['segments', 'blobs']]))).toThrow('--segments: expected one of objects, instances, regions, found blobs');
    expect(() => segmentQuerySettings(new Map([['masks-out', 'x']]))).toThrow('--masks-out needs --masks');
  });
});
