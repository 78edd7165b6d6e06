// Renders LBaaS v1 records as v1 wire objects (identity-networking-v1.md §3), each `status` derived from the
// v2 object realizing it (model/lbaas-v1.ts v1Status): ACTIVE only when the traffic path is there.
import {
  type Realization,
  type V1HealthMonitor,
  type V1Member,
  type V1Pool,
  type V1Vip,
  v1Status,
} from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import { listAssociations, listV1Members } from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1VipOfPool } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { getLoadBalancerRow } from '../../store/repositories/load-balancer-repository.ts';
import { getObjectStatus } from '../../store/repositories/octavia-lock.ts';
import type { WireObject } from '../neutron/neutron-wire.ts';

type RealizedTable = 'pools' | 'members' | 'health_monitors' | 'listeners';

/** The v2 row behind a v1 object: 'no-vip' without a live VIP, 'missing' when the row is gone. */
async function realization(
  db: Db,
  vip: V1Vip | undefined,
  table: RealizedTable,
  id: string | null,
): Promise<Realization | 'no-vip' | 'missing'> {
  if (!vip) return 'no-vip';
  const lb = await getLoadBalancerRow(db, vip.loadBalancerId);
  if (!lb || lb.provisioningStatus === 'DELETED' || !id) return 'missing';
  const object = await getObjectStatus(db, table, id);
  if (!object) return 'missing';
  // A failed change says why on the load balancer (reference §2.3).
  return { ...object, statusReason: object.provisioningStatus === 'ERROR' ? lb.statusReason : null };
}

const statusFields = (r: Realization | 'no-vip' | 'missing') => {
  const s = v1Status(r);
  return { status: s.status, status_description: s.statusDescription };
};

export async function poolToWire(db: Db, pool: V1Pool): Promise<WireObject> {
  const vip = await getV1VipOfPool(db, pool.id);
  const members = await listV1Members(db, { visibility: 'all', poolId: pool.id });
  const associations = await listAssociations(db, { poolIds: [pool.id] });
  return {
    id: pool.id,
    tenant_id: pool.projectId,
    name: pool.name,
    description: pool.description,
    subnet_id: pool.subnetId,
    protocol: pool.protocol,
    lb_method: pool.lbMethod,
    provider: pool.provider,
    vip_id: vip?.id ?? null,
    members: members.map((m) => m.id),
    health_monitors: associations.map((a) => a.monitorId),
    health_monitors_status: await Promise.all(
      associations.map(async (a) => {
        const s = v1Status(await realization(db, vip, 'health_monitors', a.v2MonitorId));
        return { monitor_id: a.monitorId, status: s.status, status_description: s.statusDescription };
      }),
    ),
    admin_state_up: pool.adminStateUp,
    ...statusFields(await realization(db, vip, 'pools', pool.v2PoolId)),
  };
}

export async function memberToWire(db: Db, member: V1Member): Promise<WireObject> {
  const vip = await getV1VipOfPool(db, member.poolId);
  return {
    id: member.id,
    tenant_id: member.projectId,
    pool_id: member.poolId,
    address: member.address,
    protocol_port: member.protocolPort,
    weight: member.weight,
    admin_state_up: member.adminStateUp,
    ...statusFields(await realization(db, vip, 'members', member.v2MemberId)),
  };
}

export async function vipToWire(db: Db, vip: V1Vip): Promise<WireObject> {
  const sp = vip.sessionPersistence;
  return {
    id: vip.id,
    tenant_id: vip.projectId,
    name: vip.name,
    description: vip.description,
    subnet_id: vip.subnetId,
    address: vip.address,
    port_id: vip.portId,
    protocol_port: vip.protocolPort,
    protocol: vip.protocol,
    pool_id: vip.poolId,
    session_persistence: sp && {
      type: sp.type,
      ...(sp.cookieName !== null && { cookie_name: sp.cookieName }),
    },
    connection_limit: vip.connectionLimit,
    admin_state_up: vip.adminStateUp,
    ...statusFields(await realization(db, vip, 'listeners', vip.listenerId)),
  };
}

export async function monitorToWire(db: Db, monitor: V1HealthMonitor): Promise<WireObject> {
  const associations = await listAssociations(db, { monitorIds: [monitor.id] });
  return {
    id: monitor.id,
    tenant_id: monitor.projectId,
    type: monitor.type,
    delay: monitor.delay,
    timeout: monitor.timeout,
    max_retries: monitor.maxRetries,
    http_method: monitor.httpMethod,
    url_path: monitor.urlPath,
    expected_codes: monitor.expectedCodes,
    admin_state_up: monitor.adminStateUp,
    pools: await Promise.all(
      associations.map(async (a) => {
        const vip = await getV1VipOfPool(db, a.poolId);
        const s = v1Status(await realization(db, vip, 'health_monitors', a.v2MonitorId));
        return { pool_id: a.poolId, status: s.status, status_description: s.statusDescription };
      }),
    ),
  };
}
