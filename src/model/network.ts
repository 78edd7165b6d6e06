// Networking domain types (camelCase): networks, subnets, ports and their fixed IPs, plus the pure rules
// for provider attributes and port status. The wire (snake_case) mapping lives in api/neutron.
import type { AllocationPool, IpVersion } from './ipam.ts';

export type { AllocationPool, IpVersion } from './ipam.ts';

export const NetworkType = { LOCAL: 'local', FLAT: 'flat', VLAN: 'vlan' } as const;
export type NetworkType = (typeof NetworkType)[keyof typeof NetworkType];
export const NETWORK_TYPES: readonly string[] = Object.values(NetworkType);

/** device_owner of a load balancer's VIP port (reference §2): the load balancer owns it, not the user. */
export const DEVICE_OWNER_OCTAVIA = 'Octavia';
export const DEFAULT_MTU = 1500;
export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

export type Network = Readonly<{
  id: string;
  name: string;
  description: string;
  projectId: string;
  adminStateUp: boolean;
  status: string;
  shared: boolean;
  routerExternal: boolean;
  networkType: string;
  physicalNetwork: string | null;
  segmentationId: number | null;
  mtu: number;
  /** ids of the network's subnets, oldest first (the wire's `subnets`) */
  subnets: readonly string[];
  createdAt: string;
  updatedAt: string;
}>;

export type HostRoute = Readonly<{ destination: string; nexthop: string }>;

export type Subnet = Readonly<{
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  ipVersion: IpVersion;
  cidr: string;
  gatewayIp: string | null;
  allocationPools: readonly AllocationPool[];
  enableDhcp: boolean;
  dnsNameservers: readonly string[];
  hostRoutes: readonly HostRoute[];
  createdAt: string;
  updatedAt: string;
}>;

export type FixedIp = Readonly<{ subnetId: string; ipAddress: string }>;
export type AddressPair = Readonly<{ ipAddress: string; macAddress: string }>;

export type Port = Readonly<{
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  deviceId: string;
  deviceOwner: string;
  status: string;
  adminStateUp: boolean;
  fixedIps: readonly FixedIp[];
  allowedAddressPairs: readonly AddressPair[];
  securityGroups: readonly string[];
  createdAt: string;
  updatedAt: string;
}>;

/** A port is ACTIVE once something is plugged into it (a device id), DOWN before, as Neutron shows it. */
export const portStatus = (deviceId: string): string => (deviceId === '' ? 'DOWN' : 'ACTIVE');

export type ProviderAttributes = Readonly<{
  networkType: string;
  physicalNetwork: string | null;
  segmentationId: number | null;
}>;

/**
 * Checks provider attributes as ML2's type drivers do; returns Neutron's reason text, or undefined when
 * valid. local has no physical network or segment; flat needs a physical network; vlan needs both.
 */
export function providerProblem(p: ProviderAttributes): string | undefined {
  if (!NETWORK_TYPES.includes(p.networkType)) return `network_type value '${p.networkType}' not supported`;
  if (p.networkType === NetworkType.LOCAL) {
    if (p.physicalNetwork !== null) return 'provider:physical_network specified for local network';
    if (p.segmentationId !== null) return 'provider:segmentation_id specified for local network';
    return undefined;
  }
  if (p.physicalNetwork === null)
    return `provider:physical_network required for ${p.networkType} provider network`;
  if (p.networkType === NetworkType.FLAT) {
    return p.segmentationId === null
      ? undefined
      : 'provider:segmentation_id specified for flat provider network';
  }
  if (p.segmentationId === null || p.segmentationId < VLAN_MIN || p.segmentationId > VLAN_MAX)
    return `provider:segmentation_id out of range (${VLAN_MIN} through ${VLAN_MAX})`;
  return undefined;
}

/** A random MAC in OpenStack's default base_mac range fa:16:3e:00:00:00/24. */
export function generateMac(randomByte: () => number): string {
  const tail = [randomByte(), randomByte(), randomByte()].map((b) =>
    (b & 0xff).toString(16).padStart(2, '0'),
  );
  return `fa:16:3e:${tail.join(':')}`;
}

export function normalizeMac(text: string): string | undefined {
  const match =
    /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(
      text,
    );
  return match ? match.slice(1).join(':').toLowerCase() : undefined;
}
