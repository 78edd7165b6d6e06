// The LBaaS v1 → v2 mapping (identity-networking-v1.md §3). v1 is pool-centric and a pool exists before its
// VIP; v2 hangs everything off a load balancer. So:
// - Every v1 object is a v1 record (lbv1_* tables) holding its v1 attributes, plus the id of the v2 object
//   realizing it, or null. Without a VIP nothing is realized: the pool, its members and its monitor
//   associations are records only, and their v1 status says so (PENDING_CREATE, "No VIP yet").
// - Creating a VIP on a pool creates, in one transaction, a v2 load balancer (VIP address/port on the VIP's
//   subnet, the pool's provider), one listener (VIP protocol, port, connection limit, admin state), the v2
//   pool as that listener's default pool (lb_method → lb_algorithm, the VIP's session persistence), one v2
//   member per v1 member (address, port, weight, admin state, the pool's subnet) and the v2 health monitor of
//   the associated v1 monitor. It goes through the fully-populated-create path of the v2 API (same validation,
//   quota and provider checks), so traffic, health and stats work exactly as for v2.
// - While the VIP exists, each v1 write changes its v1 record and the v2 object under the v2 lock
//   (v1-change.ts waits while the load balancer is PENDING_*). A v1 monitor may serve several pools: each
//   association is one v2 monitor on that pool's v2 pool (v2 allows one per pool, so a second is a 409).
// - Deleting the VIP cascades the v2 load balancer (its port is freed when the provider confirms) and
//   un-realizes the records: the pool is back to "No VIP yet".

import { fail } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { V1HealthMonitor, V1Member, V1Pool, V1Vip } from '../../model/lbaas-v1.ts';
import { DELETABLE_STATUSES } from '../../model/statuses.ts';
import { newId } from '../../store/codec.ts';
import type { Db } from '../../store/database.ts';
import { findHealthMonitorOfPool } from '../../store/repositories/health-monitor-repository.ts';
import {
  getV1Monitor,
  listAssociations,
  listV1Members,
  setAssociationRealization,
  updateV1Member,
  updateV1Pool,
} from '../../store/repositories/lbaas-v1-repository.ts';
import { insertV1Vip } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { markChildrenDeleting } from '../../store/repositories/load-balancer-children.ts';
import {
  getLoadBalancerRow,
  insertLoadBalancer,
  transitionLoadBalancer,
} from '../../store/repositories/load-balancer-repository.ts';
import { listMembers } from '../../store/repositories/member-repository.ts';
import { enforceQuota } from '../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../context.ts';
import { planGraph } from '../octavia/load-balancers/graph-plan.ts';
import { insertGraph } from '../octavia/load-balancers/graph-store.ts';
import { LOAD_BALANCER_POST_ENVELOPE } from '../octavia/load-balancers/schema.ts';
import { resolveVip } from '../octavia/load-balancers/vip-resolver.ts';
import { requireProviderSupport } from '../octavia/provider-support.ts';
import { type Parsed, parseBody } from '../wire/parse-body.ts';

export type VipRequest = Readonly<{
  name: string;
  description: string;
  subnetId: string;
  address: string | null;
  protocol: string;
  protocolPort: number;
  sessionPersistence: V1Vip['sessionPersistence'];
  connectionLimit: number;
  adminStateUp: boolean;
}>;

/** A v2 monitor body for a v1 monitor: HTTP fields only for HTTP(S) monitors, as v2 requires. */
export function v2MonitorBody(m: V1HealthMonitor): Parsed {
  const http = m.type === 'HTTP' || m.type === 'HTTPS';
  return {
    type: m.type,
    delay: m.delay,
    timeout: m.timeout,
    max_retries: m.maxRetries,
    admin_state_up: m.adminStateUp,
    ...(http && { http_method: m.httpMethod, url_path: m.urlPath, expected_codes: m.expectedCodes }),
  };
}

export const v2MemberBody = (pool: V1Pool, m: V1Member): Parsed => ({
  address: m.address,
  protocol_port: m.protocolPort,
  weight: m.weight,
  admin_state_up: m.adminStateUp,
  subnet_id: pool.subnetId,
});

