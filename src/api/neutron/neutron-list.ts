// Neutron list semantics: equality filters on any attribute with repeated parameters (`?id=a&id=b`), list
// attributes matched by membership (`?subnets=<id>`, `?fixed_ips=ip_address=10.0.0.5`), the tag filters
// and `fields=`.
// Paging parameters are accepted and ignored: every list is answered in one page.
import { all, filterTags, project, TAG_FILTERS } from '../wire/listing.ts';
import type { WireObject } from './neutron-wire.ts';

export type Query = Record<string, string | string[] | undefined>;

const IGNORED = new Set([
  'fields',
  'limit',
  'marker',
  'page_reverse',
  'sort_key',
  'sort_dir',
  'verbose',
  ...TAG_FILTERS,
]);

export function filterList(rows: readonly WireObject[], query: Query): WireObject[] {
  let out = [...rows];
  for (const [key, raw] of Object.entries(query)) {
    if (IGNORED.has(key) || raw === undefined) continue;
    const wanted = all(raw);
    // Unknown attributes are ignored, as Neutron does without the filter-validation extension.
    out = out.filter((row) => !Object.hasOwn(row, key) || wanted.some((w) => matches(row[key], w)));
  }
  // standard-attr-tag's filters (neutron/extensions/tagging.py): all, any, not all, none of the tags.
  return filterTags(out, query).map((row) => project(row, query));
}

/** `fields=` for a single object. */
export const projectOne = (row: WireObject, query: Query): WireObject => project(row, query);

function matches(value: unknown, wanted: string): boolean {
  if (typeof value === 'boolean') return value === lenientBool(wanted);
  if (value === null || value === undefined) return wanted === '' || wanted === 'None';
  if (Array.isArray(value)) return value.some((item) => matchesItem(item, wanted));
  return String(value) === wanted;
}

/** A list item matches its own text, or for dicts a `key=value` pair (Neutron's fixed_ips filter). */
function matchesItem(item: unknown, wanted: string): boolean {
  if (item !== null && typeof item === 'object') {
    const eq = wanted.indexOf('=');
    if (eq < 0) return false;
    return String((item as Record<string, unknown>)[wanted.slice(0, eq)]) === wanted.slice(eq + 1);
  }
  return String(item) === wanted;
}

function lenientBool(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', '1', 't', 'yes', 'y', 'on'].includes(lower)) return true;
  if (['false', '0', 'f', 'no', 'n', 'off'].includes(lower)) return false;
  return undefined;
}
