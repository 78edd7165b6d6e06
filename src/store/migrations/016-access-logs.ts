// Tenant access logs (issue #16 item 3): the lines the data planes wrote, per load balancer, newest 10,000
// kept; `id` is monotonic (the paging marker). A per load balancer count of the lines data planes dropped.
import { type Kysely, PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT never reuses an id, even of the newest rows once deleted
  // (https://www.sqlite.org/autoinc.html); PostgreSQL: a bigserial sequence.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('access_logs')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('load_balancer_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('listener_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_logs_lb')
    .on('access_logs')
    .columns(['load_balancer_id', 'id'])
    .execute();
  await db.schema
    .createTable('access_log_drops')
    .addColumn('load_balancer_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('dropped', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('access_log_drops').execute();
  await db.schema.dropTable('access_logs').execute();
}
