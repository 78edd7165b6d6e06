// The paging part every /sluice/v1 listing shares: only the keys it knows (anything else is a 400 as Octavia
// refuses a filter on no field), `limit` (a positive integer, capped) and `marker` (a row id), each a 400 in
// Octavia's fault format when malformed.
import { fail } from '../../errors.ts';
import { one, type Query } from '../wire/listing.ts';

const POSITIVE_INTEGER = /^[1-9]\d{0,15}$/;
const COUNT = /^\d{1,16}$/;

export type IdPage = Readonly<{ limit: number; marker: number | undefined }>;

export function idPageQuery(
  query: Query,
  keys: readonly string[],
  limits: Readonly<{ default: number; max: number; markerMayBeZero?: boolean }>,
): IdPage {
  if (Object.keys(query).some((key) => !keys.includes(key))) throw fail('request.invalid-argument');
  const limit = one(query.limit);
  if (limit !== undefined && !POSITIVE_INTEGER.test(limit)) throw fail('list.invalid-limit', { limit });
  const marker = one(query.marker);
  const markerPattern = limits.markerMayBeZero ? COUNT : POSITIVE_INTEGER;
  if (marker !== undefined && !markerPattern.test(marker)) throw fail('list.invalid-marker', { marker });
  return {
    limit: limit === undefined ? limits.default : Math.min(Number(limit), limits.max),
    marker: marker === undefined ? undefined : Number(marker),
  };
}
