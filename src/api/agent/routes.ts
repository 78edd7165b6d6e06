// Mounts the agent protocol (for agents, bearer-token auth) and the agents admin API (for operators).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerAgentProtocolRoutes } from './agent-protocol-routes.ts';
import { registerAgentAdminRoutes } from './agents-admin-routes.ts';

export async function registerAgentRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  await registerAgentProtocolRoutes(app, context);
  await registerAgentAdminRoutes(app, context);
}
