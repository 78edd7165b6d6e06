// Mounts the Sluice extensions under `/sluice/v1`, and below the `/load-balancer` catalog prefix as the
// Octavia routes are (octavia/routes.ts).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerStatusEventRoutes } from './events/routes.ts';

export const SLUICE_PREFIXES = ['/sluice/v1', '/load-balancer/sluice/v1'];

export async function registerSluiceRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  for (const prefix of SLUICE_PREFIXES) {
    await app.register(async (scope) => registerStatusEventRoutes(scope, context), { prefix });
  }
}
