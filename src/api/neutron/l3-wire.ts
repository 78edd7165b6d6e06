// Routers and floating IPs → Neutron wire objects (identity-networking-v1.md §2), in the same style as
// neutron-wire.ts: snake_case, `tenant_id` beside `project_id`, second-precision times.
import type { FloatingIp, Router } from '../../model/router.ts';
import type { InterfaceInfo } from '../../store/repositories/router-interface-repository.ts';
import { neutronTime, type WireObject } from './neutron-wire.ts';

export function routerToWire(router: Router): WireObject {
  const gateway = router.externalGateway;
  return {
    id: router.id,
    name: router.name,
    description: router.description,
    tenant_id: router.projectId,
    project_id: router.projectId,
    admin_state_up: router.adminStateUp,
    status: router.status,
    external_gateway_info: gateway && {
      network_id: gateway.networkId,
      enable_snat: gateway.enableSnat,
      external_fixed_ips: gateway.externalFixedIps.map((ip) => ({
        subnet_id: ip.subnetId,
        ip_address: ip.ipAddress,
      })),
    },
    routes: router.routes.map((route) => ({ destination: route.destination, nexthop: route.nexthop })),
    created_at: neutronTime(router.createdAt),
    updated_at: neutronTime(router.updatedAt),
  };
}

export function interfaceInfoToWire(info: InterfaceInfo): WireObject {
  return {
    id: info.routerId,
    tenant_id: info.projectId,
    project_id: info.projectId,
    port_id: info.portId,
    network_id: info.networkId,
    subnet_id: info.subnetId,
    subnet_ids: [...info.subnetIds],
  };
}

export function floatingIpToWire(fip: FloatingIp, status: string): WireObject {
  return {
    id: fip.id,
    tenant_id: fip.projectId,
    project_id: fip.projectId,
    description: fip.description,
    floating_network_id: fip.floatingNetworkId,
    floating_ip_address: fip.floatingIpAddress,
    port_id: fip.portId,
    fixed_ip_address: fip.fixedIpAddress,
    router_id: fip.routerId,
    status,
    created_at: neutronTime(fip.createdAt),
    updated_at: neutronTime(fip.updatedAt),
  };
}
