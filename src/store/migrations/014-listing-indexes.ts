// Indexes for the list pages read in SQL (repositories/keyset-page.ts): a project's load balancers in
// creation order, and the children of one load balancer or pool, so a page reads a range, not the table.
import type { Kysely } from 'kysely';

const INDEXES = [
  {
    name: 'load_balancers_project_created',
    table: 'load_balancers',
    columns: ['project_id', 'created_at', 'id'],
  },
  { name: 'load_balancers_created', table: 'load_balancers', columns: ['created_at', 'id'] },
  { name: 'members_pool', table: 'members', columns: ['pool_id', 'created_at', 'id'] },
  { name: 'health_monitors_lb', table: 'health_monitors', columns: ['load_balancer_id'] },
  { name: 'l7policies_lb', table: 'l7policies', columns: ['load_balancer_id'] },
  { name: 'l7rules_lb', table: 'l7rules', columns: ['load_balancer_id'] },
  { name: 'listeners_project_created', table: 'listeners', columns: ['project_id', 'created_at', 'id'] },
  { name: 'pools_project_created', table: 'pools', columns: ['project_id', 'created_at', 'id'] },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, table, columns } of INDEXES) {
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { name } of INDEXES) await db.schema.dropIndex(name).execute();
}
