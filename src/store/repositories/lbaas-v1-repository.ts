// The LBaaS v1 records (identity-networking-v1.md §3): pools, members, health monitors, pool–monitor
// associations and VIPs, each with the id of the v2 object realizing it (api/lbaas-v1/v1-realize.ts says
// how). Plain row access; the v2 side goes through the v2 repositories and the load-balancer lock.
import type { Selectable, Updateable } from 'kysely';
import type { V1Association, V1HealthMonitor, V1Member, V1Pool } from '../../model/lbaas-v1.ts';
import { fromBool, newId, now, toBool } from '../codec.ts';
import type { Db } from '../database.ts';
import type { LbV1HealthMonitorTable, LbV1MemberTable, LbV1PoolTable } from '../networking-v1-schema.ts';
import type { Visibility } from './network-rows.ts';

const toPool = (r: Selectable<LbV1PoolTable>): V1Pool => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  subnetId: r.subnet_id,
  protocol: r.protocol,
  lbMethod: r.lb_method,
  provider: r.provider,
  adminStateUp: fromBool(r.admin_state_up),
  v2PoolId: r.v2_pool_id,
});

const toMember = (r: Selectable<LbV1MemberTable>): V1Member => ({
  id: r.id,
  projectId: r.project_id,
  poolId: r.pool_id,
  address: r.address,
  protocolPort: Number(r.protocol_port),
  weight: Number(r.weight),
  adminStateUp: fromBool(r.admin_state_up),
  v2MemberId: r.v2_member_id,
});

const toMonitor = (r: Selectable<LbV1HealthMonitorTable>): V1HealthMonitor => ({
  id: r.id,
  projectId: r.project_id,
  type: r.type,
  delay: Number(r.delay),
  timeout: Number(r.timeout),
  maxRetries: Number(r.max_retries),
  httpMethod: r.http_method,
  urlPath: r.url_path,
  expectedCodes: r.expected_codes,
  adminStateUp: fromBool(r.admin_state_up),
});

export type Scoped = { visibility: Visibility };

