// The query of `GET /sluice/v1/loadbalancers/{id}/logs`: limit, marker (a line id; 0 = from the oldest kept),
// listener_id, follow; anything else, or a value it cannot take, is a 400 in Octavia's fault format.
import { fail } from '../../../errors.ts';
import { one, type Query } from '../../wire/listing.ts';
import { idPageQuery } from '../id-page-query.ts';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 2000;
const KEYS = ['limit', 'marker', 'listener_id', 'follow'];

export type AccessLogQuery = Readonly<{
  limit: number;
  marker: number;
  listenerId?: string;
  /** wait (long-poll) until lines newer than the marker exist */
  follow: boolean;
}>;

export function parseAccessLogQuery(query: Query): AccessLogQuery {
  const page = idPageQuery(query, KEYS, { default: DEFAULT_LIMIT, max: MAX_LIMIT, markerMayBeZero: true });
  const follow = one(query.follow)?.toLowerCase();
  if (follow !== undefined && follow !== 'true' && follow !== 'false') {
    throw fail('octavia.invalid-option', { value: follow, option: 'follow' });
  }
  const listenerId = one(query.listener_id);
  return {
    limit: page.limit,
    marker: page.marker ?? 0,
    ...(listenerId !== undefined && { listenerId }),
    follow: follow === 'true',
  };
}
