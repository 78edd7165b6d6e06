// Amphorae as the domain sees them (reference §10.5): one load balancer's placement on a data-plane host,
// with Octavia's amphora statuses and roles, and the per-listener counters an amphora reports.

export const AmphoraStatus = {
  BOOTING: 'BOOTING',
  ALLOCATED: 'ALLOCATED',
  READY: 'READY',
  PENDING_CREATE: 'PENDING_CREATE',
  PENDING_DELETE: 'PENDING_DELETE',
  DELETED: 'DELETED',
  ERROR: 'ERROR',
  FAILOVER_STOPPED: 'FAILOVER_STOPPED',
} as const;
export type AmphoraStatus = (typeof AmphoraStatus)[keyof typeof AmphoraStatus];

export const AmphoraRole = { MASTER: 'MASTER', BACKUP: 'BACKUP', STANDALONE: 'STANDALONE' } as const;
export type AmphoraRole = (typeof AmphoraRole)[keyof typeof AmphoraRole];

/**
 * Only broken (ERROR) amphorae may be deleted by an operator: Octavia 18.0.0 dropped READY (spare) ones
 * (octavia/db/repositories.py AmphoraRepository.test_and_set_status_for_delete).
 */
export const DELETABLE_AMPHORA_STATUSES: readonly string[] = [AmphoraStatus.ERROR];

export type Amphora = Readonly<{
  id: string;
  loadBalancerId: string | null;
  computeId: string | null;
  lbNetworkIp: string | null;
  vrrpIp: string | null;
  haIp: string | null;
  vrrpPortId: string | null;
  haPortId: string | null;
  certExpiration: string | null;
  certBusy: boolean;
  role: string | null;
  status: string;
  vrrpInterface: string | null;
  vrrpId: number | null;
  vrrpPriority: number | null;
  cachedZone: string | null;
  imageId: string | null;
  computeFlavor: string | null;
  createdAt: string;
  updatedAt: string | null;
}>;

/** One listener's counters on one amphora. */
export type AmphoraListenerStats = Readonly<{
  amphoraId: string;
  listenerId: string;
  loadBalancerId: string;
  activeConnections: number;
  bytesIn: number;
  bytesOut: number;
  totalConnections: number;
  requestErrors: number;
}>;
