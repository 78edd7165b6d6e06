// HTTP Strict Transport Security on listeners (Octavia API 2.27): nullable columns like Octavia's listener
// table; the API answers false for a null flag.
// https://docs.openstack.org/api-ref/load-balancer/v2/#create-a-listener
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('listeners').addColumn('hsts_max_age', 'integer').execute();
  await db.schema.alterTable('listeners').addColumn('hsts_include_subdomains', 'integer').execute();
  await db.schema.alterTable('listeners').addColumn('hsts_preload', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('listeners').dropColumn('hsts_preload').execute();
  await db.schema.alterTable('listeners').dropColumn('hsts_include_subdomains').execute();
  await db.schema.alterTable('listeners').dropColumn('hsts_max_age').execute();
}
