// Load balancers that use Neutron security groups on their VIP (API 2.29 `vip_sg_ids`): finding them when a
// group changes so their data plane re-renders, and the port addresses a rule's `remote_group_id` stands for.
// A rule change never touches Octavia's provisioning status (Neutron owns the groups), only the revision.
import { fromJson } from '../codec.ts';
import type { Db } from '../database.ts';

/**
 * Contract (for the Neutron security-group and port routes): call it, inside the transaction that changed
 * them, with the ids of the groups whose rules were created or deleted, or whose member ports (a port's
 * `security_groups` or its fixed IPs) changed. It bumps the revision of every live load balancer whose
 * `vip_sg_ids` holds one of them, or holds a group with a rule whose `remote_group_id` is one of them, and
 * leaves the provisioning status and updated_at alone (an ACTIVE load balancer stays ACTIVE, as in Octavia). It returns those
 * load balancers' ids: after the commit, pass each to `context.changes.notify(id)` so the controller and the
 * agents pick the new revision up at once (otherwise they do at their next poll). Deleting a group also deletes
 * other groups' rules naming it as remote group, so call it before that delete, in the same transaction.
 */
export async function refreshLoadBalancersUsing(db: Db, groupIds: readonly string[]): Promise<string[]> {
  const changed = new Set(groupIds);
  if (changed.size === 0) return [];
  // Groups whose rules point at a changed group admit other addresses now too.
  const referring = await db
    .selectFrom('security_group_rules')
    .select('security_group_id')
    .where('remote_group_id', 'in', [...changed])
    .execute();
  for (const row of referring) changed.add(row.security_group_id);
  // vip_sg_ids is JSON text: a LIKE on each quoted id narrows the scan, the parse below decides.
  const candidates = await db
    .selectFrom('load_balancers')
    .select(['id', 'vip_sg_ids'])
    // A load balancer on its way out has nothing left to re-render.
    .where('provisioning_status', 'not in', ['DELETED', 'PENDING_DELETE'])
    .where((eb) => eb.or([...changed].map((id) => eb('vip_sg_ids', 'like', `%"${id}"%`))))
    .execute();
  const ids = candidates
    .filter((row) => fromJson<string[]>(row.vip_sg_ids, []).some((id) => changed.has(id)))
    .map((row) => row.id);
  if (ids.length > 0) {
    await db
      .updateTable('load_balancers')
      .set((eb) => ({ revision: eb('revision', '+', 1) }))
      .where('id', 'in', ids)
      .execute();
  }
  return ids;
}

/**
 * Per group id, the fixed IPs of every port that carries the group (what a rule's `remote_group_id` admits),
 * in port creation order; a group no port carries maps to [].
 */
export async function addressesOfGroupPorts(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, string[]>> {
  const wanted = [...new Set(groupIds)];
  const out = new Map<string, string[]>(wanted.map((id) => [id, []]));
  if (wanted.length === 0) return out;
  // Ports keep their groups as JSON text: the LIKE narrows the scan, the parse decides.
  const rows = await db
    .selectFrom('ports as p')
    .innerJoin('ip_allocations as a', 'a.port_id', 'p.id')
    .select(['p.security_groups', 'a.ip_address'])
    .where((eb) => eb.or(wanted.map((id) => eb('p.security_groups', 'like', `%"${id}"%`))))
    .orderBy('p.created_at')
    .orderBy('a.ip_address')
    .execute();
  for (const row of rows) {
    for (const id of fromJson<string[]>(row.security_groups, [])) out.get(id)?.push(row.ip_address);
  }
  return out;
}
