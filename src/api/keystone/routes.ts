// The Keystone v3 subset (identity-networking-v1.md §1): discovery plus every resource route, mounted both
// under `/v3` (OS_AUTH_URL=<base>/v3) and under the catalog prefix `/identity/v3` (§0).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { registerDomainRoutes } from './domains-routes.ts';
import { registerGrantRoutes } from './grants-routes.ts';
import type { Mount } from './keystone-wire.ts';
import { registerProjectRoutes } from './projects-routes.ts';
import { registerRoleAssignmentRoutes } from './role-assignments-routes.ts';
import { registerRoleRoutes } from './roles-routes.ts';
import { registerTokenRoutes } from './tokens-routes.ts';
import { registerUserRoutes } from './users-routes.ts';

export const KEYSTONE_PREFIXES = ['/v3', '/identity/v3'] as const;

export async function registerKeystoneRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  registerDiscoveryRoutes(app, context);
  for (const prefix of KEYSTONE_PREFIXES) {
    const mount: Mount = { prefix, publicUrl: context.config.publicUrl };
    registerTokenRoutes(app, context, mount);
    registerDomainRoutes(app, context, mount);
    registerProjectRoutes(app, context, mount);
    registerUserRoutes(app, context, mount);
    registerRoleRoutes(app, context, mount);
    registerGrantRoutes(app, context, mount);
    registerRoleAssignmentRoutes(app, context, mount);
  }
}
