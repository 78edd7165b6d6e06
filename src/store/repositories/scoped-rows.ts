// Every row of one Octavia child collection, or those of one project or one load balancer, oldest first (or in
// L7 policy position): the whole-collection reads (the API's in-memory listing, the fully populated create's
// response, a load balancer's desired state) share one query shape instead of a copy per table and scope
// (code review 2026-12, item 4).
import { type Selectable, sql } from 'kysely';
import type { Db } from '../database.ts';
import type { Database } from '../schema.ts';

/** Which rows: undefined fields do not narrow; `live` leaves out rows pending deletion. */
export type Scope = Readonly<{ projectId?: string; loadBalancerId?: string; live?: boolean }>;

type ScopedTable = 'listeners' | 'pools' | 'members' | 'health_monitors' | 'l7policies' | 'l7rules';

export async function scopedRows<TB extends ScopedTable>(
  db: Db,
  table: TB,
  scope: Scope,
  order: 'created' | 'position' = 'created',
): Promise<Selectable<Database[TB]>[]> {
  let query = db.selectFrom(table as ScopedTable).selectAll();
  if (scope.projectId !== undefined) query = query.where(sql.ref('project_id'), '=', scope.projectId);
  if (scope.loadBalancerId !== undefined) {
    query = query.where(sql.ref('load_balancer_id'), '=', scope.loadBalancerId);
  }
  if (scope.live) query = query.where(sql.ref('provisioning_status'), '!=', 'PENDING_DELETE');
  if (order === 'position') query = query.orderBy(sql.ref('position'));
  const rows = await query.orderBy(sql.ref('created_at')).orderBy(sql.ref('id')).execute();
  return rows as unknown as Selectable<Database[TB]>[];
}
