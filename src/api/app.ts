// Builds the Sluice API: the shared HTTP plumbing plus the API families, each mounted under its
// catalog prefix and (all but compute and key-manager) unprefixed (identity-networking-v1.md §0).
import fs from 'node:fs';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { registerAgentRoutes } from './agent/routes.ts';
import { registerComputeRoutes } from './compute/routes.ts';
import type { ApiContext } from './context.ts';
import { registerDashboardRoutes } from './dashboard/routes.ts';
import { registerHealthRoutes } from './health/routes.ts';
import { createHttpApp } from './http-app.ts';
import { registerKeyManagerRoutes } from './key-manager/routes.ts';
import { registerKeystoneRoutes } from './keystone/routes.ts';
import { registerMetricsRoutes } from './metrics/routes.ts';
import { registerNeutronRoutes } from './neutron/routes.ts';
import { registerOctaviaRoutes } from './octavia/routes.ts';
import { BODY_CATALOG } from './openapi/body-catalog.ts';
import { registerOpenApi } from './openapi/openapi-routes.ts';
import { registerSluiceRoutes } from './sluice/routes.ts';

export async function buildApp(context: ApiContext, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = createHttpApp({
    validateToken: (token) => context.identity.validateToken(token),
    authUrl: `${context.config.publicUrl}/identity`,
    logger,
    bodyLimit: context.config.maxRequestBodySize,
  });
  registerOpenApi(app, BODY_CATALOG, packageVersion());
  registerHealthRoutes(app, context.store);
  registerMetricsRoutes(app, context);
  registerDashboardRoutes(app);
  await registerKeystoneRoutes(app, context);
  await registerNeutronRoutes(app, context);
  await registerOctaviaRoutes(app, context);
  await registerSluiceRoutes(app, context);
  await registerComputeRoutes(app, context);
  await registerKeyManagerRoutes(app, context);
  await registerAgentRoutes(app, context);
  return app;
}

function packageVersion(): string {
  const text = fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
