// VRRP groups (docs/ha.md, "VRRP layout"): each agent's own address per physical network (registered when it
// runs keepalived), the groups the controller allocates — one keepalived vrrp_instance per (network, preferred
// agent, peer agent, slot), with its router id and anchor port — and the group each ACTIVE_STANDBY placement is in.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('vrrp_addresses', 'text').execute();
  await db.schema
    .createTable('vrrp_groups')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull())
    // Plain ids, no foreign key: deleting an agent unbinds its placements, which ungroups them first.
    .addColumn('preferred_agent_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('peer_agent_id', 'varchar(36)', (c) => c.notNull())
    // 0 for the groups allocation makes; the failover switch adds further ones after a takeover (vrrp-switch.ts).
    .addColumn('slot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('vrid', 'integer', (c) => c.notNull())
    .addColumn('anchor_port_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('anchor_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('vrrp_groups_pair_key', [
      'network_id',
      'preferred_agent_id',
      'peer_agent_id',
      'slot',
    ])
    .execute();
  await db.schema
    .alterTable('amphorae')
    .addColumn('vrrp_group_id', 'varchar(36)', (c) => c.references('vrrp_groups.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('amphorae_vrrp_group_idx').on('amphorae').column('vrrp_group_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('amphorae_vrrp_group_idx').execute();
  await db.schema.alterTable('amphorae').dropColumn('vrrp_group_id').execute();
  await db.schema.dropTable('vrrp_groups').execute();
  await db.schema.alterTable('agents').dropColumn('vrrp_addresses').execute();
}
