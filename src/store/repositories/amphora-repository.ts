// SQL for the admin amphora API (reference §10.5): reads of amphorae (DELETED ones are invisible) with the
// owning load balancer's project for scoping, per-listener counters of one amphora, and the check-and-set
// that takes a READY or ERROR amphora to PENDING_DELETE before it is removed.
import type { Selectable } from 'kysely';
import { type Amphora, type AmphoraListenerStats, DELETABLE_AMPHORA_STATUSES } from '../../model/amphora.ts';
import { fromBool, now } from '../codec.ts';
import type { Db } from '../database.ts';
import type { AmphoraTable } from '../schema.ts';
import { apiReason, recordConditionalChange } from './status-event-repository.ts';
import { ungroupLoadBalancers } from './vrrp-group-repository.ts';

const toAmphora = (row: Selectable<AmphoraTable>): Amphora => ({
  id: row.id,
  loadBalancerId: row.load_balancer_id,
  // The agent serving the placement is its host: what compute_id (the amphora's VM) names in Octavia.
  computeId: row.agent_id ?? row.compute_id,
  lbNetworkIp: row.lb_network_ip,
  vrrpIp: row.vrrp_ip,
  haIp: row.ha_ip,
  vrrpPortId: row.vrrp_port_id,
  haPortId: row.ha_port_id,
  certExpiration: row.cert_expiration,
  certBusy: fromBool(row.cert_busy),
  role: row.role,
  status: row.status,
  vrrpInterface: row.vrrp_interface,
  vrrpId: row.vrrp_id === null ? null : Number(row.vrrp_id),
  vrrpPriority: row.vrrp_priority === null ? null : Number(row.vrrp_priority),
  cachedZone: row.cached_zone,
  imageId: row.image_id,
  computeFlavor: row.compute_flavor,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Visible amphorae, oldest first; with `projectId`, only those of that project's load balancers. */
export async function listAmphorae(db: Db, projectId?: string): Promise<Amphora[]> {
  let query = db.selectFrom('amphorae as a').selectAll('a').where('a.status', '!=', 'DELETED');
  if (projectId !== undefined) {
    query = query
      .innerJoin('load_balancers as lb', 'lb.id', 'a.load_balancer_id')
      .where('lb.project_id', '=', projectId);
  }
  return (await query.orderBy('a.created_at').orderBy('a.id').execute()).map(toAmphora);
}

export async function findAmphora(db: Db, id: string): Promise<Amphora | undefined> {
  const row = await db
    .selectFrom('amphorae')
    .selectAll()
    .where('id', '=', id)
    .where('status', '!=', 'DELETED')
    .executeTakeFirst();
  return row && toAmphora(row);
}

/** The project owning the amphora's load balancer (the RBAC target of failover and config). */
export async function projectOfLoadBalancer(db: Db, loadBalancerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('load_balancers')
    .select('project_id')
    .where('id', '=', loadBalancerId)
    .executeTakeFirst();
  return row?.project_id ?? null;
}

/** One entry per listener the amphora reported counters for (empty when it reported none). */
export async function listAmphoraStats(db: Db, amphoraId: string): Promise<AmphoraListenerStats[]> {
  const rows = await db
    .selectFrom('listener_statistics as s')
    .innerJoin('listeners as l', 'l.id', 's.listener_id')
    .select([
      's.listener_id',
      'l.load_balancer_id',
      's.active_connections',
      's.bytes_in',
      's.bytes_out',
      's.total_connections',
      's.request_errors',
    ])
    .where('s.amphora_id', '=', amphoraId)
    .orderBy('s.listener_id')
    .execute();
  return rows.map((row) => ({
    amphoraId,
    listenerId: row.listener_id,
    loadBalancerId: row.load_balancer_id,
    activeConnections: Number(row.active_connections),
    bytesIn: Number(row.bytes_in),
    bytesOut: Number(row.bytes_out),
    totalConnections: Number(row.total_connections),
    requestErrors: Number(row.request_errors),
  }));
}

/**
 * Takes the amphora to PENDING_DELETE when it is READY or ERROR (one conditional UPDATE, so concurrent
 * deletes serialize): 'not-found' when there is no visible amphora, 'immutable' when its status forbids it.
 */
export async function markAmphoraForDelete(
  db: Db,
  id: string,
): Promise<'marked' | 'not-found' | 'immutable'> {
  const reason = apiReason('PENDING_DELETE');
  const change = { id, to: 'PENDING_DELETE', from: DELETABLE_AMPHORA_STATUSES, reason };
  const marked = await recordConditionalChange(db, 'amphorae', change, async () => {
    const result = await db
      .updateTable('amphorae')
      .set({ status: 'PENDING_DELETE', updated_at: now() })
      .where('id', '=', id)
      .where('status', 'in', [...DELETABLE_AMPHORA_STATUSES])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
  if (marked) return 'marked';
  return (await findAmphora(db, id)) ? 'immutable' : 'not-found';
}

/**
 * Removes an amphora taken to PENDING_DELETE, with the counters it reported; its load balancer leaves its VRRP
 * group (a group needs both placements).
 */
export async function removeAmphora(db: Db, id: string): Promise<void> {
  const row = await db
    .selectFrom('amphorae')
    .select(['load_balancer_id', 'vrrp_group_id'])
    .where('id', '=', id)
    .where('status', '=', 'PENDING_DELETE')
    .executeTakeFirst();
  if (row?.load_balancer_id && row.vrrp_group_id) await ungroupLoadBalancers(db, [row.load_balancer_id]);
  await db.deleteFrom('listener_statistics').where('amphora_id', '=', id).execute();
  await db.deleteFrom('amphorae').where('id', '=', id).where('status', '=', 'PENDING_DELETE').execute();
}
