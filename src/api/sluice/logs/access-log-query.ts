// The query of `GET /sluice/v1/loadbalancers/{id}/logs`: limit, marker (a line id; 0 = from the oldest kept),
// listener_id, follow; anything else, or a value it cannot take, is a 400 in Octavia's fault format.
import { fail } from '../../../errors.ts';
import { one, type Query } from '../../wire/listing.ts';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 2000;
const KEYS = ['limit', 'marker', 'listener_id', 'follow'];
const POSITIVE_INTEGER = /^[1-9]\d{0,15}$/;
const COUNT = /^\d{1,16}$/;

export type AccessLogQuery = Readonly<{
  limit: number;
  marker: number;
  listenerId?: string;
  /** wait (long-poll) until lines newer than the marker exist */
  follow: boolean;
}>;

export function parseAccessLogQuery(query: Query): AccessLogQuery {
  if (Object.keys(query).some((key) => !KEYS.includes(key))) throw fail('request.invalid-argument');
  const limit = one(query.limit);
  if (limit !== undefined && !POSITIVE_INTEGER.test(limit)) throw fail('list.invalid-limit', { limit });
  const marker = one(query.marker);
  if (marker !== undefined && !COUNT.test(marker)) throw fail('list.invalid-marker', { marker });
  const follow = one(query.follow)?.toLowerCase();
  if (follow !== undefined && follow !== 'true' && follow !== 'false') {
    throw fail('octavia.invalid-option', { value: follow, option: 'follow' });
  }
  const listenerId = one(query.listener_id);
  return {
    limit: limit === undefined ? DEFAULT_LIMIT : Math.min(Number(limit), MAX_LIMIT),
    marker: marker === undefined ? 0 : Number(marker),
    ...(listenerId !== undefined && { listenerId }),
    follow: follow === 'true',
  };
}
