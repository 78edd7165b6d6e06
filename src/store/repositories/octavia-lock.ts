// The mutability gate of the Octavia state machine (reference §2.2): a child change takes the load balancer
// (ACTIVE → PENDING_UPDATE, revision + 1) with one conditional UPDATE, checks the intermediate parent (pool
// for members and monitors, L7 policy for rules) is ACTIVE, and marks the ancestors PENDING_UPDATE. All in
// the caller's transaction, so a refused change leaves nothing behind.
import { fail } from '../../errors.ts';
import type { ProvisioningStatus } from '../../model/statuses.ts';
import { now } from '../codec.ts';
import type { Db } from '../database.ts';
import type { ChildTable } from '../schema.ts';
import { apiReason, recordConditionalChange, recordStatusChanges } from './status-event-repository.ts';

/** Octavia's resource names in ImmutableObject / NotFound messages. */
export const RESOURCE_NAMES: Readonly<Record<ChildTable | 'load_balancers', string>> = {
  load_balancers: 'Load Balancer',
  listeners: 'Listener',
  pools: 'Pool',
  members: 'Member',
  health_monitors: 'Health Monitor',
  l7policies: 'L7 Policy',
  l7rules: 'L7 Rule',
};

/** Which load balancers each open transaction has locked, so the change can be checked before commit. */
const lockedIn = new WeakMap<object, Set<string>>();

/** The load balancers `db` (a transaction) has taken with lockLoadBalancerForChild. */
export const loadBalancersLockedIn = (db: Db): readonly string[] => [...(lockedIn.get(db) ?? [])];

/** The objects a pending child change is about: on failure they go ERROR, their ancestors back to ACTIVE. */
export type ChangeTarget = Readonly<{ table: ChildTable; id: string }>;

/**
 * Takes the load balancer for a change to its children `targets`. Throws 409 `Load Balancer <id> is
 * immutable and cannot be updated.` unless it is ACTIVE.
 */
export async function lockLoadBalancerForChild(
  db: Db,
  loadBalancerId: string,
  targets: readonly ChangeTarget[],
): Promise<void> {
  const change = { id: loadBalancerId, to: 'PENDING_UPDATE', from: ['ACTIVE'], reason: apiReason('') };
  const taken = await recordConditionalChange(db, 'load_balancers', change, async () => {
    const result = await db
      .updateTable('load_balancers')
      .set((eb) => ({
        provisioning_status: 'PENDING_UPDATE',
        revision: eb('revision', '+', 1),
        pending_target: JSON.stringify(targets),
        status_reason: null,
        updated_at: now(),
      }))
      .where('id', '=', loadBalancerId)
      .where('provisioning_status', '=', 'ACTIVE')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
  if (!taken) {
    throw fail('octavia.immutable', { resource: 'Load Balancer', id: loadBalancerId });
  }
  const set = lockedIn.get(db) ?? new Set<string>();
  set.add(loadBalancerId);
  lockedIn.set(db, set);
}

/** Throws 409 `<Resource> <id> is immutable and cannot be updated.` unless the row is ACTIVE. */
export async function requireActive(db: Db, table: 'pools' | 'l7policies', id: string): Promise<void> {
  const row = await db
    .selectFrom(table)
    .select('provisioning_status')
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.provisioning_status !== 'ACTIVE') {
    throw fail('octavia.immutable', { resource: table === 'pools' ? 'Pool' : 'L7Policy', id });
  }
}

/** Sets the provisioning status of rows (ancestors → PENDING_UPDATE, deleted objects → PENDING_DELETE). */
export async function setProvisioningStatus(
  db: Db,
  table: ChildTable,
  ids: readonly string[],
  status: ProvisioningStatus,
): Promise<void> {
  if (ids.length === 0) return;
  await recordStatusChanges(db, table, 'provisioning_status', status, { ids }, apiReason(status));
  await db
    .updateTable(table)
    .set({ provisioning_status: status, updated_at: now() })
    .where('id', 'in', [...ids])
    .execute();
}

/** A child object's statuses and admin state; undefined when the row is gone. */
export async function getObjectStatus(
  db: Db,
  table: ChildTable,
  id: string,
): Promise<{ provisioningStatus: string; operatingStatus: string; adminStateUp: boolean } | undefined> {
  const row = await db
    .selectFrom(table)
    .select(['provisioning_status', 'operating_status', 'admin_state_up'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      provisioningStatus: row.provisioning_status,
      operatingStatus: row.operating_status,
      adminStateUp: row.admin_state_up === 1,
    }
  );
}

/** Listeners that use a pool, as default pool or through an L7 redirect (they are its ancestors). */
export async function listenersOfPool(db: Db, poolId: string): Promise<string[]> {
  const direct = await db
    .selectFrom('listeners')
    .select('id')
    .where('default_pool_id', '=', poolId)
    .execute();
  const viaPolicy = await db
    .selectFrom('l7policies')
    .select('listener_id as id')
    .where('redirect_pool_id', '=', poolId)
    .execute();
  return [...new Set([...direct, ...viaPolicy].map((r) => r.id))];
}
