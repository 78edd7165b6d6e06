// Records a provider's outcome for one revision of a load balancer (reference §2.3), in one transaction:
// success applies pending deletions, turns pending objects ACTIVE (monitors and L7 objects ONLINE/OFFLINE by
// admin state), places amphorae for a new load balancer and frees the VIP of a deleted one (and a VRRP group it leaves
// empty, with its anchor port); failure turns
// the changed objects ERROR and their ancestors back to ACTIVE (the load balancer itself ERROR when the
// change was its own). A report for a revision that is no longer the newest changes nothing. Every status it
// changes is recorded as a status event saying who applied (or failed) the change.
import { sql } from 'kysely';
import type { Topology } from '../../model/desired-state.ts';
import { now } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import { CHILD_TABLES, type ChildTable } from '../schema.ts';
import type { ChangeTarget } from './octavia-lock.ts';
import { ensurePlacements, hasBoundPlacements } from './placement-repository.ts';
import { deletePort, getPort, updatePortDevice } from './port-repository.ts';
import { recordStatusChanges } from './status-event-repository.ts';
import { ungroupLoadBalancers } from './vrrp-group-repository.ts';

export type Outcome = { ok: true } | { ok: false; reason: string };

const PENDING = ['PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE'];
/** Deletion order: leaves first, so no row outlives its parent's removal by the wrong path. */
const DELETE_ORDER: readonly ChildTable[] = [
  'l7rules',
  'l7policies',
  'health_monitors',
  'members',
  'pools',
  'listeners',
];
/** Objects whose operating status the worker sets from admin_state_up when they go ACTIVE (§2.3). */
const ONLINE_WHEN_ENABLED: readonly ChildTable[] = ['health_monitors', 'l7policies', 'l7rules'];

export async function completeChange(
  db: Db,
  loadBalancerId: string,
  revision: number,
  outcome: Outcome,
  /** who applied it, for the status events: `agent <name>`, `provider <name>` */
  by = 'the controller',
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const lb = await trx
      .selectFrom('load_balancers')
      .select(['provisioning_status', 'pending_target', 'vip_port_id', 'topology'])
      .where('id', '=', loadBalancerId)
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (!lb) return false;
    const targets = parseTargets(lb.pending_target);
    const failover = targets === 'failover' ? 'failover ' : '';
    const reason = outcome.ok
      ? `${failover}applied by ${by}`
      : `${failover}failed on ${by}: ${outcome.reason}`;
    if (outcome.ok) {
      await succeed(trx, loadBalancerId, lb.provisioning_status, lb.vip_port_id, lb.topology, reason);
      // A failover rebuilds every placement of the load balancer (reference §3.4, §13); placements bound to
      // agents were already moved to live agents by the controller before they applied this revision.
      if (targets === 'failover' && !(await hasBoundPlacements(trx, loadBalancerId))) {
        await ungroupLoadBalancers(trx, [loadBalancerId]);
        await trx.deleteFrom('amphorae').where('load_balancer_id', '=', loadBalancerId).execute();
        await ensurePlacements(trx, loadBalancerId, lb.topology as Topology);
      }
    } else await failChange(trx, loadBalancerId, targets === 'failover' ? 'self' : targets, reason);
    const lbStatus = outcome.ok
      ? lb.provisioning_status === 'PENDING_DELETE'
        ? 'DELETED'
        : 'ACTIVE'
      : Array.isArray(targets)
        ? 'ACTIVE'
        : 'ERROR';
    const scope = { ids: [loadBalancerId] };
    await recordStatusChanges(trx, 'load_balancers', 'provisioning_status', lbStatus, scope, reason);
    await trx
      .updateTable('load_balancers')
      .set({
        provisioning_status: lbStatus,
        applied_revision: revision,
        pending_target: null,
        status_reason: outcome.ok ? null : outcome.reason,
        updated_at: now(),
      })
      .where('id', '=', loadBalancerId)
      .execute();
    return true;
  });
}

/** 'self' and 'failover' are the load balancer's own changes; a JSON list names the children changed. */
function parseTargets(text: string | null): 'self' | 'failover' | ChangeTarget[] {
  if (text === null || text === 'self' || text === 'failover') return text ?? 'self';
  return JSON.parse(text) as ChangeTarget[];
}

