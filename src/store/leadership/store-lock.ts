// Runs start-up work (first-start bootstrap, backfills) in one process at a time when several processes
// share a PostgreSQL store: a session advisory lock held on one pinned connection while `work` runs on the
// store. On SQLite one process owns the store, and `work` just runs. Migrations need none of this: Kysely's
// Migrator takes its own transaction-level advisory lock on PostgreSQL.
import { sql } from 'kysely';
import type { Store } from '../database.ts';

export async function withStoreLock<T>(store: Store, name: string, work: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return work();
  return store.db.connection().execute(async (session) => {
    const key = sql`hashtext(${`sluice lock ${name} `} || current_schema())`;
    await sql`select pg_advisory_lock(${key})`.execute(session);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(session);
    }
  });
}
