// Mounts the Neutron v2.0 subset (identity-networking-v1.md §2) under `/v2.0` and the catalog prefix
// `/networking/v2.0`: discovery, networks, subnets, ports, routers, floating IPs, security groups and their
// tags, QoS policies, LBaaS v1 (§3), and the LBaaS v2 (Octavia) paths below `/networking/v2.0/lbaas`. Errors
// render as NeutronError bodies.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerLbaasV1Routes } from '../lbaas-v1/routes.ts';
import { registerAgentsRoutes } from './agents-routes.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { registerFloatingIpRoutes } from './floating-ips-routes.ts';
import { registerLbaasV2UnderNetworking } from './lbaas-v2-mount.ts';
import { registerNetworkRoutes } from './networks-routes.ts';
import { NEUTRON_PREFIXES } from './neutron-http.ts';
import { registerPortRoutes } from './ports-routes.ts';
import { registerQosRoutes } from './qos/routes.ts';
import { registerRouterRoutes } from './routers-routes.ts';
import { registerSecurityGroupsApi } from './security-groups/routes.ts';
import { registerSubnetRoutes } from './subnets-routes.ts';
import { registerTagRoutes } from './tags-routes.ts';

export async function registerNeutronRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  registerDiscoveryRoutes(app, context, NEUTRON_PREFIXES);
  for (const prefix of NEUTRON_PREFIXES) {
    registerNetworkRoutes(app, context, prefix);
    registerSubnetRoutes(app, context, prefix);
    registerPortRoutes(app, context, prefix);
    registerRouterRoutes(app, context, prefix);
    registerFloatingIpRoutes(app, context, prefix);
    registerLbaasV1Routes(app, context, prefix);
    registerAgentsRoutes(app, context, prefix);
    registerSecurityGroupsApi(app, context, prefix);
    registerTagRoutes(app, context, prefix);
    registerQosRoutes(app, context, prefix);
  }
  await registerLbaasV2UnderNetworking(app, context);
}