// ---- pools
export async function listV1Pools(db: Db, { visibility }: Scoped): Promise<V1Pool[]> {
  let q = db.selectFrom('lbv1_pools').selectAll();
  if (visibility !== 'all') q = q.where('project_id', '=', visibility.projectId ?? '');
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toPool);
}
export async function getV1Pool(db: Db, id: string): Promise<V1Pool | undefined> {
  const row = await db.selectFrom('lbv1_pools').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPool(row);
}
export async function insertV1Pool(db: Db, pool: Omit<V1Pool, 'id' | 'v2PoolId'>): Promise<string> {
  const id = newId();
  const at = now();
  await db
    .insertInto('lbv1_pools')
    .values({
      id,
      project_id: pool.projectId,
      name: pool.name,
      description: pool.description,
      subnet_id: pool.subnetId,
      protocol: pool.protocol,
      lb_method: pool.lbMethod,
      provider: pool.provider,
      admin_state_up: toBool(pool.adminStateUp),
      v2_pool_id: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
export async function updateV1Pool(
  db: Db,
  id: string,
  changes: Partial<Pick<V1Pool, 'name' | 'description' | 'lbMethod' | 'adminStateUp' | 'v2PoolId'>>,
): Promise<void> {
  const values: Updateable<LbV1PoolTable> = { updated_at: now() };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.lbMethod !== undefined) values.lb_method = changes.lbMethod;
  if (changes.adminStateUp !== undefined) values.admin_state_up = toBool(changes.adminStateUp);
  if (changes.v2PoolId !== undefined) values.v2_pool_id = changes.v2PoolId;
  await db.updateTable('lbv1_pools').set(values).where('id', '=', id).execute();
}
/** Deletes the pool with its members and monitor associations (cascade). */
export async function deleteV1Pool(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lbv1_pool_monitors').where('pool_id', '=', id).execute();
  await db.deleteFrom('lbv1_members').where('pool_id', '=', id).execute();
  await db.deleteFrom('lbv1_pools').where('id', '=', id).execute();
}

// ---- members
export async function listV1Members(db: Db, by: Scoped & { poolId?: string }): Promise<V1Member[]> {
  let q = db.selectFrom('lbv1_members').selectAll();
  if (by.visibility !== 'all') q = q.where('project_id', '=', by.visibility.projectId ?? '');
  if (by.poolId !== undefined) q = q.where('pool_id', '=', by.poolId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toMember);
}
export async function getV1Member(db: Db, id: string): Promise<V1Member | undefined> {
  const row = await db.selectFrom('lbv1_members').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMember(row);
}
export async function insertV1Member(
  db: Db,
  member: Omit<V1Member, 'id'>,
  id: string = newId(),
): Promise<string> {
  const at = now();
  await db
    .insertInto('lbv1_members')
    .values({
      id,
      project_id: member.projectId,
      pool_id: member.poolId,
      address: member.address,
      protocol_port: member.protocolPort,
      weight: member.weight,
      admin_state_up: toBool(member.adminStateUp),
      v2_member_id: member.v2MemberId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
export async function updateV1Member(
  db: Db,
  id: string,
  changes: Partial<Pick<V1Member, 'weight' | 'adminStateUp' | 'poolId' | 'v2MemberId'>>,
): Promise<void> {
  const values: Updateable<LbV1MemberTable> = { updated_at: now() };
  if (changes.weight !== undefined) values.weight = changes.weight;
  if (changes.adminStateUp !== undefined) values.admin_state_up = toBool(changes.adminStateUp);
  if (changes.poolId !== undefined) values.pool_id = changes.poolId;
  if (changes.v2MemberId !== undefined) values.v2_member_id = changes.v2MemberId;
  await db.updateTable('lbv1_members').set(values).where('id', '=', id).execute();
}
export async function deleteV1Member(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lbv1_members').where('id', '=', id).execute();
}

// ---- health monitors and associations
export async function listV1Monitors(db: Db, { visibility }: Scoped): Promise<V1HealthMonitor[]> {
  let q = db.selectFrom('lbv1_health_monitors').selectAll();
  if (visibility !== 'all') q = q.where('project_id', '=', visibility.projectId ?? '');
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toMonitor);
}
export async function getV1Monitor(db: Db, id: string): Promise<V1HealthMonitor | undefined> {
  const row = await db.selectFrom('lbv1_health_monitors').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMonitor(row);
}
export async function insertV1Monitor(db: Db, monitor: Omit<V1HealthMonitor, 'id'>): Promise<string> {
  const id = newId();
  const at = now();
  await db
    .insertInto('lbv1_health_monitors')
    .values({
      id,
      project_id: monitor.projectId,
      type: monitor.type,
      delay: monitor.delay,
      timeout: monitor.timeout,
      max_retries: monitor.maxRetries,
      http_method: monitor.httpMethod,
      url_path: monitor.urlPath,
      expected_codes: monitor.expectedCodes,
      admin_state_up: toBool(monitor.adminStateUp),
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
export type V1MonitorChanges = Partial<
  Pick<
    V1HealthMonitor,
    'delay' | 'timeout' | 'maxRetries' | 'httpMethod' | 'urlPath' | 'expectedCodes' | 'adminStateUp'
  >
>;
export async function updateV1Monitor(db: Db, id: string, c: V1MonitorChanges): Promise<void> {
  const values: Updateable<LbV1HealthMonitorTable> = { updated_at: now() };
  if (c.delay !== undefined) values.delay = c.delay;
  if (c.timeout !== undefined) values.timeout = c.timeout;
  if (c.maxRetries !== undefined) values.max_retries = c.maxRetries;
  if (c.httpMethod !== undefined) values.http_method = c.httpMethod;
  if (c.urlPath !== undefined) values.url_path = c.urlPath;
  if (c.expectedCodes !== undefined) values.expected_codes = c.expectedCodes;
  if (c.adminStateUp !== undefined) values.admin_state_up = toBool(c.adminStateUp);
  await db.updateTable('lbv1_health_monitors').set(values).where('id', '=', id).execute();
}
export async function deleteV1Monitor(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lbv1_pool_monitors').where('monitor_id', '=', id).execute();
  await db.deleteFrom('lbv1_health_monitors').where('id', '=', id).execute();
}
export async function listAssociations(
  db: Db,
  by: { poolIds?: readonly string[]; monitorIds?: readonly string[] },
): Promise<V1Association[]> {
  let q = db.selectFrom('lbv1_pool_monitors').selectAll();
  if (by.poolIds) q = q.where('pool_id', 'in', by.poolIds.length > 0 ? [...by.poolIds] : ['']);
  if (by.monitorIds) q = q.where('monitor_id', 'in', by.monitorIds.length > 0 ? [...by.monitorIds] : ['']);
  const rows = await q.orderBy('created_at').execute();
  return rows.map((r) => ({ poolId: r.pool_id, monitorId: r.monitor_id, v2MonitorId: r.v2_monitor_id }));
}
export async function insertAssociation(db: Db, a: V1Association): Promise<void> {
  await db
    .insertInto('lbv1_pool_monitors')
    .values({ pool_id: a.poolId, monitor_id: a.monitorId, v2_monitor_id: a.v2MonitorId, created_at: now() })
    .execute();
}
export async function setAssociationRealization(
  db: Db,
  poolId: string,
  monitorId: string,
  v2MonitorId: string | null,
): Promise<void> {
  await db
    .updateTable('lbv1_pool_monitors')
    .set({ v2_monitor_id: v2MonitorId })
    .where('pool_id', '=', poolId)
    .where('monitor_id', '=', monitorId)
    .execute();
}
export async function deleteAssociation(db: Db, poolId: string, monitorId: string): Promise<void> {
  await db
    .deleteFrom('lbv1_pool_monitors')
    .where('pool_id', '=', poolId)
    .where('monitor_id', '=', monitorId)
    .execute();
}
