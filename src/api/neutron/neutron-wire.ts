// Domain → Neutron wire objects (identity-networking-v1.md §2): snake_case, `tenant_id` beside
// `project_id`, the extension attributes with their `router:` / `provider:` names, second-precision times.
import type { Network, Port, Subnet } from '../../model/network.ts';

export type WireObject = Record<string, unknown>;

/** Neutron prints timestamps without fractions: 2024-05-01T10:00:00Z. */
export const neutronTime = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');

export function networkToWire(network: Network): WireObject {
  return {
    id: network.id,
    name: network.name,
    description: network.description,
    tenant_id: network.projectId,
    project_id: network.projectId,
    admin_state_up: network.adminStateUp,
    status: network.status,
    shared: network.shared,
    'router:external': network.routerExternal,
    'provider:network_type': network.networkType,
    'provider:physical_network': network.physicalNetwork,
    'provider:segmentation_id': network.segmentationId,
    subnets: [...network.subnets],
    mtu: network.mtu,
    created_at: neutronTime(network.createdAt),
    updated_at: neutronTime(network.updatedAt),
  };
}

export function subnetToWire(subnet: Subnet): WireObject {
  return {
    id: subnet.id,
    name: subnet.name,
    description: subnet.description,
    network_id: subnet.networkId,
    tenant_id: subnet.projectId,
    project_id: subnet.projectId,
    ip_version: subnet.ipVersion,
    cidr: subnet.cidr,
    gateway_ip: subnet.gatewayIp,
    allocation_pools: subnet.allocationPools.map((p) => ({ start: p.start, end: p.end })),
    enable_dhcp: subnet.enableDhcp,
    dns_nameservers: [...subnet.dnsNameservers],
    host_routes: subnet.hostRoutes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
    // Constant here (no IPv6 RA modes, no subnet pools), but clients print them.
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    created_at: neutronTime(subnet.createdAt),
    updated_at: neutronTime(subnet.updatedAt),
  };
}

export function portToWire(port: Port): WireObject {
  return {
    id: port.id,
    name: port.name,
    description: port.description,
    network_id: port.networkId,
    tenant_id: port.projectId,
    project_id: port.projectId,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    mac_address: port.macAddress,
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
    status: port.status,
    admin_state_up: port.adminStateUp,
    allowed_address_pairs: port.allowedAddressPairs.map((p) => ({
      ip_address: p.ipAddress,
      mac_address: p.macAddress,
    })),
    security_groups: [...port.securityGroups],
    created_at: neutronTime(port.createdAt),
    updated_at: neutronTime(port.updatedAt),
  };
}
