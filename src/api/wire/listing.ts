// Octavia's list semantics (reference §1.4), shared by every collection: equality filters on the fields of
// the collection's data model, tags / tags-any / not-tags / not-tags-any, sort or sort_key+sort_dir, limit/marker/page_reverse paging with
// next/previous links, and `fields` projection. Works on wire objects, after project scoping.
import { fail } from '../../errors.ts';
import { isTruthy } from './query-values.ts';

export type WireObject = Record<string, unknown>;
export type Query = Record<string, string | string[] | undefined>;

/** Where a filter key finds its value in a row: the wire key holding it, or a getter for nested values. */
export type FilterField = string | ((row: WireObject) => unknown);

export type ListOptions = {
  /** attributes that may be sorted on */
  readonly attributes: readonly string[];
  /** the filter keys the collection accepts (any other key is a 400, as in Octavia) and where each reads */
  readonly filters: Readonly<Record<string, FilterField>>;
  /** query parameters with their own meaning for this collection (consumed by the caller) */
  readonly reserved?: readonly string[];
  readonly maxLimit?: number;
};

export type Page = { items: WireObject[]; links: { href: string; rel: string }[] };

const PAGING = ['limit', 'marker', 'page_reverse', 'sort', 'sort_key', 'sort_dir', 'fields'];
export const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'];

export const all = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
export const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[value.length - 1] : value;

/** A list request read and checked: what to filter on, in which order, and which page. */
export type ListPlan = Readonly<{
  /** equality filters in query order: the key, where it reads, and the wanted values (any matches) */
  filters: readonly Readonly<{ key: string; field: FilterField; values: readonly string[] }>[];
  tags: TagFilters;
  sort: readonly SortKey[];
  /** undefined: no limit */
  limit: number | undefined;
  marker: string | undefined;
  reverse: boolean;
}>;

export type TagFilters = Readonly<{
  every: readonly string[];
  any: readonly string[];
  notEvery: readonly string[];
  notAny: readonly string[];
}>;

export type SortKey = Readonly<{ key: string; desc: boolean }>;

export function listPage(items: WireObject[], query: Query, options: ListOptions, selfUrl: string): Page {
  const plan = planList(query, options);
  return pageOf(pageRows(items, plan), plan, query, selfUrl);
}

/**
 * Checks the query as Octavia does, in its order (filter keys, sort, limit), and reads it into a plan; the
 * marker is checked where the rows are read (pageRows here, or the SQL page of the repository).
 */
export function planList(query: Query, options: ListOptions): ListPlan {
  const reserved = new Set([...PAGING, ...TAG_FILTERS, ...(options.reserved ?? [])]);
  const filters: ListPlan['filters'][number][] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (reserved.has(key) || raw === undefined) continue;
    // Octavia keeps only keys naming a field of the data model and answers 400 InvalidFilterArgument when
    // any was dropped (octavia/api/common/pagination.py, PaginationHelper.apply).
    const field = Object.hasOwn(options.filters, key) ? options.filters[key] : undefined;
    if (field === undefined) throw fail('request.invalid-argument');
    // A repeated parameter matches any of its values (Octavia hands SQLAlchemy a list there, which no
    // database compares as one value).
    filters.push({ key, field, values: all(raw) });
  }
  const tags = tagFilters(query);
  const sort = parseSort(query, new Set(options.attributes));
  const limit = parseLimit(one(query.limit), options.maxLimit ?? 1000);
  const reverse = (one(query.page_reverse) ?? '').toLowerCase() === 'true';
  return { filters, tags, sort, limit, marker: one(query.marker), reverse };
}

/** The page of the plan in memory: filter, sort, cut at the marker, take the limit. */
export function pageRows(items: WireObject[], plan: ListPlan): WireObject[] {
  let rows = items;
  for (const { field, values } of plan.filters) {
    const read = typeof field === 'string' ? (row: WireObject) => row[field] : field;
    rows = rows.filter((row) => values.some((w) => matches(read(row), w)));
  }
  rows = rows.filter((row) => hasTags((row.tags as string[] | undefined) ?? [], plan.tags));
  rows = [...rows].sort((a, b) => compareRows(a, b, plan.sort));

  const { limit, marker, reverse } = plan;
  if (marker !== undefined) {
    const index = rows.findIndex((row) => row.id === marker);
    if (index < 0) throw fail('list.invalid-marker', { marker });
    rows = reverse ? rows.slice(0, index) : rows.slice(index + 1);
  }
  let page = reverse && limit !== undefined ? rows.slice(Math.max(0, rows.length - limit)) : rows;
  if (!reverse && limit !== undefined) page = page.slice(0, limit);
  return page;
}

