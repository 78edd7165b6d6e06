// Realizes LBaaS v1 children added while their pool has a VIP (the mapping is described in v1-realize.ts):
// a v1 member becomes a v2 member, a monitor association a v2 monitor, each under the load-balancer lock.
import { fail } from '../../errors.ts';
import { checkHealthMonitorCreate } from '../../model/health-monitor.ts';
import type { V1HealthMonitor, V1Member, V1Pool } from '../../model/lbaas-v1.ts';
import { newId } from '../../store/codec.ts';
import type { Db } from '../../store/database.ts';
import {
  findHealthMonitorOfPool,
  insertHealthMonitor,
} from '../../store/repositories/health-monitor-repository.ts';
import { insertMember } from '../../store/repositories/member-repository.ts';
import { findPool, lockForPoolChild } from '../../store/repositories/pool-repository.ts';
import { enforceQuota } from '../../store/repositories/quota-repository.ts';
import { healthMonitorInput, newHealthMonitorFromBody } from '../octavia/health-monitors/wire.ts';
import { newMemberFromBody } from '../octavia/members/wire.ts';
import { refuseIf } from '../octavia/pools/schema.ts';
import { v2MemberBody, v2MonitorBody } from './v1-realize.ts';

/** The v2 pool behind a realized v1 pool, with its load balancer (undefined when not realized). */
export async function v2PoolOf(trx: Db, pool: V1Pool) {
  return pool.v2PoolId ? findPool(trx, pool.v2PoolId) : undefined;
}

/** Adds the v2 member for a v1 member of a realized pool, under the lock; returns its id. */
export async function realizeMember(trx: Db, pool: V1Pool, member: V1Member): Promise<string | null> {
  const v2Pool = await v2PoolOf(trx, pool);
  if (!v2Pool) return null;
  const id = newId();
  await lockForPoolChild(trx, v2Pool.loadBalancerId, v2Pool.id, [{ table: 'members', id }]);
  await enforceQuota(trx, pool.projectId, { member: 1 });
  const monitored = (await findHealthMonitorOfPool(trx, v2Pool.id)) !== undefined;
  await insertMember(
    trx,
    newMemberFromBody(
      v2MemberBody(pool, member),
      { id, projectId: pool.projectId, loadBalancerId: v2Pool.loadBalancerId, poolId: v2Pool.id },
      monitored,
    ),
  );
  return id;
}

/** Adds the v2 monitor for a new association on a realized pool (one per pool: 409 otherwise). */
export async function realizeAssociation(
  trx: Db,
  pool: V1Pool,
  monitor: V1HealthMonitor,
): Promise<string | null> {
  const v2Pool = await v2PoolOf(trx, pool);
  if (!v2Pool) return null;
  const body = v2MonitorBody(monitor);
  refuseIf(checkHealthMonitorCreate(v2Pool.protocol, healthMonitorInput(body)));
  const id = newId();
  await lockForPoolChild(trx, v2Pool.loadBalancerId, v2Pool.id, [{ table: 'health_monitors', id }]);
  await enforceQuota(trx, pool.projectId, { health_monitor: 1 });
  if (await findHealthMonitorOfPool(trx, v2Pool.id)) throw fail('octavia.duplicate-health-monitor');
  await insertHealthMonitor(
    trx,
    newHealthMonitorFromBody(body, {
      id,
      projectId: pool.projectId,
      loadBalancerId: v2Pool.loadBalancerId,
      poolId: v2Pool.id,
    }),
  );
  return id;
}
