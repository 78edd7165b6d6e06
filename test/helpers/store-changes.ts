// Tells whether a request changed the store: SQLite's total_changes() counts every row written on the
// connection (https://www.sqlite.org/lang_corefunc.html#total_changes), and when it moved, a snapshot of
// every table tells a real change from a rolled-back attempt.
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.ts';

export type StoreSnapshot = string;

export async function totalChanges(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(store.db);
  return Number(rows[0].n);
}

/** Every row of every table, as one comparable string (SQLite only). */
export async function snapshotStore(store: Store): Promise<StoreSnapshot> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    store.db,
  );
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    // quote() renders every value as SQL text, so integers beyond 2^53 compare exactly too.
    const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(
      store.db,
    );
    const quoted = sql.join(
      columns.rows.map((c) => sql`quote(${sql.ref(c.name)})`),
      sql`|| ',' ||`,
    );
    const { rows } = await sql<{ row: string }>`select ${quoted} as row from ${sql.table(name)}`.execute(
      store.db,
    );
    parts.push(
      `${name}: ${rows
        .map((r) => r.row)
        .sort()
        .join('\n')}`,
    );
  }
  return parts.join('\n');
}

/** Whether any text in the store holds a NUL (SQLite's quote() stops at one, so the snapshot cannot tell). */
export async function storeHoldsNul(store: Store): Promise<boolean> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db);
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(
      store.db,
    );
    for (const column of columns.rows) {
      const { rows } = await sql<{ n: number }>`
        select count(*) as n from ${sql.table(name)} where instr(${sql.ref(column.name)}, char(0)) > 0`.execute(
        store.db,
      );
      if (Number(rows[0].n) > 0) return true;
    }
  }
  return false;
}
