// The status event log (issue #16): one row per provisioning or operating status change of a load balancer
// or one of its objects, with the reason; `id` is monotonic (the paging marker), read per load balancer.
import { type Kysely, PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT never reuses an id, even of the newest rows once deleted
  // (https://www.sqlite.org/autoinc.html); PostgreSQL: a bigserial sequence.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('status_events')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('load_balancer_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_events_lb')
    .on('status_events')
    .columns(['load_balancer_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('status_events').execute();
}
