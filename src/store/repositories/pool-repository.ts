// SQL for pools: insert, read (with the references a pool response shows: listeners, members, monitor),
// update, and the listener/L7-policy lookups pool requests need (reference §5). State changes go through
// octavia-lock.ts in the caller's transaction.
import type { Selectable } from 'kysely';
import { fail } from '../../errors.ts';
import type { NewPool, Pool, PoolChanges, SessionPersistence } from '../../model/pool.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Db } from '../database.ts';
import type { PoolTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import {
  type ChangeTarget,
  listenersOfPool,
  lockLoadBalancerForChild,
  requireActive,
  setProvisioningStatus,
} from './octavia-lock.ts';
import type { Scope } from './scoped-rows.ts';
import { apiReason, recordCreated } from './status-event-repository.ts';

type Refs = Pick<Pool, 'listenerIds' | 'memberIds' | 'healthMonitorId'>;

export async function insertPool(db: Db, pool: NewPool): Promise<void> {
  await db
    .insertInto('pools')
    .values({
      id: pool.id,
      project_id: pool.projectId,
      load_balancer_id: pool.loadBalancerId,
      name: pool.name,
      description: pool.description,
      admin_state_up: toBool(pool.adminStateUp),
      provisioning_status: pool.provisioningStatus,
      operating_status: pool.operatingStatus,
      protocol: pool.protocol,
      lb_algorithm: pool.lbAlgorithm,
      session_persistence: persistenceColumn(pool.sessionPersistence),
      tls_enabled: toBool(pool.tlsEnabled),
      tls_container_ref: pool.tlsContainerRef,
      ca_tls_container_ref: pool.caTlsContainerRef,
      crl_container_ref: pool.crlContainerRef,
      tls_ciphers: pool.tlsCiphers,
      tls_versions: pool.tlsVersions === null ? null : toJson(pool.tlsVersions),
      alpn_protocols: pool.alpnProtocols === null ? null : toJson(pool.alpnProtocols),
      tags: toJson(pool.tags),
      created_at: now(),
      updated_at: null,
    })
    .execute();
  await recordCreated(db, 'pools', [pool.id], apiReason('PENDING_CREATE'));
}

export async function findPool(db: Db, id: string): Promise<Pool | undefined> {
  return (await readPools(db, { poolId: id }))[0];
}

/**
 * Every pool, or one project's or load balancer's, oldest first, with their references (a constant number of
 * queries whatever the store holds).
 */
export function listPools(db: Db, scope: Scope = {}): Promise<Pool[]> {
  return readPools(db, scope);
}

/** Pools with the references a response shows; listeners come from default pools and L7 redirects (§5). */
async function readPools(
  db: Db,
  by: { projectId?: string; poolId?: string; loadBalancerId?: string },
): Promise<Pool[]> {
  let pools = db.selectFrom('pools').selectAll();
  let members = db.selectFrom('members').select(['id', 'pool_id']);
  let monitors = db.selectFrom('health_monitors').select(['id', 'pool_id']);
  let listeners = db.selectFrom('listeners').select(['id', 'default_pool_id as pool_id']);
  let policies = db.selectFrom('l7policies').select(['listener_id as id', 'redirect_pool_id as pool_id']);
  const scopes = [
    ['project_id', by.projectId],
    ['load_balancer_id', by.loadBalancerId],
  ] as const;
  for (const [column, value] of scopes) {
    if (value === undefined) continue;
    pools = pools.where(column, '=', value);
    members = members.where(column, '=', value);
    monitors = monitors.where(column, '=', value);
    listeners = listeners.where(column, '=', value);
    policies = policies.where(column, '=', value);
  }
  if (by.poolId !== undefined) {
    pools = pools.where('id', '=', by.poolId);
    members = members.where('pool_id', '=', by.poolId);
    monitors = monitors.where('pool_id', '=', by.poolId);
    listeners = listeners.where('default_pool_id', '=', by.poolId);
    policies = policies.where('redirect_pool_id', '=', by.poolId);
  }
  const [poolRows, memberRows, monitorRows, listenerRows, policyRows] = await Promise.all([
    pools.orderBy('created_at').orderBy('id').execute(),
    members.orderBy('created_at').orderBy('id').execute(),
    monitors.execute(),
    listeners.where('default_pool_id', 'is not', null).orderBy('created_at').orderBy('id').execute(),
    policies.where('redirect_pool_id', 'is not', null).orderBy('position').execute(),
  ]);
  return withReferences(poolRows, { memberRows, monitorRows, listenerRows, policyRows });
}

type PoolRef = { id: string; pool_id: string | null };

function withReferences(
  poolRows: Selectable<PoolTable>[],
  refs: { memberRows: PoolRef[]; monitorRows: PoolRef[]; listenerRows: PoolRef[]; policyRows: PoolRef[] },
): Pool[] {
  // Grouped once: filtering every reference list per pool was quadratic in a project's pools (issue #18).
  const byPool = (rows: PoolRef[]) => {
    const grouped = new Map<string, string[]>();
    for (const r of rows) {
      if (r.pool_id === null) continue;
      const ids = grouped.get(r.pool_id);
      if (ids) ids.push(r.id);
      else grouped.set(r.pool_id, [r.id]);
    }
    return grouped;
  };
  const [members, monitors, listeners, policies] = [
    byPool(refs.memberRows),
    byPool(refs.monitorRows),
    byPool(refs.listenerRows),
    byPool(refs.policyRows),
  ];
  return poolRows.map((row) =>
    toPool(row, {
      listenerIds: [...new Set([...(listeners.get(row.id) ?? []), ...(policies.get(row.id) ?? [])])],
      memberIds: members.get(row.id) ?? [],
      healthMonitorId: monitors.get(row.id)?.[0] ?? null,
    }),
  );
}

/**
 * One list page of the project's (or every) pool, read in SQL, with the references of the page's pools
 * only (four queries whatever the page size); undefined: unknown marker.
 */
export async function pagePools(
  db: Db,
  projectId: string | undefined,
  spec: PageSpec,
): Promise<Pool[] | undefined> {
  const poolRows = await readPage(db, db.selectFrom('pools'), spec, { project_id: projectId });
  if (poolRows === undefined || poolRows.length === 0) return poolRows && [];
  const ids = poolRows.map((row) => row.id);
  const [memberRows, monitorRows, listenerRows, policyRows] = await Promise.all([
    db
      .selectFrom('members')
      .select(['id', 'pool_id'])
      .where('pool_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('health_monitors').select(['id', 'pool_id']).where('pool_id', 'in', ids).execute(),
    db
      .selectFrom('listeners')
      .select(['id', 'default_pool_id as pool_id'])
      .where('default_pool_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('l7policies')
      .select(['listener_id as id', 'redirect_pool_id as pool_id'])
      .where('redirect_pool_id', 'in', ids)
      .orderBy('position')
      .execute(),
  ]);
  return withReferences(poolRows, { memberRows, monitorRows, listenerRows, policyRows });
}

export async function updatePool(db: Db, id: string, changes: PoolChanges): Promise<void> {
  const c = changes;
  await db
    .updateTable('pools')
    .set({
      updated_at: now(),
      ...(c.name !== undefined && { name: c.name }),
      ...(c.description !== undefined && { description: c.description }),
      ...(c.adminStateUp !== undefined && { admin_state_up: toBool(c.adminStateUp) }),
      ...(c.lbAlgorithm !== undefined && { lb_algorithm: c.lbAlgorithm }),
      ...(c.sessionPersistence !== undefined && {
        session_persistence: persistenceColumn(c.sessionPersistence),
      }),
      ...(c.tlsEnabled !== undefined && { tls_enabled: toBool(c.tlsEnabled) }),
      ...(c.tlsContainerRef !== undefined && { tls_container_ref: c.tlsContainerRef }),
      ...(c.caTlsContainerRef !== undefined && { ca_tls_container_ref: c.caTlsContainerRef }),
      ...(c.crlContainerRef !== undefined && { crl_container_ref: c.crlContainerRef }),
      ...(c.tlsCiphers !== undefined && { tls_ciphers: c.tlsCiphers }),
      ...(c.tlsVersions !== undefined && { tls_versions: c.tlsVersions && toJson(c.tlsVersions) }),
      ...(c.alpnProtocols !== undefined && { alpn_protocols: c.alpnProtocols && toJson(c.alpnProtocols) }),
      ...(c.tags !== undefined && { tags: toJson(c.tags) }),
    })
    .where('id', '=', id)
    .execute();
}

export type ListenerRef = Readonly<{
  id: string;
  loadBalancerId: string;
  protocol: string;
  defaultPoolId: string | null;
}>;

/** The listener fields a pool create needs (its load balancer, protocol and current default pool). */
export async function findListenerRef(db: Db, id: string): Promise<ListenerRef | undefined> {
  return db
    .selectFrom('listeners')
    .select(['id', 'load_balancer_id as loadBalancerId', 'protocol', 'default_pool_id as defaultPoolId'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setListenerDefaultPool(
  db: Db,
  listenerId: string,
  poolId: string | null,
): Promise<void> {
  await db
    .updateTable('listeners')
    .set({ default_pool_id: poolId, updated_at: now() })
    .where('id', '=', listenerId)
    .execute();
}

/** The first L7 policy redirecting to the pool, if any (a pool in use cannot be deleted, reference §5). */
export async function policyRedirectingTo(db: Db, poolId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('l7policies')
    .select('id')
    .where('redirect_pool_id', '=', poolId)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** Session persistence is stored as JSON with Octavia's snake_case keys (desired-state-repository reads it). */
function persistenceColumn(sp: SessionPersistence | null): string | null {
  if (sp === null) return null;
  return toJson({
    type: sp.type,
    cookie_name: sp.cookieName,
    persistence_timeout: sp.persistenceTimeout,
    persistence_granularity: sp.persistenceGranularity,
  });
}

function toPool(row: Selectable<PoolTable>, refs: Refs): Pool {
  const sp = fromJson<Record<string, string | number | null> | null>(row.session_persistence, null);
  return {
    id: row.id,
    projectId: row.project_id,
    loadBalancerId: row.load_balancer_id,
    name: row.name,
    description: row.description,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    protocol: row.protocol,
    lbAlgorithm: row.lb_algorithm,
    sessionPersistence: sp && {
      type: sp.type as SessionPersistence['type'],
      cookieName: (sp.cookie_name as string | null) ?? null,
      persistenceTimeout: (sp.persistence_timeout as number | null) ?? null,
      persistenceGranularity: (sp.persistence_granularity as string | null) ?? null,
    },
    tlsEnabled: fromBool(row.tls_enabled),
    tlsContainerRef: row.tls_container_ref,
    caTlsContainerRef: row.ca_tls_container_ref,
    crlContainerRef: row.crl_container_ref,
    tlsCiphers: row.tls_ciphers,
    tlsVersions: fromJson<string[] | null>(row.tls_versions, null),
    alpnProtocols: fromJson<string[] | null>(row.alpn_protocols, null),
    tags: fromJson<string[]>(row.tags, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...refs,
  };
}

/** A pool change: takes the load balancer and marks every listener using the pool PENDING_UPDATE (§2.2). */
export async function lockForPool(
  db: Db,
  loadBalancerId: string,
  poolId: string,
  targets: readonly ChangeTarget[],
): Promise<void> {
  await lockLoadBalancerForChild(db, loadBalancerId, targets);
  await setProvisioningStatus(db, 'listeners', await listenersOfPool(db, poolId), 'PENDING_UPDATE');
}

/**
 * A member or monitor change: the pool must be ACTIVE (409 `Pool <id> is immutable…`), then the load
 * balancer is taken and the pool and its listeners go PENDING_UPDATE (reference §2.2).
 */
export async function lockForPoolChild(
  db: Db,
  loadBalancerId: string,
  poolId: string,
  targets: readonly ChangeTarget[],
): Promise<void> {
  await requireActive(db, 'pools', poolId);
  await lockForPool(db, loadBalancerId, poolId, targets);
  await setProvisioningStatus(db, 'pools', [poolId], 'PENDING_UPDATE');
}

/** The checks of lockForPoolChild without taking anything: a no-op batch still answers 409 (§6.1). */
export async function requirePoolChildMutable(db: Db, loadBalancerId: string, poolId: string): Promise<void> {
  await requireActive(db, 'pools', poolId);
  const lb = await db
    .selectFrom('load_balancers')
    .select('provisioning_status')
    .where('id', '=', loadBalancerId)
    .executeTakeFirst();
  if (lb?.provisioning_status !== 'ACTIVE') {
    throw fail('octavia.immutable', { resource: 'Load Balancer', id: loadBalancerId });
  }
}