/** Creates the v2 graph behind a new VIP on `pool` and records it; returns the VIP. */
export async function realizeVip(
  trx: Db,
  context: ApiContext,
  auth: AuthContext,
  pool: V1Pool,
  request: VipRequest,
): Promise<V1Vip> {
  const lbId = newId();
  const vip = await resolveVip(
    trx,
    { subnetId: request.subnetId, ...(request.address && { address: request.address }) },
    lbId,
    pool.projectId,
    auth,
    context.config.networkDriver,
  );
  const members = await listV1Members(trx, { visibility: 'all', poolId: pool.id });
  const [association] = await listAssociations(trx, { poolIds: [pool.id] });
  const monitor = association && (await getV1Monitor(trx, association.monitorId));
  const poolName = pool.name || pool.id;
  const sp = request.sessionPersistence;
  const body = parseBody('load_balancer', LOAD_BALANCER_POST_ENVELOPE, {
    loadbalancer: {
      listeners: [
        {
          name: request.name,
          protocol: request.protocol,
          protocol_port: request.protocolPort,
          connection_limit: request.connectionLimit,
          admin_state_up: request.adminStateUp,
          default_pool: { name: poolName },
        },
      ],
      pools: [
        {
          name: poolName,
          description: pool.description,
          protocol: pool.protocol,
          lb_algorithm: pool.lbMethod,
          admin_state_up: pool.adminStateUp,
          ...(sp && {
            session_persistence: { type: sp.type, ...(sp.cookieName && { cookie_name: sp.cookieName }) },
          }),
          members: members.map((m) => v2MemberBody(pool, m)),
          ...(monitor && { healthmonitor: v2MonitorBody(monitor) }),
        },
      ],
    },
  }).loadbalancer as Parsed;
  const plan = planGraph(body.listeners as Parsed[], body.pools as Parsed[], [vip.address]);
  await enforceQuota(trx, pool.projectId, { load_balancer: 1, ...plan.counts });
  await insertLoadBalancer(trx, {
    id: lbId,
    projectId: pool.projectId,
    name: request.name,
    description: request.description,
    adminStateUp: true,
    provisioningStatus: 'PENDING_CREATE',
    operatingStatus: 'OFFLINE',
    provider: pool.provider,
    flavorId: null,
    availabilityZone: null,
    topology: 'SINGLE',
    vip,
    tags: [],
  });
  const owner = { loadBalancerId: lbId, projectId: pool.projectId };
  await insertGraph(trx, plan, owner, context.config.networkDriver, auth);
  await requireProviderSupport(trx, context, lbId);

  const v2PoolId = plan.pools[0].id;
  await updateV1Pool(trx, pool.id, { v2PoolId });
  const v2Members = await listMembers(trx, v2PoolId);
  for (const m of members) {
    const v2 = v2Members.find((x) => x.address === m.address && x.protocolPort === m.protocolPort);
    await updateV1Member(trx, m.id, { v2MemberId: v2?.id ?? null });
  }
  if (association) {
    const v2Monitor = await findHealthMonitorOfPool(trx, v2PoolId);
    await setAssociationRealization(trx, pool.id, association.monitorId, v2Monitor?.id ?? null);
  }
  const record: V1Vip = {
    id: newId(),
    projectId: pool.projectId,
    poolId: pool.id,
    name: request.name,
    description: request.description,
    subnetId: vip.subnetId,
    address: vip.address,
    portId: vip.portId,
    protocol: request.protocol,
    protocolPort: request.protocolPort,
    sessionPersistence: request.sessionPersistence,
    connectionLimit: request.connectionLimit,
    adminStateUp: request.adminStateUp,
    loadBalancerId: lbId,
    listenerId: plan.listeners[0].id,
  };
  await insertV1Vip(trx, record);
  return record;
}

/**
 * Deletes the v2 load balancer behind a VIP (cascade) and un-realizes the pool's records. Waits (409
 * immutable → v1-change.ts) while the load balancer is PENDING_*; one already gone needs nothing.
 */
export async function unrealizeVip(trx: Db, vip: V1Vip): Promise<string[]> {
  const lb = await getLoadBalancerRow(trx, vip.loadBalancerId);
  const wake: string[] = [];
  if (lb && lb.provisioningStatus !== 'DELETED') {
    if (!(await transitionLoadBalancer(trx, vip.loadBalancerId, DELETABLE_STATUSES, 'PENDING_DELETE'))) {
      throw fail('octavia.immutable', { resource: 'Load Balancer', id: vip.loadBalancerId });
    }
    await markChildrenDeleting(trx, vip.loadBalancerId);
    wake.push(vip.loadBalancerId);
  }
  await updateV1Pool(trx, vip.poolId, { v2PoolId: null });
  for (const m of await listV1Members(trx, { visibility: 'all', poolId: vip.poolId })) {
    await updateV1Member(trx, m.id, { v2MemberId: null });
  }
  for (const a of await listAssociations(trx, { poolIds: [vip.poolId] })) {
    await setAssociationRealization(trx, vip.poolId, a.monitorId, null);
  }
  return wake;
}
