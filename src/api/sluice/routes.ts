// Mounts Sluice's own extensions to the load-balancer API under `/sluice/v1`, both unprefixed and below the
// `/load-balancer` catalog prefix, so a client that found the load-balancer endpoint in the token's catalog
// (the `sluice` CLI) reaches them as it reaches Octavia's routes (octavia/routes.ts).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerStatusEventRoutes } from './events/routes.ts';
import { registerAccessLogRoutes } from './logs/routes.ts';
import { registerLoadBalancerMetricsRoutes } from './metrics/routes.ts';

export const SLUICE_PREFIXES = ['/sluice/v1', '/load-balancer/sluice/v1'];

const ROUTES = [registerStatusEventRoutes, registerLoadBalancerMetricsRoutes, registerAccessLogRoutes];

export async function registerSluiceRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  for (const prefix of SLUICE_PREFIXES) {
    await app.register(
      async (scope) => {
        for (const register of ROUTES) await register(scope, context);
      },
      { prefix },
    );
  }
}
