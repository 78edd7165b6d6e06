// The LBaaS v2 paths the `neutron lbaas-*` commands call on the network endpoint (`<base>/networking/v2.0/
// lbaas/…`, identity-networking-v1.md §0 and §3): the Octavia API, mounted once more under that prefix.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { LBAAS_V2_ROUTES } from '../octavia/routes.ts';

export const NETWORKING_LBAAS_PREFIX = '/networking/v2.0/lbaas';

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
