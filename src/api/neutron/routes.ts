// Mounts the Neutron v2.0 subset (identity-networking-v1.md §2) under `/v2.0` and the catalog prefix
// `/networking/v2.0`: discovery, networks, subnets and ports. Errors render as NeutronError bodies.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { registerDiscoveryRoutes } from './discovery-routes.js';
import { registerNetworkRoutes } from './networks-routes.js';
import { NEUTRON_PREFIXES } from './neutron-http.js';
import { registerPortRoutes } from './ports-routes.js';
import { registerSubnetRoutes } from './subnets-routes.js';

export async function registerNeutronRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  registerDiscoveryRoutes(app, context, NEUTRON_PREFIXES);
  for (const prefix of NEUTRON_PREFIXES) {
    registerNetworkRoutes(app, context, prefix);
    registerSubnetRoutes(app, context, prefix);
    registerPortRoutes(app, context, prefix);
  }
}
