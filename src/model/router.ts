// Routers and floating IPs as the domain sees them (identity-networking-v1.md §2): routers are records
// (Sluice routes nothing: every 127/8 address is local), floating IPs are extra addresses a VIP port answers on.
import type { FixedIp } from './network.ts';

/** device_owner values Neutron gives the ports it creates for L3 (neutron-lib constants). */
export const DEVICE_OWNER_ROUTER_INTERFACE = 'network:router_interface';
export const DEVICE_OWNER_ROUTER_GATEWAY = 'network:router_gateway';
export const DEVICE_OWNER_FLOATINGIP = 'network:floatingip';
/** Ports that only their L3 object may delete (Neutron answers 409 L3PortInUse to a direct delete). */
export const L3_DEVICE_OWNERS: readonly string[] = [
  DEVICE_OWNER_ROUTER_INTERFACE,
  DEVICE_OWNER_ROUTER_GATEWAY,
  DEVICE_OWNER_FLOATINGIP,
];

export type ExternalGateway = Readonly<{
  networkId: string;
  enableSnat: boolean;
  portId: string;
  externalFixedIps: readonly FixedIp[];
}>;

/** An extra route of a router (extension `extraroute`): recorded and shown, not installed anywhere. */
export type ExtraRoute = Readonly<{ destination: string; nexthop: string }>;

export type Router = Readonly<{
  id: string;
  name: string;
  description: string;
  projectId: string;
  adminStateUp: boolean;
  status: string;
  externalGateway: ExternalGateway | null;
  routes: readonly ExtraRoute[];
  createdAt: string;
  updatedAt: string;
}>;

export type FloatingIp = Readonly<{
  id: string;
  projectId: string;
  description: string;
  floatingNetworkId: string;
  floatingSubnetId: string;
  floatingIpAddress: string;
  /** the floating address's own port on the external network (device_owner network:floatingip) */
  floatingPortId: string;
  /** the associated port, or null */
  portId: string | null;
  fixedIpAddress: string | null;
  routerId: string | null;
  createdAt: string;
  updatedAt: string;
}>;

/** ACTIVE while associated with a port, DOWN otherwise (as Neutron's L3 agent reports it). */
export const floatingIpStatus = (fip: Pick<FloatingIp, 'portId'>): string => (fip.portId ? 'ACTIVE' : 'DOWN');
