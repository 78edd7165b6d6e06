// How many values one SQL statement may carry, and lists cut to fit: SQLite's default
// SQLITE_MAX_VARIABLE_NUMBER since 3.32 is 32,766 (https://www.sqlite.org/limits.html#max_variable_number);
// PostgreSQL allows 65,535 bind parameters, so statements stay under the smaller.
export const MAX_VARIABLES = 32_766;

/** Ids per `id IN (…)` statement, with room for the statement's other parameters. */
export const IDS_PER_STATEMENT = 30_000;

/** `items` cut into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}
