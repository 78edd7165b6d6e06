// One page of an Octavia collection read in SQL: equality and tag filters in WHERE, ORDER BY the sort keys,
// the marker as a keyset and LIMIT, so a page costs the same with 100,000 rows as with 100. The expressions
// read each value as the wire shows it, so the page is the one the in-memory listing would cut.
import {
  type Expression,
  PostgresAdapter,
  type RawBuilder,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { Db } from '../database.ts';
import type { Database } from '../schema.ts';

/** How one wire value reads from a row. */
export type SqlValue = Readonly<{
  column: string;
  /**
   * text: as stored; int: filtered as its decimal text (the wire compares `String(value)`), sorted as a
   * number; bool: 0/1; time: the first 19 characters, the wire's zone-less second-precision timestamp
   */
  kind: 'text' | 'int' | 'bool' | 'time';
  /** a column read first when it is not NULL (a load balancer's provider alias over its provider) */
  alias?: string;
  /** NULL reads as '' (names and descriptions) */
  emptyIfNull?: boolean;
  /** NULL stays NULL on the wire: sorting on it is left to the in-memory listing */
  nullable?: boolean;
}>;

export type PageSpec = Readonly<{
  /** each filter matches when the value equals any of `values` (bool values already 0/1) */
  filters: readonly Readonly<{ value: SqlValue; values: readonly (string | number)[] }>[];
  /** tags of the JSON `tags` column: all of, any of, not all of, none of */
  tags: Readonly<Record<'every' | 'any' | 'notEvery' | 'notAny', readonly string[]>>;
  /** the sort keys, ending with `id` */
  order: readonly Readonly<{ value: SqlValue; desc: boolean }>[];
  marker: string | undefined;
  reverse: boolean;
  limit: number | undefined;
}>;

// biome-ignore lint/complexity/noBannedTypes: a FROM with nothing selected yet, as Kysely types it
type From<TB extends keyof Database> = SelectQueryBuilder<Database, TB, {}>;

/**
 * The page's rows in page order, or undefined when the marker is not among the filtered rows (the caller
 * answers as the in-memory listing does). `from` is the collection's table (with its own conditions, such as
 * not DELETED), `scope` the columns it is listed by (a project, a parent; undefined: any). Two queries with a
 * marker (its sort values, then the page), one without.
 */
export async function readPage<TB extends keyof Database>(
  db: Db,
  from: From<TB>,
  spec: PageSpec,
  scope: Readonly<Record<string, string | undefined>> = {},
): Promise<Selectable<Database[TB]>[] | undefined> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const scoping = Object.entries(scope).flatMap(([column, value]) =>
    value === undefined ? [] : [sql<SqlBool>`${sql.ref(column)} = ${value}`],
  );
  const where = [...scoping, ...conditions(spec, postgres)];
  const scoped = where.reduce((q, c) => q.where(c), from);
  const order = spec.order.slice(0, spec.order.findIndex((k) => k.value.column === 'id') + 1);
  const keys = order.map((k) => ({ expr: sortValue(k.value, postgres), desc: k.desc }));

  let page = scoped;
  if (spec.marker !== undefined) {
    const marker = await scoped
      .select(keys.map((k, i) => k.expr.as(`k${i}`)))
      .where(sql.ref('id'), '=', spec.marker)
      .executeTakeFirst();
    if (marker === undefined) return undefined;
    const values = keys.map((_, i) => (marker as Record<string, unknown>)[`k${i}`]);
    page = page.where(beyond(keys, values, spec.reverse));
  }
  // page_reverse with a limit takes the last rows before the marker: read them backwards, then turn them.
  const backwards = spec.reverse && spec.limit !== undefined;
  const orderBy = sql.join(keys.map((k) => sql`${k.expr} ${sql.raw(k.desc !== backwards ? 'desc' : 'asc')}`));
  let query = page.selectAll().orderBy(orderBy);
  if (spec.limit !== undefined) query = query.limit(spec.limit);
  const rows = (await query.execute()) as unknown as Selectable<Database[TB]>[];
  return backwards ? rows.reverse() : rows;
}

function conditions(spec: PageSpec, postgres: boolean): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = spec.filters.map(({ value, values }) => {
    const expr = value.kind === 'int' ? sql`cast(${wireValue(value)} as text)` : wireValue(value);
    return sql<SqlBool>`${expr} in (${sql.join(values)})`;
  });
  const has = (tag: string) =>
    postgres
      ? sql<SqlBool>`(${sql.ref('tags')}::jsonb @> jsonb_build_array(${tag}::text))`
      : sql<SqlBool>`exists (select 1 from json_each(${sql.ref('tags')}) where json_each.value = ${tag})`;
  const all = (tags: readonly string[]) => sql<SqlBool>`(${sql.join(tags.map(has), sql` and `)})`;
  const any = (tags: readonly string[]) => sql<SqlBool>`(${sql.join(tags.map(has), sql` or `)})`;
  const { every, any: some, notEvery, notAny } = spec.tags;
  if (every.length > 0) out.push(all(every));
  if (some.length > 0) out.push(any(some));
  if (notEvery.length > 0) out.push(sql<SqlBool>`not ${all(notEvery)}`);
  if (notAny.length > 0) out.push(sql<SqlBool>`not ${any(notAny)}`);
  return out;
}

function wireValue(value: SqlValue): RawBuilder<unknown> {
  let expr: RawBuilder<unknown> = sql`${sql.ref(value.column)}`;
  if (value.alias !== undefined) expr = sql`coalesce(${sql.ref(value.alias)}, ${expr})`;
  if (value.emptyIfNull) expr = sql`coalesce(${expr}, '')`;
  if (value.kind === 'time') expr = sql`substr(${expr}, 1, 19)`;
  return expr;
}

/**
 * The wire compares strings by code unit and SQLite's default BINARY collation compares their UTF-8 bytes,
 * the same order for every character outside the surrogate range; PostgreSQL sorts text by the database's
 * locale unless told to use "C", byte order (https://www.postgresql.org/docs/15/collation.html).
 */
function sortValue(value: SqlValue, postgres: boolean): RawBuilder<unknown> {
  const expr = wireValue(value);
  return postgres && (value.kind === 'text' || value.kind === 'time') ? sql`(${expr} collate "C")` : expr;
}

/**
 * Rows after the marker in sort order (before it when paging in reverse): the row-value comparison
 * (k1, k2, …) > (m1, m2, …) spelled out per key, since directions may differ between keys.
 */
function beyond(
  keys: readonly { expr: RawBuilder<unknown>; desc: boolean }[],
  marker: readonly unknown[],
  reverse: boolean,
): Expression<SqlBool> {
  const alternatives = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => sql`${k.expr} = ${marker[j]}`);
    const after = key.desc !== reverse ? sql`${key.expr} < ${marker[i]}` : sql`${key.expr} > ${marker[i]}`;
    return sql`(${sql.join([...equal, after], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}
