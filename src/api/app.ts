// Builds the Sluice API: the shared HTTP plumbing plus the three API families, each mounted under its
// catalog prefix and unprefixed (identity-networking-v1.md §0).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { createHttpApp } from './http-app.js';
import { registerKeystoneRoutes } from './keystone/routes.js';
import { registerNeutronRoutes } from './neutron/routes.js';
import { registerOctaviaRoutes } from './octavia/routes.js';

export async function buildApp(context: ApiContext, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = createHttpApp({
    validateToken: (token) => context.identity.validateToken(token),
    authUrl: `${context.config.publicUrl}/identity`,
    logger,
  });
  await registerKeystoneRoutes(app, context);
  await registerNeutronRoutes(app, context);
  await registerOctaviaRoutes(app, context);
  return app;
}
