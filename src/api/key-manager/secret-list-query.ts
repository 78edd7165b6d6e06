// The query of GET /v1/secrets as barbican/api/controllers/secrets.py reads it: filters, the date filters
// (`gt:`, `gte:`, `lt:`, `lte:` or equal, comma-joined) and `sort` checked as _is_valid_date_filter and
// _is_valid_sorting do (400 otherwise), and the query string the page links carry.
import { SluiceError } from '../../errors.ts';
import { type SecretFilters, SORT_COLUMNS } from '../../store/repositories/secret-repository.ts';

type DateFilter = NonNullable<SecretFilters['dates']>[number];
const DATE_COLUMNS = { created: 'created_at', updated: 'updated_at', expiration: 'expiration' } as const;
const OPERATORS = [
  ['gte:', '>='],
  ['gt:', '>'],
  ['lte:', '<='],
  ['lt:', '<'],
] as const;

const badQuery = () => new SluiceError('key-manager.bad-query');

/** oslo parse_isotime of a filter value, as an ISO instant (UTC when no zone is given). */
function isoTime(text: string): string {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const time = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?/.test(text) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(time)) throw badQuery();
  return new Date(time).toISOString();
}

/** The operators a filter may not repeat or combine with (_is_valid_date_filter, literally). */
const CONFLICTS: Readonly<Record<DateFilter[1], readonly string[]>> = {
  '>': ['>', '>='],
  '>=': ['>', '>=', '='],
  '<': ['<', '<='],
  '<=': ['<', '<=', '='],
  '=': ['=', '>=', '<='],
};

function dateFilters(field: keyof typeof DATE_COLUMNS, value: string): DateFilter[] {
  const result: DateFilter[] = [];
  for (const part of value.split(',')) {
    const found = OPERATORS.find(([prefix]) => part.startsWith(prefix));
    const op = found ? found[1] : '=';
    if (result.some(([, seen]) => CONFLICTS[op].includes(seen))) throw badQuery();
    result.push([DATE_COLUMNS[field], op, isoTime(found ? part.slice(found[0].length) : part)]);
  }
  return result;
}

function sortKeys(value: string): NonNullable<SecretFilters['sort']> {
  const keys: [keyof typeof SORT_COLUMNS, 'asc' | 'desc'][] = [];
  for (const item of value.split(',')) {
    const parts = item.split(':');
    if (parts.length > 2) throw badQuery();
    const [key, direction = 'asc'] = parts;
    if (!(key in SORT_COLUMNS) || (direction !== 'asc' && direction !== 'desc')) throw badQuery();
    if (keys.some(([k]) => k === key)) throw badQuery();
    keys.push([key as keyof typeof SORT_COLUMNS, direction]);
  }
  return keys;
}

export function secretListFilters(query: URLSearchParams, userId: string): SecretFilters {
  const get = (name: string) => query.get(name) ?? undefined;
  const dates: DateFilter[] = [];
  for (const field of Object.keys(DATE_COLUMNS) as (keyof typeof DATE_COLUMNS)[]) {
    const value = get(field);
    if (value) dates.push(...dateFilters(field, value));
  }
  const sort = get('sort');
  // "as per Github issue 171, if bits is invalid then the default should be used"
  const bits = Number.parseInt(get('bits') ?? '', 10);
  return {
    name: get('name') || undefined,
    algorithm: get('alg') || undefined,
    mode: get('mode') || undefined,
    bitLength: /^\s*[-+]?\d+\s*$/.test(get('bits') ?? '') && bits > 0 ? bits : undefined,
    secretType: get('secret_type') || undefined,
    ...(get('acl_only')?.toLowerCase() === 'true' && { aclUser: userId }),
    dates,
    ...(sort && { sort: sortKeys(sort) }),
  };
}

/** The query without `limit` and `offset`, for the page links (Python's urlencode). */
export function linkQuery(query: URLSearchParams): string {
  const kept = new URLSearchParams([...query].filter(([key]) => key !== 'limit' && key !== 'offset'));
  return kept.toString();
}
