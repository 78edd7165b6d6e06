// The provider name a load balancer was asked for when it was an alias (`amphora`, `octavia`:
// docs/providers.md): `provider` stays the provider that serves it; the API shows the alias, as Octavia does.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('load_balancers').addColumn('provider_alias', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('load_balancers').dropColumn('provider_alias').execute();
}
