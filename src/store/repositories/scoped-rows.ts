// Every row of one Octavia collection, or those of one project or one load balancer, oldest first: the
// whole-collection reads (the API's in-memory listing, the fully populated create's response) share one
// query shape instead of a copy per scope (code review 2026-12).
import { type Selectable, sql } from 'kysely';
import type { Db } from '../database.ts';
import type { Database } from '../schema.ts';

/** Which rows: undefined fields do not narrow. */
export type Scope = Readonly<{ projectId?: string; loadBalancerId?: string }>;

type ScopedTable = 'listeners' | 'pools' | 'health_monitors' | 'l7policies';

export async function scopedRows<TB extends ScopedTable>(
  db: Db,
  table: TB,
  scope: Scope,
): Promise<Selectable<Database[TB]>[]> {
  let query = db.selectFrom(table as ScopedTable).selectAll();
  if (scope.projectId !== undefined) query = query.where(sql.ref('project_id'), '=', scope.projectId);
  if (scope.loadBalancerId !== undefined) {
    query = query.where(sql.ref('load_balancer_id'), '=', scope.loadBalancerId);
  }
  const rows = await query.orderBy(sql.ref('created_at')).orderBy(sql.ref('id')).execute();
  return rows as unknown as Selectable<Database[TB]>[];
}
