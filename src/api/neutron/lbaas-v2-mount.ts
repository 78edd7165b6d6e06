// The LBaaS v2 paths the `neutron lbaas-*` commands call on the network endpoint (`<base>/networking/v2.0/
// lbaas/…`, identity-networking-v1.md §0 and §3): the Octavia API, mounted once more under that prefix.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { registerHealthMonitorRoutes } from '../octavia/health-monitors-routes.js';
import { registerL7PolicyRoutes } from '../octavia/l7policies-routes.js';
import { registerL7RuleRoutes } from '../octavia/l7rules-routes.js';
import { registerListenerRoutes } from '../octavia/listeners-routes.js';
import { registerLoadBalancerActionRoutes } from '../octavia/load-balancer-actions-routes.js';
import { registerLoadBalancerRoutes } from '../octavia/load-balancers-routes.js';
import { registerMemberRoutes } from '../octavia/members-routes.js';
import { registerPoolRoutes } from '../octavia/pools-routes.js';

export const NETWORKING_LBAAS_PREFIX = '/networking/v2.0/lbaas';

const LBAAS_V2_ROUTES = [
  registerLoadBalancerRoutes,
  registerLoadBalancerActionRoutes,
  registerListenerRoutes,
  registerPoolRoutes,
  registerMemberRoutes,
  registerHealthMonitorRoutes,
  registerL7PolicyRoutes,
  registerL7RuleRoutes,
];

export async function registerLbaasV2UnderNetworking(
  app: FastifyInstance,
  context: ApiContext,
): Promise<void> {
  await app.register(
    async (scope) => {
      for (const register of LBAAS_V2_ROUTES) await register(scope, context);
    },
    { prefix: NETWORKING_LBAAS_PREFIX },
  );
}
