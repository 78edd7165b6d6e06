// Mounts LBaaS v1 (identity-networking-v1.md §3) at `<prefix>/lb/…` under both Neutron prefixes: pools (with
// stats and monitor association), members, VIPs and health monitors, a view over the v2 model.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { registerV1HealthMonitorRoutes } from './health-monitors-routes.ts';
import { registerV1MemberRoutes } from './members-routes.ts';
import { registerV1PoolRoutes } from './pools-routes.ts';
import { registerV1VipRoutes } from './vips-routes.ts';

export function registerLbaasV1Routes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const base = `${prefix}/lb`;
  registerV1PoolRoutes(app, context, base);
  registerV1MemberRoutes(app, context, base);
  registerV1VipRoutes(app, context, base);
  registerV1HealthMonitorRoutes(app, context, base);
}
