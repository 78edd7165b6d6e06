// Networking completion and LBaaS v1 (issue #6): routers, floating IPs, and the v1 records that the LBaaS v1
// API keeps beside the v2 objects realizing them (identity-networking-v1.md §2, §3). Portable types.
import { type Kysely, sql } from 'kysely';

/** The first-start network `public` (public-network.ts) is the external network floating IPs come from. */
const PUBLIC_NETWORK_NAME = 'public';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('routers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('gateway_network_id', 'text', (c) => c.references('networks.id'))
    .addColumn('gateway_port_id', 'text', (c) => c.references('ports.id').onDelete('set null'))
    .addColumn('enable_snat', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('floatingips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('floating_network_id', 'text', (c) => c.notNull().references('networks.id'))
    .addColumn('floating_subnet_id', 'text', (c) => c.notNull())
    .addColumn('floating_ip_address', 'text', (c) => c.notNull())
    .addColumn('floating_port_id', 'text', (c) => c.notNull().references('ports.id').onDelete('cascade'))
    // Deleting the associated port (a VIP freed with its load balancer) disassociates, as in Neutron.
    .addColumn('port_id', 'text', (c) => c.references('ports.id').onDelete('set null'))
    .addColumn('fixed_ip_address', 'text')
    .addColumn('router_id', 'text', (c) => c.references('routers.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('floatingips_port').on('floatingips').column('port_id').execute();

  await db.schema
    .createTable('lbv1_pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('subnet_id', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('lb_method', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('v2_pool_id', 'text', (c) => c.references('pools.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lbv1_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('lbv1_pools.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('protocol_port', 'integer', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('v2_member_id', 'text', (c) => c.references('members.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lbv1_health_monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('delay', 'integer', (c) => c.notNull())
    .addColumn('timeout', 'integer', (c) => c.notNull())
    .addColumn('max_retries', 'integer', (c) => c.notNull())
    .addColumn('http_method', 'text', (c) => c.notNull())
    .addColumn('url_path', 'text', (c) => c.notNull())
    .addColumn('expected_codes', 'text', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lbv1_pool_monitors')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('lbv1_pools.id').onDelete('cascade'))
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('lbv1_health_monitors.id').onDelete('cascade'),
    )
    .addColumn('v2_monitor_id', 'text', (c) => c.references('health_monitors.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lbv1_pool_monitors_pk', ['pool_id', 'monitor_id'])
    .execute();

  await db.schema
    .createTable('lbv1_vips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    // One VIP per pool (Neutron's VipExists).
    .addColumn('pool_id', 'text', (c) => c.notNull().unique().references('lbv1_pools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('subnet_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('port_id', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('protocol_port', 'integer', (c) => c.notNull())
    .addColumn('session_persistence', 'text')
    .addColumn('connection_limit', 'integer', (c) => c.notNull())
    .addColumn('admin_state_up', 'integer', (c) => c.notNull())
    .addColumn('load_balancer_id', 'text', (c) =>
      c.notNull().references('load_balancers.id').onDelete('cascade'),
    )
    .addColumn('listener_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Floating IPs come from external networks: `public` is one (stores created before this migration too).
  await sql`update networks set router_external = 1 where name = ${PUBLIC_NETWORK_NAME} and shared = 1`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'lbv1_vips',
    'lbv1_pool_monitors',
    'lbv1_health_monitors',
    'lbv1_members',
    'lbv1_pools',
    'floatingips',
    'routers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
