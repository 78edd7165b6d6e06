// Mounts the Octavia v2 API: the version documents, and every resource under `/v2/lbaas`, `/v2.0/lbaas`
// and the undocumented `/v2`, `/v2.0` roots (reference §1.1), each also below the `/load-balancer`
// catalog prefix (identity-networking-v1.md §0).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { registerLoadBalancerRoutes } from './load-balancers-routes.js';
import { registerVersionRoutes } from './versions-routes.js';

export const OCTAVIA_PREFIXES = ['/v2/lbaas', '/v2.0/lbaas', '/v2', '/v2.0'].flatMap((root) => [
  root,
  `/load-balancer${root}`,
]);

export async function registerOctaviaRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  await registerVersionRoutes(app);
  for (const prefix of OCTAVIA_PREFIXES) {
    await app.register(
      async (scope) => {
        await registerLoadBalancerRoutes(scope, context);
      },
      { prefix },
    );
  }
}
