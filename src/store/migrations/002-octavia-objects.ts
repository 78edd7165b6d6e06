// Every object of the complete Octavia API: listeners, pools, members, health monitors, L7 policies and
// rules (each carrying its load balancer id: the lock and the revision live there), quotas, flavors, flavor
// profiles, availability zones and profiles, amphorae and per-amphora listener statistics. Portable types.
import type { CreateTableBuilder, Kysely } from 'kysely';

type Table = CreateTableBuilder<string, never>;

/** Columns every load-balancer child shares (reference §1.3, §2). */
function child(table: Table): Table {
  return table
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('load_balancer_id', 'text', (c) =>
      c.notNull().references('load_balancers.id').onDelete('cascade'),
    )
    .addColumn('name', 'text')
    .addColumn('admin_state_up', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('provisioning_status', 'text', (c) => c.notNull())
    .addColumn('operating_status', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text');
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Who holds the lock: the load balancer itself ('self': create/update/delete/failover of the LB) or one
  // of its children ('children'). A failed child change sends the LB back to ACTIVE, a failed LB change to
  // ERROR (reference §2.3).
  await db.schema.alterTable('load_balancers').addColumn('pending_target', 'text').execute();
  await db.schema
    .alterTable('load_balancers')
    .addColumn('topology', 'text', (c) => c.notNull().defaultTo('SINGLE'))
    .execute();

  await child(db.schema.createTable('listeners'))
    .addColumn('description', 'text')
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('protocol_port', 'integer', (c) => c.notNull())
    .addColumn('connection_limit', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('default_pool_id', 'text')
    .addColumn('default_tls_container_ref', 'text')
    .addColumn('sni_container_refs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('insert_headers', 'text')
    .addColumn('timeout_client_data', 'integer')
    .addColumn('timeout_member_connect', 'integer')
    .addColumn('timeout_member_data', 'integer')
    .addColumn('timeout_tcp_inspect', 'integer')
    .addColumn('client_ca_tls_container_ref', 'text')
    .addColumn('client_authentication', 'text', (c) => c.notNull().defaultTo('NONE'))
    .addColumn('client_crl_container_ref', 'text')
    .addColumn('allowed_cidrs', 'text')
    .addColumn('tls_ciphers', 'text')
    .addColumn('tls_versions', 'text')
    .addColumn('alpn_protocols', 'text')
    .execute();
  await db.schema.createIndex('listeners_lb').on('listeners').column('load_balancer_id').execute();

  await child(db.schema.createTable('pools'))
    .addColumn('description', 'text')
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('lb_algorithm', 'text', (c) => c.notNull())
    .addColumn('session_persistence', 'text')
    .addColumn('tls_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tls_container_ref', 'text')
    .addColumn('ca_tls_container_ref', 'text')
    .addColumn('crl_container_ref', 'text')
    .addColumn('tls_ciphers', 'text')
    .addColumn('tls_versions', 'text')
    .addColumn('alpn_protocols', 'text')
    .execute();
  await db.schema.createIndex('pools_lb').on('pools').column('load_balancer_id').execute();

  await child(db.schema.createTable('members'))
    .addColumn('pool_id', 'text', (c) => c.notNull().references('pools.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('protocol_port', 'integer', (c) => c.notNull())
    .addColumn('subnet_id', 'text')
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('backup', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('monitor_address', 'text')
    .addColumn('monitor_port', 'integer')
    .addUniqueConstraint('members_pool_address_port', ['pool_id', 'address', 'protocol_port'])
    .execute();
  await db.schema.createIndex('members_lb').on('members').column('load_balancer_id').execute();

  await child(db.schema.createTable('health_monitors'))
    .addColumn('pool_id', 'text', (c) => c.notNull().unique().references('pools.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('delay', 'integer', (c) => c.notNull())
    .addColumn('timeout', 'integer', (c) => c.notNull())
    .addColumn('max_retries', 'integer', (c) => c.notNull())
    .addColumn('max_retries_down', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('http_method', 'text')
    .addColumn('url_path', 'text')
    .addColumn('expected_codes', 'text')
    .addColumn('http_version', 'real')
    .addColumn('domain_name', 'text')
    .execute();

  await child(db.schema.createTable('l7policies'))
    .addColumn('description', 'text')
    .addColumn('listener_id', 'text', (c) => c.notNull().references('listeners.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('redirect_pool_id', 'text')
    .addColumn('redirect_url', 'text')
    .addColumn('redirect_prefix', 'text')
    .addColumn('redirect_http_code', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('l7policies_listener').on('l7policies').column('listener_id').execute();

  await child(db.schema.createTable('l7rules'))
    .addColumn('l7policy_id', 'text', (c) => c.notNull().references('l7policies.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('compare_type', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('invert', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('l7rules_policy').on('l7rules').column('l7policy_id').execute();

  // NULL means "use the configured default" (reference §10.1).
  await db.schema
    .createTable('quotas')
    .addColumn('project_id', 'text', (c) => c.primaryKey())
    .addColumn('load_balancer', 'integer')
    .addColumn('listener', 'integer')
    .addColumn('pool', 'integer')
    .addColumn('member', 'integer')
    .addColumn('health_monitor', 'integer')
    .addColumn('l7policy', 'integer')
    .addColumn('l7rule', 'integer')
    .execute();

  await db.schema
    .createTable('flavor_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('flavor_data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('flavors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('flavor_profile_id', 'text', (c) => c.notNull().references('flavor_profiles.id'))
    .execute();
  await db.schema
    .createTable('availability_zone_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('availability_zone_data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('availability_zones')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('availability_zone_profile_id', 'text', (c) =>
      c.notNull().references('availability_zone_profiles.id'),
    )
    .execute();

  // An amphora is one load balancer's placement on an agent host (role STANDALONE, MASTER or BACKUP).
  await db.schema
    .createTable('amphorae')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('load_balancer_id', 'text')
    .addColumn('compute_id', 'text')
    .addColumn('lb_network_ip', 'text')
    .addColumn('vrrp_ip', 'text')
    .addColumn('ha_ip', 'text')
    .addColumn('vrrp_port_id', 'text')
    .addColumn('ha_port_id', 'text')
    .addColumn('cert_expiration', 'text')
    .addColumn('cert_busy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('role', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('vrrp_interface', 'text')
    .addColumn('vrrp_id', 'integer')
    .addColumn('vrrp_priority', 'integer')
    .addColumn('cached_zone', 'text')
    .addColumn('image_id', 'text')
    .addColumn('compute_flavor', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
  await db.schema.createIndex('amphorae_lb').on('amphorae').column('load_balancer_id').execute();

  // Counters per listener per amphora, as data planes report them (reference §4.5).
  await db.schema
    .createTable('listener_statistics')
    .addColumn('listener_id', 'text', (c) => c.notNull().references('listeners.id').onDelete('cascade'))
    .addColumn('amphora_id', 'text', (c) => c.notNull())
    .addColumn('bytes_in', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_out', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('active_connections', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_connections', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('request_errors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('listener_statistics_pk', ['listener_id', 'amphora_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'listener_statistics',
    'amphorae',
    'availability_zones',
    'availability_zone_profiles',
    'flavors',
    'flavor_profiles',
    'quotas',
    'l7rules',
    'l7policies',
    'health_monitors',
    'members',
    'pools',
    'listeners',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('load_balancers').dropColumn('topology').execute();
  await db.schema.alterTable('load_balancers').dropColumn('pending_target').execute();
}
