/**
 * The instance list of a result as JSON (metres, world frame): what the query panel lists, for
 * scripts and papers.
 */
import type { Instance } from '../query/clustering.ts';
import type { ResultQuery } from './resultPly.ts';

export function instanceSummaryJson(query: ResultQuery | null, instances: readonly Instance[]): string {
  return JSON.stringify(
    {
      query: query?.text ?? null,
      threshold: query?.threshold ?? null,
      units: 'metres',
      instances: instances.map((i) => ({ id: i.id, count: i.count, centroid: i.centroid, min: i.min, max: i.max })),
    },
    null,
    2,
  );
}
