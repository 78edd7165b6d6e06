// Agents (architecture §1): the hosts that run data planes, each with its own token, and the binding of a
// load balancer's placements (amphorae) to them with what each agent last reported for its placement.
// Listener counters remember the data-plane instance (epoch) that produced them, so a restarted data plane,
// whose counters start again at zero, adds to the totals instead of erasing them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('host', 'varchar(255)')
    .addColumn('pid', 'integer')
    .addColumn('availability_zone', 'varchar(255)')
    .addColumn('providers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('NEW'))
    .addColumn('epoch', 'varchar(36)')
    .addColumn('heartbeat_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema
    .alterTable('amphorae')
    .addColumn('agent_id', 'varchar(36)', (c) => c.references('agents.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('amphorae').addColumn('scheduled_revision', 'integer').execute();
  await db.schema.alterTable('amphorae').addColumn('reported_revision', 'integer').execute();
  await db.schema.alterTable('amphorae').addColumn('apply_error', 'text').execute();
  await db.schema.alterTable('amphorae').addColumn('report', 'text').execute();
  await db.schema.alterTable('amphorae').addColumn('reported_at', 'varchar(32)').execute();
  await db.schema.createIndex('amphorae_agent_idx').on('amphorae').column('agent_id').execute();
  await db.schema.alterTable('listener_statistics').addColumn('epoch', 'varchar(36)').execute();
  for (const column of ['base_bytes_in', 'base_bytes_out', 'base_total_connections', 'base_request_errors']) {
    await db.schema
      .alterTable('listener_statistics')
      .addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'epoch',
    'base_bytes_in',
    'base_bytes_out',
    'base_total_connections',
    'base_request_errors',
  ])
    await db.schema.alterTable('listener_statistics').dropColumn(column).execute();
  await db.schema.dropIndex('amphorae_agent_idx').execute();
  for (const column of [
    'agent_id',
    'scheduled_revision',
    'reported_revision',
    'apply_error',
    'report',
    'reported_at',
  ])
    await db.schema.alterTable('amphorae').dropColumn(column).execute();
  await db.schema.dropTable('agents').execute();
}
