// The load balancer as the domain sees it (camelCase); the wire mapping lives in api/octavia.
import type { Topology } from './desired-state.ts';
import type { OperatingStatus, ProvisioningStatus } from './statuses.ts';

export type AdditionalVip = Readonly<{ subnetId: string; address: string }>;

export type Vip = Readonly<{
  address: string;
  portId: string;
  subnetId: string;
  networkId: string;
  qosPolicyId: string | null;
  /** further fixed IPs of the VIP port, one per subnet of the same network (API v2.26) */
  additional: readonly AdditionalVip[];
  /** Neutron security groups on the VIP (API v2.29 `vip_sg_ids`); their rules decide who reaches it */
  sgIds?: readonly string[];
}>;

export type LoadBalancer = Readonly<{
  id: string;
  projectId: string;
  name: string | null;
  description: string | null;
  adminStateUp: boolean;
  provisioningStatus: ProvisioningStatus;
  operatingStatus: OperatingStatus;
  /** the provider that serves it */
  provider: string;
  /** the alias it was asked for (`amphora`, `octavia`), which the API shows as its provider */
  providerAlias?: string | null;
  flavorId: string | null;
  availabilityZone: string | null;
  topology: Topology;
  vip: Vip;
  tags: readonly string[];
  revision: number;
  appliedRevision: number;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string | null;
}>;

/** The fields a PUT may change (reference §3.1). */
export type LoadBalancerChanges = Partial<
  Pick<LoadBalancer, 'name' | 'description' | 'adminStateUp' | 'tags'> & {
    vipQosPolicyId: string | null;
    vipSgIds: readonly string[];
  }
>;
