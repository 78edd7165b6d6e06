// Mounts the Octavia v2 API: the version documents, and every resource under `/v2/lbaas`, `/v2.0/lbaas`
// and the undocumented `/v2`, `/v2.0` roots (reference §1.1), the admin amphora API under `/v2/octavia`,
// each also below the `/load-balancer` catalog prefix (identity-networking-v1.md §0).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { registerAmphoraRoutes } from './amphorae-routes.js';
import { registerAvailabilityZoneProfileRoutes } from './availability-zone-profiles-routes.js';
import { registerAvailabilityZoneRoutes } from './availability-zones-routes.js';
import { registerFlavorProfileRoutes } from './flavor-profiles-routes.js';
import { registerFlavorRoutes } from './flavors-routes.js';
import { registerHealthMonitorRoutes } from './health-monitors-routes.js';
import { registerL7PolicyRoutes } from './l7policies-routes.js';
import { registerL7RuleRoutes } from './l7rules-routes.js';
import { registerListenerRoutes } from './listeners-routes.js';
import { registerLoadBalancerActionRoutes } from './load-balancer-actions-routes.js';
import { registerLoadBalancerRoutes } from './load-balancers-routes.js';
import { registerMemberRoutes } from './members-routes.js';
import { registerPoolRoutes } from './pools-routes.js';
import { registerProviderRoutes } from './providers-routes.js';
import { registerQuotaRoutes } from './quotas-routes.js';
import { registerVersionRoutes } from './versions-routes.js';

const withCatalogPrefix = (roots: string[]) => roots.flatMap((root) => [root, `/load-balancer${root}`]);
export const OCTAVIA_PREFIXES = withCatalogPrefix(['/v2/lbaas', '/v2.0/lbaas', '/v2', '/v2.0']);
export const AMPHORA_PREFIXES = withCatalogPrefix(['/v2/octavia', '/v2.0/octavia']);

/** The LBaaS v2 resources proper: what Neutron's LBaaS v2 extension also served (`neutron lbaas-*`). */
export const LBAAS_V2_ROUTES = [
  registerLoadBalancerRoutes,
  registerLoadBalancerActionRoutes,
  registerListenerRoutes,
  registerPoolRoutes,
  registerMemberRoutes,
  registerHealthMonitorRoutes,
  registerL7PolicyRoutes,
  registerL7RuleRoutes,
];

const RESOURCE_ROUTES = [
  ...LBAAS_V2_ROUTES,
  registerQuotaRoutes,
  registerProviderRoutes,
  registerFlavorRoutes,
  registerFlavorProfileRoutes,
  registerAvailabilityZoneRoutes,
  registerAvailabilityZoneProfileRoutes,
];

export async function registerOctaviaRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  await registerVersionRoutes(app);
  for (const prefix of OCTAVIA_PREFIXES) {
    await app.register(
      async (scope) => {
        for (const register of RESOURCE_ROUTES) await register(scope, context);
      },
      { prefix },
    );
  }
  for (const prefix of AMPHORA_PREFIXES) {
    await app.register(async (scope) => registerAmphoraRoutes(scope, context), { prefix });
  }
}
