// Status vocabularies and the mutability rules of the provisioning state machine (reference §2).

export const ProvisioningStatus = {
  ACTIVE: 'ACTIVE',
  PENDING_CREATE: 'PENDING_CREATE',
  PENDING_UPDATE: 'PENDING_UPDATE',
  PENDING_DELETE: 'PENDING_DELETE',
  DELETED: 'DELETED',
  ERROR: 'ERROR',
} as const;
export type ProvisioningStatus = (typeof ProvisioningStatus)[keyof typeof ProvisioningStatus];

export const OperatingStatus = {
  ONLINE: 'ONLINE',
  OFFLINE: 'OFFLINE',
  DEGRADED: 'DEGRADED',
  ERROR: 'ERROR',
  DRAINING: 'DRAINING',
  NO_MONITOR: 'NO_MONITOR',
} as const;
export type OperatingStatus = (typeof OperatingStatus)[keyof typeof OperatingStatus];

/** The load balancer is the lock: children change only while it is ACTIVE (reference §2.2). */
export const MUTABLE_STATUSES: readonly ProvisioningStatus[] = [ProvisioningStatus.ACTIVE];
export const DELETABLE_STATUSES: readonly ProvisioningStatus[] = [
  ProvisioningStatus.ACTIVE,
  ProvisioningStatus.ERROR,
];
export const FAILOVERABLE_STATUSES: readonly ProvisioningStatus[] = [
  ProvisioningStatus.ACTIVE,
  ProvisioningStatus.ERROR,
];

export const isPending = (status: string): boolean => status.startsWith('PENDING_');
