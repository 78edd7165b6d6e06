// Tenant access logs (issue #16 item 3): the lines agents ship in their reports, stored with the project and
// load balancer ids in front (Octavia's tenant flow log format, the data plane writes the rest), the newest
// ACCESS_LOG_RETAINED per load balancer kept, and a count per load balancer of the lines data planes dropped.
import { sql } from 'kysely';
import { SERVING_ROLES } from '../../model/agent.ts';
import type { AccessLogBatch } from '../../model/provider-driver.ts';
import { now } from '../codec.ts';
import type { Db } from '../database.ts';
import { unindexed } from '../statement-runs.ts';

export const ACCESS_LOG_RETAINED = 10_000;

export type AccessLogRow = Readonly<{ id: number; listenerId: string; line: string }>;

/**
 * Stores what an agent's report carries for the load balancers it serves (lines for others are ignored: a
 * placement moved away), in one multi-row insert, then keeps only the newest ACCESS_LOG_RETAINED of each.
 */
export async function recordAccessLogs(
  db: Db,
  agentId: string,
  logs: Readonly<Record<string, AccessLogBatch>>,
): Promise<void> {
  const ids = Object.keys(logs);
  if (ids.length === 0) return;
  const served = await db
    .selectFrom('amphorae')
    .innerJoin('load_balancers', 'load_balancers.id', 'amphorae.load_balancer_id')
    .select(['load_balancers.id as id', 'load_balancers.project_id as projectId'])
    .where(unindexed(db, 'amphorae.agent_id'), '=', agentId)
    .where('amphorae.load_balancer_id', 'in', ids)
    .where('amphorae.role', 'in', [...SERVING_ROLES])
    .execute();
  const at = now();
  const rows: { load_balancer_id: string; listener_id: string; line: string; created_at: string }[] = [];
  const touched: string[] = [];
  for (const { id, projectId } of served) {
    const batch = logs[id];
    if (!batch) continue;
    if (batch.dropped > 0) await countDropped(db, id, batch.dropped);
    if (batch.lines.length === 0) continue;
    touched.push(id);
    for (const line of batch.lines) {
      // The data plane's line starts with the listener id (%f).
      const space = line.indexOf(' ');
      const listenerId = space > 0 ? line.slice(0, space) : line;
      rows.push({
        load_balancer_id: id,
        listener_id: listenerId,
        line: `${projectId} ${id} ${line}`,
        created_at: at,
      });
    }
  }
  if (rows.length === 0) return;
  await db.insertInto('access_logs').values(rows).execute();
  for (const id of touched) await prune(db, id);
}

/** Deletes what is older than the newest ACCESS_LOG_RETAINED lines of the load balancer (a range of its index). */
async function prune(db: Db, loadBalancerId: string): Promise<void> {
  const oldestKept = await db
    .selectFrom('access_logs')
    .select('id')
    .where('load_balancer_id', '=', loadBalancerId)
    .orderBy('id', 'desc')
    .limit(1)
    .offset(ACCESS_LOG_RETAINED - 1)
    .executeTakeFirst();
  if (!oldestKept) return;
  await db
    .deleteFrom('access_logs')
    .where('load_balancer_id', '=', loadBalancerId)
    .where('id', '<', oldestKept.id)
    .execute();
}

async function countDropped(db: Db, loadBalancerId: string, dropped: number): Promise<void> {
  await db
    .insertInto('access_log_drops')
    .values({ load_balancer_id: loadBalancerId, dropped })
    .onConflict((oc) =>
      oc.column('load_balancer_id').doUpdateSet({ dropped: sql`access_log_drops.dropped + ${dropped}` }),
    )
    .execute();
}

/** The lines of a load balancer after `marker` (an id), oldest first, at most `limit`. */
export async function listAccessLogs(
  db: Db,
  loadBalancerId: string,
  options: Readonly<{ marker: number; limit: number; listenerId?: string }>,
): Promise<AccessLogRow[]> {
  let query = db
    .selectFrom('access_logs')
    .select(['id', 'listener_id', 'line'])
    .where('load_balancer_id', '=', loadBalancerId)
    .where('id', '>', options.marker);
  if (options.listenerId !== undefined) query = query.where('listener_id', '=', options.listenerId);
  const rows = await query.orderBy('id', 'asc').limit(options.limit).execute();
  return rows.map((r) => ({ id: Number(r.id), listenerId: r.listener_id, line: r.line }));
}

/** How many lines the load balancer's data planes dropped (buffer full) since it was created. */
export async function droppedAccessLogs(db: Db, loadBalancerId: string): Promise<number> {
  const row = await db
    .selectFrom('access_log_drops')
    .select('dropped')
    .where('load_balancer_id', '=', loadBalancerId)
    .executeTakeFirst();
  return Number(row?.dropped ?? 0);
}
