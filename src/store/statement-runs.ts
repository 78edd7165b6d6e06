// How many values one SQL statement may carry, and lists cut to fit: SQLite's default
// SQLITE_MAX_VARIABLE_NUMBER since 3.32 is 32,766 (https://www.sqlite.org/limits.html#max_variable_number);
// PostgreSQL allows 65,535 bind parameters, so statements stay under the smaller. On PostgreSQL a list of ids
// travels as one array parameter instead: thousands of placeholders cost it more to parse and plan than the
// statement costs to run. Also the one place where a statement is shaped per dialect for its planner
// (`unindexed`).
import { PostgresAdapter, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from './database.ts';

export const MAX_VARIABLES = 32_766;

/** Ids per `id IN (…)` statement, with room for the statement's other parameters. */
export const IDS_PER_STATEMENT = 30_000;

/** `items` cut into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

/** Whether `db` is PostgreSQL, where lists can be bound as arrays. */
export const onPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** `ids` in runs for `idIn`: one run on PostgreSQL (one parameter whatever its length), else IDS_PER_STATEMENT. */
export function idRuns(db: Db, ids: readonly string[]): (readonly string[])[] {
  return onPostgres(db) ? [ids] : chunks(ids, IDS_PER_STATEMENT);
}

/**
 * `id` among `ids`: on PostgreSQL one array parameter (`= ANY (array)`,
 * https://www.postgresql.org/docs/current/functions-comparisons.html#FUNCTIONS-COMPARISONS-ANY-SOME); SQLite
 * has no arrays, and takes the list cheaply. An empty list matches nothing.
 */
export function idIn(db: Db, ids: readonly string[]): RawBuilder<SqlBool> {
  if (onPostgres(db)) return sql<SqlBool>`id = any(cast(${[...ids]} as text[]))`;
  if (ids.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`id in (${sql.join(ids)})`;
}

/**
 * `column` for a WHERE term whose index must not be chosen: on SQLite behind a unary +
 * (https://www.sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_). Without statistics
 * SQLite's planner prefers an equality on `amphorae.agent_id` to one on `load_balancer_id`, and walked all of
 * an agent's placements (1,000 at 1,000 load balancers, about 0.5 ms) to find one load balancer's. PostgreSQL
 * plans from statistics and is given the column as it is.
 */
export function unindexed(db: Db, column: string): RawBuilder<unknown> {
  return onPostgres(db) ? sql.ref(column) : sql`+${sql.ref(column)}`;
}
