// Neutron's standard attributes on networks, subnets and ports (`description`; routers and floating IPs
// have it since 005) and resource tags for all five, keyed by resource id (ids are UUIDs, unique across
// resources). https://docs.openstack.org/api-ref/network/v2/#standard-attributes-tag-extension
import type { Kysely } from 'kysely';

const DESCRIBED = ['networks', 'subnets', 'ports'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of DESCRIBED) {
    await db.schema
      .alterTable(table)
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  }
  await db.schema
    .createTable('neutron_tags')
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('neutron_tags_pk', ['resource_id', 'tag'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('neutron_tags').execute();
  for (const table of DESCRIBED) await db.schema.alterTable(table).dropColumn('description').execute();
}
