// LBaaS v1 objects (identity-networking-v1.md §3) and the pure rule that derives a v1 `status` from the v2
// object realizing it: v2 provisioning states, with ACTIVE only when the traffic path is really there.
import type { SessionPersistence } from './pool.ts';

export const V1_PROTOCOLS: readonly string[] = ['TCP', 'HTTP', 'HTTPS'];
export const V1_LB_METHODS: readonly string[] = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'];
export const V1_MONITOR_TYPES: readonly string[] = ['PING', 'TCP', 'HTTP', 'HTTPS'];
export const V1_PERSISTENCE_TYPES: readonly string[] = ['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE'];

export type V1Pool = Readonly<{
  id: string;
  projectId: string;
  name: string;
  description: string;
  subnetId: string;
  protocol: string;
  lbMethod: string;
  provider: string;
  adminStateUp: boolean;
  /** the v2 pool realizing it while a VIP exists */
  v2PoolId: string | null;
}>;

export type V1Member = Readonly<{
  id: string;
  projectId: string;
  poolId: string;
  address: string;
  protocolPort: number;
  weight: number;
  adminStateUp: boolean;
  v2MemberId: string | null;
}>;

export type V1HealthMonitor = Readonly<{
  id: string;
  projectId: string;
  type: string;
  delay: number;
  timeout: number;
  maxRetries: number;
  httpMethod: string;
  urlPath: string;
  expectedCodes: string;
  adminStateUp: boolean;
}>;

export type V1Association = Readonly<{ poolId: string; monitorId: string; v2MonitorId: string | null }>;

export type V1Vip = Readonly<{
  id: string;
  projectId: string;
  poolId: string;
  name: string;
  description: string;
  subnetId: string;
  address: string;
  portId: string;
  protocol: string;
  protocolPort: number;
  sessionPersistence: Pick<SessionPersistence, 'type' | 'cookieName'> | null;
  connectionLimit: number;
  adminStateUp: boolean;
  loadBalancerId: string;
  listenerId: string;
}>;

/** What the v1 view needs of the v2 object behind a v1 object. */
export type Realization = Readonly<{
  provisioningStatus: string;
  operatingStatus: string;
  adminStateUp: boolean;
  statusReason?: string | null;
}>;

export type V1Status = Readonly<{ status: string; statusDescription: string | null }>;

export const NO_VIP = 'No VIP yet: nothing serves this pool until a VIP is created on it.';

/**
 * The v1 status of an object: without a VIP nothing is provisioned (PENDING_CREATE); otherwise the v2
 * provisioning status, except that an ACTIVE object whose health checks fail (operating status ERROR)
 * carries no traffic and says so (ERROR). `missing` is a realization removed outside the v1 API.
 */
export function v1Status(realization: Realization | 'no-vip' | 'missing'): V1Status {
  if (realization === 'no-vip') return { status: 'PENDING_CREATE', statusDescription: NO_VIP };
  if (realization === 'missing') {
    return { status: 'ERROR', statusDescription: 'Its load-balancer object was removed through the v2 API.' };
  }
  const { provisioningStatus, operatingStatus } = realization;
  if (provisioningStatus !== 'ACTIVE') {
    return { status: provisioningStatus, statusDescription: realization.statusReason ?? null };
  }
  if (operatingStatus === 'ERROR') {
    return { status: 'ERROR', statusDescription: 'Failing its health checks: it receives no traffic.' };
  }
  if (!realization.adminStateUp) {
    return { status: 'ACTIVE', statusDescription: 'Disabled (admin_state_up is false): no traffic.' };
  }
  if (operatingStatus === 'DEGRADED') {
    return { status: 'ACTIVE', statusDescription: 'Degraded: some members fail their health checks.' };
  }
  return { status: 'ACTIVE', statusDescription: null };
}
