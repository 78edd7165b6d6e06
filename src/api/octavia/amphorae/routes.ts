// `/v2/octavia/amphorae`: the admin amphora API (reference §10.5, RBAC §9.2 amphora: admin). Lists and
// shows placements, their per-listener stats, asks for a config push, fails one over (its load balancer
// must be ACTIVE and goes PENDING_UPDATE) and deletes spare or broken ones. Check order follows amphora.py.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import {
  findAmphora,
  listAmphorae,
  listAmphoraStats,
  markAmphoraForDelete,
  projectOfLoadBalancer,
  removeAmphora,
} from '../../../store/repositories/amphora-repository.ts';
import { transitionLoadBalancer } from '../../../store/repositories/load-balancer-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { one, project, type Query } from '../../wire/listing.ts';
import { registerListRoute } from '../list-route.ts';
import { octaviaRbac } from '../rbac.ts';
import { AMPHORA_ATTRIBUTES, AMPHORA_FILTERS, amphoraStatsToWire, amphoraToWire } from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerAmphoraRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const amphora = await findAmphora(db, id);
    if (!amphora) throw fail('octavia.not-found', { resource: 'Amphora', id });
    return amphora;
  }

  registerListRoute(app, rbac, {
    path: '/amphorae',
    collection: 'amphorae',
    object: 'amphora',
    scope: 'caller',
    // An amphora has no project of its own: `project_id` filters through the owning load balancer.
    rows: async (request) => (await listAmphorae(db, one(request.query.project_id))).map(amphoraToWire),
    attributes: AMPHORA_ATTRIBUTES,
    filters: AMPHORA_FILTERS,
    reserved: ['project_id'],
  });

  app.get<IdParams>('/amphorae/:id', octavia, async (request) => {
    const amphora = await load(request.params.id);
    const ctx = caller(request);
    enforce(ctx, 'amphora', 'get_one', ctx.projectId);
    return { amphora: project(amphoraToWire(amphora), request.query) };
  });

  app.get<IdParams>('/amphorae/:id/stats', octavia, async (request) => {
    const ctx = caller(request);
    enforce(ctx, 'amphora', 'get_stats', ctx.projectId);
    const stats = await listAmphoraStats(db, request.params.id);
    if (stats.length === 0) {
      throw fail('octavia.not-found', { resource: 'Amphora stats for', id: request.params.id });
    }
    return { amphora_stats: stats.map(amphoraStatsToWire) };
  });

  app.put<IdParams>('/amphorae/:id/config', octavia, async (request, reply) => {
    const amphora = await load(request.params.id);
    const owner = amphora.loadBalancerId ? await projectOfLoadBalancer(db, amphora.loadBalancerId) : null;
    enforce(caller(request), 'amphora', 'put_config', owner);
    // Re-driving the load balancer makes its provider apply the current configuration again.
    if (amphora.loadBalancerId) context.changes.notify(amphora.loadBalancerId);
    return reply.code(202).send();
  });

  app.put<IdParams>('/amphorae/:id/failover', octavia, async (request, reply) => {
    const amphora = await load(request.params.id);
    const lbId = amphora.loadBalancerId;
    const owner = lbId ? await projectOfLoadBalancer(db, lbId) : null;
    enforce(caller(request), 'amphora', 'put_failover', owner);
    // A spare amphora has no load balancer to take; Octavia's handler fails on it, here it is refused.
    if (!lbId) throw fail('octavia.immutable', { resource: 'amphora', id: amphora.id });
    // The load balancer is the lock (reference §2.2: amphora failover needs it ACTIVE).
    if (!(await transitionLoadBalancer(db, lbId, ['ACTIVE'], 'PENDING_UPDATE', {}, 'failover'))) {
      throw fail('octavia.immutable', { resource: 'Load Balancer', id: lbId });
    }
    context.changes.notify(lbId);
    return reply.code(202).send();
  });

  app.delete<IdParams>('/amphorae/:id', octavia, async (request, reply) => {
    const ctx = caller(request);
    enforce(ctx, 'amphora', 'delete', ctx.projectId);
    const { id } = request.params;
    const outcome = await markAmphoraForDelete(db, id);
    if (outcome === 'not-found') throw fail('octavia.not-found', { resource: 'Amphora', id });
    // Octavia names the resource with its lower-case constant here (AMPHORA = 'amphora').
    if (outcome === 'immutable') throw fail('octavia.immutable', { resource: 'amphora', id });
    // No compute instance stands behind a placement, so the deletion completes at once.
    await removeAmphora(db, id);
    return reply.code(204).send();
  });
}
