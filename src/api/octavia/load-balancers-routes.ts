// `/loadbalancers`: list, create, show, update, delete (with cascade), status tree and stats (reference §3).
// Writes take the load balancer's provisioning status as a lock with one conditional UPDATE (§2.2) and wake
// the controller through the change feed once committed.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../errors.js';
import type { LoadBalancerChanges } from '../../model/load-balancer.js';
import { DELETABLE_STATUSES, MUTABLE_STATUSES } from '../../model/statuses.js';
import { newId } from '../../store/codec.js';
import {
  findLoadBalancer,
  getRevision,
  insertLoadBalancer,
  listLoadBalancers,
  transitionLoadBalancer,
} from '../../store/repositories/load-balancer-repository.js';
import type { ApiContext } from '../context.js';
import { caller } from '../plugins/auth.js';
import { listPage, one, project, type Query } from '../wire/listing.js';
import { readBody } from '../wire/read-body.js';
import { LOAD_BALANCER_POST_ENVELOPE, LOAD_BALANCER_PUT_ENVELOPE } from './load-balancer-schema.js';
import { LOAD_BALANCER_ATTRIBUTES, loadBalancerToWire } from './load-balancer-wire.js';
import { enforce, scopeOfList } from './rbac.js';
import { requestUrl } from './request-url.js';
import { resolveVip } from './vip-resolver.js';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerLoadBalancerRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db } = context.store;

  async function load(id: string) {
    const lb = await findLoadBalancer(db, id);
    if (!lb) throw fail('octavia.not-found', { resource: 'Load Balancer', id });
    return lb;
  }

  app.get<{ Querystring: Query }>('/loadbalancers', octavia, async (request) => {
    const projectId = scopeOfList(caller(request), 'loadbalancer', one(request.query.project_id));
    const rows = (await listLoadBalancers(db, projectId)).map(loadBalancerToWire);
    const page = listPage(rows, request.query, { attributes: LOAD_BALANCER_ATTRIBUTES }, requestUrl(request));
    return { loadbalancers: page.items, loadbalancers_links: page.links };
  });

  app.post('/loadbalancers', octavia, async (request, reply) => {
    const body = readBody(request, 'load_balancer', LOAD_BALANCER_POST_ENVELOPE).loadbalancer as Record<
      string,
      unknown
    >;
    const ctx = caller(request);
    const projectId = (body.project_id ?? body.tenant_id ?? ctx.projectId) as string | null;
    if (!projectId) throw fail('octavia.missing-project');
    enforce(ctx, 'loadbalancer', 'post', projectId);
    const provider = (body.provider as string | null) ?? context.config.defaultProvider;
    if (!context.providers.some((p) => p.name === provider))
      throw fail('octavia.provider-not-enabled', { provider });
    if (body.flavor_id) throw fail('octavia.validation', { detail: 'Invalid flavor_id.' });
    if (body.availability_zone) throw fail('octavia.validation', { detail: 'Invalid availability zone.' });
    for (const graph of ['listeners', 'pools', 'additional_vips'] as const) {
      if (Array.isArray(body[graph]) && (body[graph] as unknown[]).length > 0) {
        throw fail('octavia.provider-unsupported', {
          provider,
          message: `${graph} in a load balancer create`,
        });
      }
    }
    const id = newId();
    await db.transaction().execute(async (trx) => {
      const vip = await resolveVip(
        trx,
        {
          portId: body.vip_port_id as string | undefined,
          networkId: body.vip_network_id as string | undefined,
          subnetId: body.vip_subnet_id as string | undefined,
          address: body.vip_address as string | undefined,
          qosPolicyId: body.vip_qos_policy_id as string | null | undefined,
        },
        id,
        projectId,
      );
      await insertLoadBalancer(trx, {
        id,
        projectId,
        name: (body.name as string | null) ?? null,
        description: (body.description as string | null) ?? null,
        adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
        provisioningStatus: 'PENDING_CREATE',
        operatingStatus: 'OFFLINE',
        provider,
        flavorId: null,
        availabilityZone: null,
        vip,
        tags: (body.tags as string[] | null) ?? [],
      });
    });
    context.changes.notify(id);
    return reply.code(201).send({ loadbalancer: loadBalancerToWire(await load(id)) });
  });

  app.get<IdParams>('/loadbalancers/:id', octavia, async (request) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'get_one', lb.projectId);
    return { loadbalancer: project(loadBalancerToWire(lb), request.query) };
  });

  app.put<IdParams>('/loadbalancers/:id', octavia, async (request) => {
    const body = readBody(request, 'load_balancer', LOAD_BALANCER_PUT_ENVELOPE).loadbalancer as Record<
      string,
      unknown
    >;
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'put', lb.projectId);
    if (body.vip_qos_policy_id) {
      throw fail('octavia.validation', { detail: 'VIP QoS policy is not allowed in this deployment.' });
    }
    const changes: LoadBalancerChanges = {
      ...('name' in body && { name: body.name as string | null }),
      ...('description' in body && { description: body.description as string | null }),
      // Octavia coerces `admin_state_up: null` to false (reference §1.3).
      ...('admin_state_up' in body && { adminStateUp: body.admin_state_up === true }),
      ...('tags' in body && { tags: (body.tags as string[] | null) ?? [] }),
      ...('vip_qos_policy_id' in body && { vipQosPolicyId: null }),
    };
    if (!(await transitionLoadBalancer(db, lb.id, MUTABLE_STATUSES, 'PENDING_UPDATE', changes))) {
      throw await pendingError(lb.id);
    }
    context.changes.notify(lb.id);
    return { loadbalancer: loadBalancerToWire(await load(lb.id)) };
  });

  app.delete<IdParams>('/loadbalancers/:id', octavia, async (request, reply) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'delete', lb.projectId);
    // Children (listeners, pools) arrive with the complete API; until then a load balancer has none, so
    // `cascade` changes nothing and a plain delete never meets "it has children" (reference §2.4).
    if (!(await transitionLoadBalancer(db, lb.id, DELETABLE_STATUSES, 'PENDING_DELETE'))) {
      throw await pendingError(lb.id);
    }
    context.changes.notify(lb.id);
    return reply.code(204).send();
  });

  for (const suffix of ['status', 'statuses']) {
    app.get<IdParams>(`/loadbalancers/:id/${suffix}`, octavia, async (request) => {
      const lb = await load(request.params.id);
      enforce(caller(request), 'loadbalancer', 'get_status', lb.projectId);
      const { id, provisioningStatus, operatingStatus } = lb;
      return {
        statuses: {
          loadbalancer: {
            id,
            name: lb.name ?? '',
            provisioning_status: provisioningStatus,
            operating_status: operatingStatus,
            listeners: [],
          },
        },
      };
    });
  }

  app.get<IdParams>('/loadbalancers/:id/stats', octavia, async (request) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'get_stats', lb.projectId);
    // The sum over the load balancer's listeners (reference §3.4); it has none yet, so every counter is 0.
    return {
      stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 },
    };
  });

  async function pendingError(id: string) {
    const current = await getRevision(db, id);
    return fail('octavia.lb-pending', { state: current?.status ?? 'DELETED', id });
  }
}
