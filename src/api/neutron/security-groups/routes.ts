// The `security-group` extension's two collections under one Neutron prefix.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../../context.ts';
import { registerSecurityGroupRuleRoutes } from './security-group-rules-routes.ts';
import { registerSecurityGroupRoutes } from './security-groups-routes.ts';

export function registerSecurityGroupsApi(app: FastifyInstance, context: ApiContext, prefix: string): void {
  registerSecurityGroupRoutes(app, context, prefix);
  registerSecurityGroupRuleRoutes(app, context, prefix);
}