/** The answer for a page of rows, however it was read: its links, and each row projected on `fields`. */
export function pageOf(page: readonly WireObject[], plan: ListPlan, query: Query, selfUrl: string): Page {
  const { limit, marker } = plan;
  // Octavia's _make_links: with rows, a previous link when paging from a marker, then a next link when the
  // page is full, or always when there is no limit (limit <= 0 or "infinite" read as None since 15.0.0, which
  // the link prints as `limit=None`; octavia/api/common/pagination.py).
  const links: Page['links'] = [];
  const sortParam = one(query.sort) !== undefined ? `&sort=${one(query.sort)}` : sortKeyParams(query);
  const limitParam = `limit=${limit ?? 'None'}${sortParam}`;
  if (page.length > 0 && marker !== undefined) {
    links.push({ href: `${selfUrl}?${limitParam}&marker=${page[0].id}&page_reverse=True`, rel: 'previous' });
  }
  if (page.length > 0 && (limit === undefined || page.length >= limit)) {
    links.push({ href: `${selfUrl}?${limitParam}&marker=${page[page.length - 1].id}`, rel: 'next' });
  }
  return { items: page.map((row) => project(row, query)), links };
}

/** `fields` projection for one object (GET-one accepts it too). Comma lists are not split (reference §1.4). */
export function project(row: WireObject, query: Query): WireObject {
  const fields = all(query.fields);
  if (fields.length === 0) return row;
  return Object.fromEntries(Object.entries(row).filter(([key]) => fields.includes(key)));
}

/** SQL equality on the stored value: NULL equals nothing; booleans read as oslo's bool_from_string. */
function matches(value: unknown, wanted: string): boolean {
  // Octavia 15.0.0 converts boolean filters with strutils.bool_from_string (not strict): a word outside
  // its true list means false (octavia/db/base_models.py, OctaviaBase.apply_filter).
  if (typeof value === 'boolean') return value === isTruthy(wanted);
  if (value === null || value === undefined) return false;
  return String(value) === wanted;
}

/** Octavia's and Neutron's tag filters: comma lists, repeated parameters add up. */
export function filterTags(rows: WireObject[], query: Query): WireObject[] {
  const tags = tagFilters(query);
  return rows.filter((row) => hasTags((row.tags as string[] | undefined) ?? [], tags));
}

function tagFilters(query: Query): TagFilters {
  const list = (key: string) =>
    all(query[key])
      .flatMap((v) => v.split(','))
      .filter(Boolean);
  const [every, any, notEvery, notAny] = TAG_FILTERS.map(list);
  return { every, any, notEvery, notAny };
}

function hasTags(tags: readonly string[], { every, any, notEvery, notAny }: TagFilters): boolean {
  if (every.length && !every.every((tag) => tags.includes(tag))) return false;
  if (any.length && !any.some((tag) => tags.includes(tag))) return false;
  if (notEvery.length && notEvery.every((tag) => tags.includes(tag))) return false;
  if (notAny.length && notAny.some((tag) => tags.includes(tag))) return false;
  return true;
}

function parseSort(query: Query, allowed: Set<string>): SortKey[] {
  const keys: SortKey[] = [];
  const sort = one(query.sort);
  if (sort !== undefined) {
    for (const part of sort.split(',')) {
      const pieces = part.split(':');
      if (pieces.length > 2) throw fail('list.invalid-sort-key', { key: part });
      keys.push(sortKey(pieces[0], pieces[1], allowed));
    }
  } else {
    const names = (one(query.sort_key) ?? '').split(',').filter(Boolean);
    const dirs = (one(query.sort_dir) ?? '').split(',').filter(Boolean);
    for (const [i, name] of names.entries()) keys.push(sortKey(name, dirs[i], allowed));
  }
  // Octavia appends created_at then id so paging is stable (reference §1.4).
  for (const key of ['created_at', 'id'])
    if (!keys.some((k) => k.key === key)) keys.push({ key, desc: false });
  return keys;
}

function sortKey(name: string, dir: string | undefined, allowed: Set<string>): SortKey {
  const key = name.trim();
  if (!allowed.has(key)) throw fail('list.invalid-sort-key', { key });
  const direction = (dir ?? 'asc').trim().toLowerCase();
  if (direction !== 'asc' && direction !== 'desc') throw fail('list.invalid-sort-dir', { dir: dir ?? '' });
  return { key, desc: direction === 'desc' };
}

function compareRows(a: WireObject, b: WireObject, keys: readonly SortKey[]): number {
  for (const { key, desc } of keys) {
    const order = compareValues(a[key], b[key]);
    if (order !== 0) return desc ? -order : order;
  }
  return 0;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function parseLimit(text: string | undefined, max: number): number | undefined {
  if (text === undefined) return max;
  if (text === 'infinite') return undefined;
  if (!/^-?\d+$/.test(text)) throw fail('list.invalid-limit', { limit: text });
  const limit = Number(text);
  return limit < 1 ? undefined : Math.min(limit, max);
}

function sortKeyParams(query: Query): string {
  const key = one(query.sort_key);
  const dir = one(query.sort_dir);
  return `${key !== undefined ? `&sort_key=${key}` : ''}${dir !== undefined ? `&sort_dir=${dir}` : ''}`;
}
