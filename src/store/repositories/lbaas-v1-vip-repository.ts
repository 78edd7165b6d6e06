// LBaaS v1 VIP records (identity-networking-v1.md §3): one per pool, naming the v2 load balancer and
// listener that realize it (api/lbaas-v1/v1-realize.ts).
import type { Selectable, Updateable } from 'kysely';
import type { V1Vip } from '../../model/lbaas-v1.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { LbV1VipTable } from '../networking-v1-schema.ts';
import type { Scoped } from './lbaas-v1-repository.ts';

const toVip = (r: Selectable<LbV1VipTable>): V1Vip => {
  const sp = fromJson<{ type: string; cookie_name?: string | null } | null>(r.session_persistence, null);
  return {
    id: r.id,
    projectId: r.project_id,
    poolId: r.pool_id,
    name: r.name,
    description: r.description,
    subnetId: r.subnet_id,
    address: r.address,
    portId: r.port_id,
    protocol: r.protocol,
    protocolPort: Number(r.protocol_port),
    sessionPersistence: sp && {
      type: sp.type as NonNullable<V1Vip['sessionPersistence']>['type'],
      cookieName: sp.cookie_name ?? null,
    },
    connectionLimit: Number(r.connection_limit),
    adminStateUp: fromBool(r.admin_state_up),
    loadBalancerId: r.load_balancer_id,
    listenerId: r.listener_id,
  };
};

export async function listV1Vips(db: Db, { visibility }: Scoped): Promise<V1Vip[]> {
  let q = db.selectFrom('lbv1_vips').selectAll();
  if (visibility !== 'all') q = q.where('project_id', '=', visibility.projectId ?? '');
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toVip);
}
export async function getV1Vip(db: Db, id: string): Promise<V1Vip | undefined> {
  const row = await db.selectFrom('lbv1_vips').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toVip(row);
}
export async function getV1VipOfPool(db: Db, poolId: string): Promise<V1Vip | undefined> {
  const row = await db.selectFrom('lbv1_vips').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
  return row && toVip(row);
}
/** The pools whose VIP is one of these load balancers, oldest VIP first. */
export async function poolIdsWithVipOn(db: Db, loadBalancerIds: readonly string[]): Promise<string[]> {
  if (loadBalancerIds.length === 0) return [];
  const rows = await db
    .selectFrom('lbv1_vips')
    .select('pool_id')
    .where('load_balancer_id', 'in', [...loadBalancerIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.pool_id);
}

export async function insertV1Vip(db: Db, vip: V1Vip): Promise<void> {
  const at = now();
  await db
    .insertInto('lbv1_vips')
    .values({
      id: vip.id,
      project_id: vip.projectId,
      pool_id: vip.poolId,
      name: vip.name,
      description: vip.description,
      subnet_id: vip.subnetId,
      address: vip.address,
      port_id: vip.portId,
      protocol: vip.protocol,
      protocol_port: vip.protocolPort,
      session_persistence: persistenceColumn(vip.sessionPersistence),
      connection_limit: vip.connectionLimit,
      admin_state_up: toBool(vip.adminStateUp),
      load_balancer_id: vip.loadBalancerId,
      listener_id: vip.listenerId,
      created_at: at,
      updated_at: at,
    })
    .execute();
}
export async function updateV1Vip(
  db: Db,
  id: string,
  c: Partial<Pick<V1Vip, 'name' | 'description' | 'connectionLimit' | 'adminStateUp' | 'sessionPersistence'>>,
): Promise<void> {
  const values: Updateable<LbV1VipTable> = { updated_at: now() };
  if (c.name !== undefined) values.name = c.name;
  if (c.description !== undefined) values.description = c.description;
  if (c.connectionLimit !== undefined) values.connection_limit = c.connectionLimit;
  if (c.adminStateUp !== undefined) values.admin_state_up = toBool(c.adminStateUp);
  if (c.sessionPersistence !== undefined)
    values.session_persistence = persistenceColumn(c.sessionPersistence);
  await db.updateTable('lbv1_vips').set(values).where('id', '=', id).execute();
}
export async function deleteV1Vip(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lbv1_vips').where('id', '=', id).execute();
}

function persistenceColumn(sp: V1Vip['sessionPersistence']): string | null {
  return sp ? toJson({ type: sp.type, cookie_name: sp.cookieName }) : null;
}
