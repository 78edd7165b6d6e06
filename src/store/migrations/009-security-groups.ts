// Neutron security groups and their rules (the `security-group` extension), and the security groups a load
// balancer's VIP carries (Octavia API 2.29 `vip_sg_ids`, kept as a JSON list of ids on the load balancer).
// https://docs.openstack.org/api-ref/network/v2/#security-groups-security-groups
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('security_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stateful', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('security_group_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('security_group_id', 'text', (c) =>
      c.notNull().references('security_groups.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('ethertype', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text')
    .addColumn('port_range_min', 'integer')
    .addColumn('port_range_max', 'integer')
    .addColumn('remote_ip_prefix', 'text')
    .addColumn('remote_group_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revision_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('security_group_rules_group')
    .on('security_group_rules')
    .column('security_group_id')
    .execute();
  await db.schema
    .alterTable('load_balancers')
    .addColumn('vip_sg_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('load_balancers').dropColumn('vip_sg_ids').execute();
  await db.schema.dropTable('security_group_rules').execute();
  await db.schema.dropTable('security_groups').execute();
}
