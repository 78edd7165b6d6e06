// Reads and marks a load balancer's children as a whole: the `listeners`/`pools` references of the wire
// form, the rows of the status tree (reference §3.4), and the cascade delete (§2.4).
import { now } from '../codec.ts';
import type { Db } from '../database.ts';
import { CHILD_TABLES } from '../schema.ts';
import { apiReason, recordStatusChanges } from './status-event-repository.ts';

export type ChildIds = { listeners: string[]; pools: string[] };

export async function childIdsOf(db: Db, loadBalancerIds: readonly string[]): Promise<Map<string, ChildIds>> {
  const out = new Map<string, ChildIds>(loadBalancerIds.map((id) => [id, { listeners: [], pools: [] }]));
  if (loadBalancerIds.length === 0) return out;
  const ids = [...loadBalancerIds];
  const [listeners, pools] = await Promise.all([
    db
      .selectFrom('listeners')
      .select(['id', 'load_balancer_id'])
      .where('load_balancer_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('pools')
      .select(['id', 'load_balancer_id'])
      .where('load_balancer_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  for (const row of listeners) out.get(row.load_balancer_id)?.listeners.push(row.id);
  for (const row of pools) out.get(row.load_balancer_id)?.pools.push(row.id);
  return out;
}

/** Marks every child PENDING_DELETE: with the load balancer, they go in one provider change. */
export async function markChildrenDeleting(db: Db, loadBalancerId: string): Promise<void> {
  for (const table of CHILD_TABLES) {
    const reason = apiReason('PENDING_DELETE');
    await recordStatusChanges(db, table, 'provisioning_status', 'PENDING_DELETE', { loadBalancerId }, reason);
    await db
      .updateTable(table)
      .set({ provisioning_status: 'PENDING_DELETE', updated_at: now() })
      .where('load_balancer_id', '=', loadBalancerId)
      .execute();
  }
}

type Status = { id: string; name: string | null; provisioning_status: string; operating_status: string };

export type StatusRows = {
  listeners: (Status & { default_pool_id: string | null })[];
  pools: Status[];
  members: (Status & { pool_id: string; address: string; protocol_port: number })[];
  monitors: (Status & { pool_id: string; type: string })[];
  /** enabled policies that redirect to a pool and have at least one rule */
  redirects: { listener_id: string; redirect_pool_id: string }[];
};

export async function statusRowsOf(db: Db, loadBalancerId: string): Promise<StatusRows> {
  const base = ['id', 'name', 'provisioning_status', 'operating_status'] as const;
  const [listeners, pools, members, monitors, policies, rules] = await Promise.all([
    db
      .selectFrom('listeners')
      .select([...base, 'default_pool_id'])
      .where('load_balancer_id', '=', loadBalancerId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('pools')
      .select([...base])
      .where('load_balancer_id', '=', loadBalancerId)
      .execute(),
    db
      .selectFrom('members')
      .select([...base, 'pool_id', 'address', 'protocol_port'])
      .where('load_balancer_id', '=', loadBalancerId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('health_monitors')
      .select([...base, 'pool_id', 'type'])
      .where('load_balancer_id', '=', loadBalancerId)
      .execute(),
    db
      .selectFrom('l7policies')
      .select(['id', 'listener_id', 'redirect_pool_id', 'admin_state_up'])
      .where('load_balancer_id', '=', loadBalancerId)
      .where('action', '=', 'REDIRECT_TO_POOL')
      .orderBy('position')
      .execute(),
    db.selectFrom('l7rules').select('l7policy_id').where('load_balancer_id', '=', loadBalancerId).execute(),
  ]);
  const withRules = new Set(rules.map((r) => r.l7policy_id));
  const redirects = policies
    .filter((p) => p.admin_state_up === 1 && p.redirect_pool_id !== null && withRules.has(p.id))
    .map((p) => ({ listener_id: p.listener_id, redirect_pool_id: p.redirect_pool_id as string }));
  return { listeners, pools, members, monitors, redirects };
}
