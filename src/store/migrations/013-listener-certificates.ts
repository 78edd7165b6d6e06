// The facts of a listener's server certificates (ref, role, subject, SAN DNS names, not-after; never a key)
// as JSON, recorded when its refs are checked, so GET shows their expiry without reading the secret store.
// NULL: not recorded yet (a listener from before this migration; `sluice serve` fills it at start).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('listeners').addColumn('tls_certificates', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('listeners').dropColumn('tls_certificates').execute();
}
