// A truthful minimal compute (Nova v2.1) API under the catalog prefix `/compute`: Sluice runs no servers,
// so the lists clients read for member candidates (Horizon's octavia-dashboard wizards call Horizon's
// api.nova.server_list → GET /servers/detail) are empty, any server or flavor id is not found, and the
// limits and usage Horizon's overview reads are all 0.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { ApiContext } from '../context.ts';
import { checkUsagePeriod, computeLimits } from './compute-limits.ts';
import { computeVersion, computeVersions } from './compute-versions.ts';
import { negotiateMicroversion } from './microversion.ts';

export const COMPUTE_PREFIX = '/compute';
const API = `${COMPUTE_PREFIX}/v2.1`;
const PUBLIC_ROUTE = { config: { family: 'compute' as const, public: true } };
const ROUTE = { config: { family: 'compute' as const } };

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export async function registerComputeRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const computeUrl = `${context.config.publicUrl}${COMPUTE_PREFIX}`;
  // Nova serves its version documents without a token (api-paste.ini: oscomputeversions).
  app.get(COMPUTE_PREFIX, PUBLIC_ROUTE, async () => computeVersions(computeUrl));
  app.get(API, PUBLIC_ROUTE, async () => computeVersion(computeUrl));

  await app.register(async (scope) => {
    // Nova echoes the negotiated microversion on every v2.1 answer (nova/api/openstack/wsgi.py).
    scope.addHook('preHandler', async (request, reply) => {
      const version = negotiateMicroversion(request.headers);
      reply.header('OpenStack-API-Version', `compute ${version}`);
      reply.header('X-OpenStack-Nova-API-Version', version);
      reply.header('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    });
    // A page shorter than the limit carries no `servers_links`/`flavors_links` (Nova's views/servers.py).
    for (const path of ['servers', 'servers/detail']) {
      scope.get(`${API}/${path}`, ROUTE, async () => ({ servers: [] }));
    }
    scope.get(`${API}/servers/:id`, ROUTE, async (request) => {
      throw new SluiceError('compute.server-not-found', { id: idOf(request) });
    });
    for (const path of ['flavors', 'flavors/detail']) {
      scope.get(`${API}/${path}`, ROUTE, async () => ({ flavors: [] }));
    }
    scope.get(`${API}/flavors/:id`, ROUTE, async (request) => {
      throw new SluiceError('compute.flavor-not-found', { id: idOf(request) });
    });
    scope.get(`${API}/limits`, ROUTE, async (request) =>
      computeLimits(negotiateMicroversion(request.headers)),
    );
    // simple_tenant_usage.py: index lists each project's usage, show one project's ({} when it has none).
    const period = (request: FastifyRequest) =>
      checkUsagePeriod(request.query as { start?: string; end?: string });
    scope.get(`${API}/os-simple-tenant-usage`, ROUTE, async (request) => {
      period(request);
      return { tenant_usages: [] };
    });
    scope.get(`${API}/os-simple-tenant-usage/:id`, ROUTE, async (request) => {
      period(request);
      return { tenant_usage: {} };
    });
    // nova/api/openstack/compute/availability_zone.py: `{"availabilityZoneInfo": [...]}`, here no zones.
    for (const path of ['os-availability-zone', 'os-availability-zone/detail']) {
      scope.get(`${API}/${path}`, ROUTE, async () => ({ availabilityZoneInfo: [] }));
    }
  });
}