async function succeed(
  trx: Db,
  lbId: string,
  status: string,
  vipPortId: string | null,
  topology: string,
  reason: string,
) {
  if (status === 'PENDING_DELETE') {
    for (const table of DELETE_ORDER)
      await trx.deleteFrom(table).where('load_balancer_id', '=', lbId).execute();
    // A VRRP group its placements leave empty goes, and its anchor port with it.
    await ungroupLoadBalancers(trx, [lbId]);
    await trx.deleteFrom('amphorae').where('load_balancer_id', '=', lbId).execute();
    if (vipPortId) await releaseVipPort(trx, lbId, vipPortId);
    return;
  }
  await applyDeletions(trx, lbId, reason);
  const pending = ['PENDING_CREATE', 'PENDING_UPDATE'];
  for (const table of CHILD_TABLES) {
    const scope = { loadBalancerId: lbId, provisioningIn: pending };
    await recordStatusChanges(trx, table, 'provisioning_status', 'ACTIVE', scope, reason);
    if (ONLINE_WHEN_ENABLED.includes(table)) {
      const online = sql<string>`case when admin_state_up = 1 then 'ONLINE' else 'OFFLINE' end`;
      await recordStatusChanges(trx, table, 'operating_status', online, scope, reason);
    }
    const activate = trx
      .updateTable(table)
      .where('load_balancer_id', '=', lbId)
      .where('provisioning_status', 'in', ['PENDING_CREATE', 'PENDING_UPDATE']);
    if (ONLINE_WHEN_ENABLED.includes(table)) {
      await activate
        .set((eb) => ({
          provisioning_status: 'ACTIVE',
          operating_status: eb.case().when('admin_state_up', '=', 1).then('ONLINE').else('OFFLINE').end(),
          updated_at: now(),
        }))
        .execute();
    } else {
      await activate.set({ provisioning_status: 'ACTIVE', updated_at: now() }).execute();
    }
  }
  if (status === 'PENDING_CREATE') await ensurePlacements(trx, lbId, topology as Topology);
}

async function applyDeletions(trx: Db, lbId: string, reason: string) {
  const gone = async (table: ChildTable) =>
    (
      await trx
        .selectFrom(table)
        .select('id')
        .where('load_balancer_id', '=', lbId)
        .where('provisioning_status', '=', 'PENDING_DELETE')
        .execute()
    ).map((r) => r.id);
  const monitors = await trx
    .selectFrom('health_monitors')
    .select('pool_id')
    .where('load_balancer_id', '=', lbId)
    .where('provisioning_status', '=', 'PENDING_DELETE')
    .execute();
  // Deleting a monitor leaves its pool's members unmonitored (reference §2.3).
  if (monitors.length > 0) {
    const poolIds = monitors.map((m) => m.pool_id);
    const unmonitored = 'its health monitor was deleted';
    await recordStatusChanges(trx, 'members', 'operating_status', 'NO_MONITOR', { poolIds }, unmonitored);
    await trx
      .updateTable('members')
      .set({ operating_status: 'NO_MONITOR' })
      .where(
        'pool_id',
        'in',
        monitors.map((m) => m.pool_id),
      )
      .execute();
  }
  const pools = await gone('pools');
  if (pools.length > 0) {
    await trx
      .updateTable('listeners')
      .set({ default_pool_id: null })
      .where('default_pool_id', 'in', pools)
      .execute();
  }
  for (const table of DELETE_ORDER) {
    const ids = table === 'pools' ? pools : await gone(table);
    await recordStatusChanges(trx, table, 'provisioning_status', 'DELETED', { ids }, reason);
    if (ids.length > 0) await trx.deleteFrom(table).where('id', 'in', ids).execute();
  }
}

async function failChange(trx: Db, lbId: string, targets: 'self' | ChangeTarget[], reason: string) {
  for (const table of CHILD_TABLES) {
    const scope = { loadBalancerId: lbId, provisioningIn: PENDING };
    const pending = trx
      .updateTable(table)
      .where('load_balancer_id', '=', lbId)
      .where('provisioning_status', 'in', PENDING);
    if (targets === 'self') {
      await recordStatusChanges(trx, table, 'provisioning_status', 'ERROR', scope, reason);
      await pending.set({ provisioning_status: 'ERROR', updated_at: now() }).execute();
      continue;
    }
    const failed = targets.filter((t) => t.table === table).map((t) => t.id);
    if (failed.length > 0) {
      await recordStatusChanges(trx, table, 'provisioning_status', 'ERROR', { ids: failed }, reason);
      await trx
        .updateTable(table)
        .set({ provisioning_status: 'ERROR', updated_at: now() })
        .where('id', 'in', failed)
        .execute();
    }
    await recordStatusChanges(trx, table, 'provisioning_status', 'ACTIVE', scope, reason);
    await pending.set({ provisioning_status: 'ACTIVE', updated_at: now() }).execute();
  }
}

/**
 * Frees the VIP: a port Sluice allocated for the load balancer (named `octavia-lb-<id>`) is deleted; a port
 * the user supplied as vip_port_id is only detached, and stays theirs (Octavia does the same).
 */
async function releaseVipPort(trx: Db, lbId: string, portId: string): Promise<void> {
  const port = await getPort(trx, portId);
  if (!port) return;
  if (port.name === `octavia-lb-${lbId}`) await deletePort(trx, portId);
  else await updatePortDevice(trx, portId, '', '');
}
