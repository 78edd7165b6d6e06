// Additional VIPs of a load balancer (API v2.26): a JSON list of {subnet_id, ip_address}, all fixed IPs of
// the same VIP port.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('load_balancers')
    .addColumn('additional_vips', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('load_balancers').dropColumn('additional_vips').execute();
}
