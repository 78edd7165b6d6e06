// Mounts the Octavia v2 API: the version documents, and every resource under `/v2/lbaas`, `/v2.0/lbaas`
// and the undocumented `/v2`, `/v2.0` roots (reference §1.1), the admin amphora API under `/v2/octavia`,
// each also below the `/load-balancer` catalog prefix (identity-networking-v1.md §0).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerAmphoraRoutes } from './amphorae/routes.ts';
import { registerAvailabilityZoneProfileRoutes } from './availability-zone-profiles/routes.ts';
import { registerAvailabilityZoneRoutes } from './availability-zones/routes.ts';
import { registerFlavorProfileRoutes } from './flavor-profiles/routes.ts';
import { registerFlavorRoutes } from './flavors/routes.ts';
import { registerHealthMonitorRoutes } from './health-monitors/routes.ts';
import { registerL7PolicyRoutes } from './l7policies/routes.ts';
import { registerL7RuleRoutes } from './l7rules/routes.ts';
import { registerListenerRoutes } from './listeners/routes.ts';
import { registerLoadBalancerActionRoutes } from './load-balancers/actions-routes.ts';
import { registerLoadBalancerRoutes } from './load-balancers/routes.ts';
import { registerMemberRoutes } from './members/routes.ts';
import { registerPoolRoutes } from './pools/routes.ts';
import { registerProviderRoutes } from './providers/routes.ts';
import { registerQuotaRoutes } from './quotas/routes.ts';
import { registerVersionRoutes } from './versions-routes.ts';

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
