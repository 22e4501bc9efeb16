/**
 * `fieldlens query`'s segment-level options (mask mode, spatial relations): rows of query's entry in
 * the command table (commandTable.ts), which parses them and prints their help.
 */
import { optionRowsHelp, type CliOptionRow } from './cliArgs.ts';
import { RELATION_KINDS, RELATION_TABLE } from '../core/relations/relationPhrases.ts';
import { isSegmentSource, SEGMENT_SOURCE_IDS, SEGMENT_SOURCES, type SegmentSource } from '../core/segments/segmentSources.ts';

export const SEGMENT_QUERY_OPTIONS: readonly CliOptionRow[] = [
  {
    name: 'masks',
    help: ['mask mode: rank segments (one feature each) and add masks: [{ id, score, points, centroid }] to --json'],
  },
  {
    name: 'segments',
    value: 'S',
    help: [
      `segments for --masks and relations: ${SEGMENT_SOURCE_IDS.join(' | ')} (default objects)`,
      ...SEGMENT_SOURCE_IDS.map((id) => `  ${id.padEnd(10)}${SEGMENT_SOURCES[id].help}`),
    ],
  },
  {
    name: 'masks-out',
    value: 'PREFIX',
    help: ['with --masks: write PREFIX.npy (bool [segments, points], best first), PREFIX.json and PREFIX.segments.json'],
  },
  {
    name: 'no-relation',
    help: [
      `treat the text as a plain phrase; otherwise "<target> <relation> <reference>" adds relation: {…} to --json`,
      `  relations: ${RELATION_KINDS.map((k) => RELATION_TABLE[k].label).join(', ')} (frame: input camera 0)`,
    ],
  },
];

export const SEGMENT_VALUE_OPTIONS = SEGMENT_QUERY_OPTIONS.filter((o) => o.value !== undefined).map((o) => o.name);
export const SEGMENT_FLAG_OPTIONS = SEGMENT_QUERY_OPTIONS.filter((o) => o.value === undefined).map((o) => o.name);

/** Help lines, indented as the query command's other options. */
export function segmentOptionsHelp(): string {
  return optionRowsHelp(SEGMENT_QUERY_OPTIONS).join('\n');
}

export interface SegmentQuerySettings {
  readonly masks: boolean;
  readonly segments: SegmentSource;
  readonly masksOut?: string | undefined;
  readonly relation: boolean;
}

export function segmentQuerySettings(options: ReadonlyMap<string, string | true>): SegmentQuerySettings {
  const raw = options.get('segments') ?? 'objects';
  if (!isSegmentSource(raw)) throw new Error(`--segments: expected one of ${SEGMENT_SOURCE_IDS.join(', ')}, found ${String(raw)}`);
  const out = options.get('masks-out');
  if (out !== undefined && !options.has('masks')) throw new Error('--masks-out needs --masks');
  return { masks: options.has('masks'), segments: raw, masksOut: typeof out === 'string' ? out : undefined, relation: !options.has('no-relation') };
}
